"""The diagnosis pages in headless Chromium: `check --format html` and `batch --report`.

Usage: python3 tests/diagnosis_page.py OUT_DIR CHECK_PAGE BATCH_PAGE

Loads each page from file://, and fails unless: the browser logged no error (script errors and
CSP violations land there); the only request made was for the page itself (Chrome's performance
log, CDP `Network` events); the heat map, the review timeline and the batch's chart are drawn
with a size, their cells shaded and their bars tall. Each page is kept as a screenshot and as
printed to PDF in OUT_DIR. Exits 0 on success; any failed expectation raises with what was seen.

Needs Debian's `chromium` and `chromium-driver`, and selenium (scripts/test.sh installs them).
"""

import base64
import json
import pathlib
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By

OUT = pathlib.Path(sys.argv[1])
CHECK, BATCH = (pathlib.Path(p).resolve() for p in sys.argv[2:4])
OUT.mkdir(parents=True, exist_ok=True)


def driver():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,1600"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def load(browser, path):
    """Opens `path`; returns the URLs the browser asked for while loading it."""
    browser.get_log("performance")  # what came before belongs to no page
    browser.get(path.as_uri())
    browser.execute_script("return document.readyState")
    requests = []
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requests.append(message["params"]["request"]["url"])
    return requests


def size(browser, selector):
    element = browser.find_element(By.CSS_SELECTOR, selector)
    box = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];", element)
    assert box[0] > 0 and box[1] > 0, f"{selector} has no size: {box}"
    return box


def keep(browser, name):
    """The whole page as a screenshot, and as printed (A4, backgrounds on) to PDF."""
    height = browser.execute_script("return document.documentElement.scrollHeight")
    browser.set_window_size(1280, min(height + 120, 12000))
    browser.save_screenshot(str(OUT / f"{name}.png"))
    browser.set_window_size(1280, 1600)
    pdf = browser.execute_cdp_cmd("Page.printToPDF", {"printBackground": True})
    printed = base64.b64decode(pdf["data"])
    assert printed.startswith(b"%PDF") and len(printed) > 10_000, f"{name} printed to {len(printed)} bytes"
    (OUT / f"{name}.pdf").write_bytes(printed)


def background(browser, element):
    return browser.execute_script("return getComputedStyle(arguments[0]).backgroundColor", element)


browser = driver()
try:
    # The check's page.
    requests = load(browser, CHECK)
    assert requests == [CHECK.as_uri()], f"requests other than the page: {requests}"
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Diagnosis of"), browser.title
    size(browser, "#heat")
    shaded = browser.find_elements(By.CSS_SELECTOR, "#heat td.h5")
    assert shaded, "no cell of the heat map at its darkest"
    plain = browser.find_elements(By.CSS_SELECTOR, "#heat td.h0")
    assert plain and background(browser, shaded[0]) != background(browser, plain[0]), "the shading is not drawn"
    for cell in shaded:
        w, h = browser.execute_script("const r = arguments[0].getBoundingClientRect(); return [r.width, r.height];", cell)
        assert w > 10 and h > 10, f"a heat map cell is {w}×{h}"
    size(browser, "#timeline")
    crosses = browser.find_elements(By.CSS_SELECTOR, "#timeline path.late")
    assert crosses, "no overdue review on the timeline"
    assert browser.execute_script("return getComputedStyle(arguments[0]).fill", crosses[0]) == "rgb(179, 38, 30)", \
        "overdue is not red"
    size(browser, "#coverage-table")
    size(browser, "#findings-table")
    # The hostile fixture name and rule message are shown as text, not run or loaded.
    text = browser.find_element(By.ID, "findings-table").text
    assert "<img src=x onerror=alert(1)>" in text, text[:500]
    assert "<script>alert('you do not know')</script>" in text, text[:500]
    assert not browser.find_elements(By.CSS_SELECTOR, "script, img, link[rel=stylesheet]")
    keep(browser, "check")
    check_log = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert not check_log, check_log

    # The batch's page.
    requests = load(browser, BATCH)
    assert requests == [BATCH.as_uri()], f"requests other than the page: {requests}"
    width, height = size(browser, "#chart")
    assert width > 400 and height > 100, (width, height)
    bars = browser.find_elements(By.CSS_SELECTOR, "#chart rect.done")
    tall = [b for b in bars if b.rect["height"] > 20]
    assert tall, f"no bar of the chart is drawn tall: {[b.rect for b in bars]}"
    size(browser, "#reasons-table")
    size(browser, "#fields-table")
    size(browser, "#rules-table")
    assert "<b>" in browser.find_element(By.ID, "reasons-table").text, "the hostile key shown as text"
    keep(browser, "batch")
    batch_log = [e for e in browser.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]
    assert not batch_log, batch_log
    print(f"diagnosis pages: ok (screenshots and PDFs in {OUT})")
finally:
    browser.quit()
