"""The agent's page in headless Chromium, as an agent uses it.

Usage: python3 tests/agent_page.py URL OUT_DIR

Against a running `missive serve` at URL: picks the complaint reply, fills the form, sees the
customer's name in the email preview, switches the letter to English, types a forbidden phrase
into a free-text field and sees its finding with the suggestion beside the preview, mends it,
downloads the PDF and reads it with pdftotext. Screenshots go to OUT_DIR. Exits 0 on success;
any failed expectation raises with what was seen.

Needs Debian's `chromium` and `chromium-driver`, and selenium (scripts/test.sh installs them).
"""

import os
import pathlib
import subprocess
import sys
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

URL, OUT = sys.argv[1], pathlib.Path(sys.argv[2])
OUT.mkdir(parents=True, exist_ok=True)
DOWNLOADS = OUT / "downloads"
DOWNLOADS.mkdir(exist_ok=True)
for old in DOWNLOADS.iterdir():
    old.unlink()


def driver():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1600,1200",
                "--lang=pl-PL"):
        options.add_argument(arg)
    options.binary_location = "/usr/bin/chromium"
    options.add_experimental_option("prefs", {
        "download.default_directory": str(DOWNLOADS.resolve()),
        "download.prompt_for_download": False,
        "intl.accept_languages": "pl-PL,pl",
    })
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait_for(what, check, timeout=15):
    """Polls `check` until it returns something true; fails naming `what`."""
    end = time.monotonic() + timeout
    last = None
    while time.monotonic() < end:
        try:
            last = check()
            if last:
                return last
        except Exception as e:  # the page is mid-update; look again
            last = e
        time.sleep(0.1)
    shot("failure")
    raise AssertionError(f"timed out waiting for {what} (last seen: {last!r})")


def shot(name):
    browser.save_screenshot(str(OUT / f"{name}.png"))


def field(path):
    return browser.find_element(By.CSS_SELECTOR, f'[data-path="{path}"]')


def type_into(path, text):
    element = field(path)
    element.clear()
    element.send_keys(text)


def set_value(path, value):
    """Date inputs take keys in the browser's locale order; set the value as a script would."""
    browser.execute_script(
        "arguments[0].value = arguments[1]; arguments[0].dispatchEvent(new Event('input', {bubbles: true}));",
        field(path), value)


def preview_html():
    return browser.find_element(By.ID, "html-frame").get_attribute("srcdoc") or ""


def findings_text():
    return browser.find_element(By.ID, "findings").text


browser = driver()
try:
    browser.get(URL)
    # The page's own language follows the browser's (Polish here).
    wait_for("the page in Polish", lambda: browser.find_element(By.TAG_NAME, "h1").text == "Listy do klientów")
    wait_for("the letter types", lambda: browser.find_elements(By.CSS_SELECTOR, '#templates [data-id="complaint-rejected"]'))
    # Search narrows the list.
    browser.find_element(By.ID, "search").send_keys("complaint")
    wait_for("the search to narrow the list", lambda: not browser.find_elements(By.CSS_SELECTOR, '#templates [data-id="invoice"]'))
    browser.find_element(By.CSS_SELECTOR, '#templates [data-id="complaint-rejected"]').click()
    wait_for("the form", lambda: browser.find_elements(By.CSS_SELECTOR, '[data-path="customer.name"]'))

    # Required fields are marked and labelled.
    label = browser.find_element(By.CSS_SELECTOR, f'label[for="{field("customer.name").get_attribute("id")}"]')
    assert "*" in label.text, label.text
    assert field("complaint.received").get_attribute("type") == "date"
    assert field("customer.email").get_attribute("type") == "email"
    assert field("complaint.reason").tag_name == "textarea"
    assert Select(field("customer.gender")).options, "gender is a choice"

    # A field left wrong gets its message beside it.
    type_into("complaint.number", "12345")
    wait_for("the number's problem beside it",
             lambda: field("complaint.number").get_attribute("aria-invalid") == "true")

    type_into("customer.name", "Anna Kowalska")
    Select(field("customer.gender")).select_by_value("female")
    type_into("customer.email", "anna.kowalska@example.pl")
    type_into("complaint.number", "REK/2026/11/0160")
    set_value("complaint.received", "2026-11-03")
    type_into("complaint.reason", "Opłata została pobrana zgodnie z Tabelą opłat i prowizji.")
    wait_for("the name in the email preview", lambda: "Anna Kowalska" in preview_html())
    wait_for("no problem left", lambda: field("complaint.number").get_attribute("aria-invalid") is None)
    assert "Szanowna Pani" in preview_html(), "the Polish salutation for a woman"
    wait_for("a clean letter", lambda: "spełnia standard" in findings_text())
    # The letterhead's logo is drawn in the preview (the email names it by cid:, which a browser
    # cannot resolve; the preview gets it as a data: URL).
    browser.switch_to.frame(browser.find_element(By.ID, "html-frame"))
    try:
        logo = wait_for("the logo drawn in the preview", lambda: browser.execute_script(
            "const i = document.querySelector('img'); return i && i.complete && i.naturalWidth > 0 ? i.getAttribute('src') : null"))
        assert logo.startswith("data:image/png;base64,"), logo[:40]
    finally:
        browser.switch_to.default_content()
    shot("1-polish-letter")

    # Phone width.
    browser.find_element(By.ID, "width-phone").click()
    width = browser.execute_script("return document.getElementById('html-frame').getBoundingClientRect().width")
    assert abs(width - 360) < 2, width
    shot("2-phone")

    # The letter in English.
    Select(browser.find_element(By.ID, "locale")).select_by_value("en")
    wait_for("the English letter", lambda: "Dear" in preview_html())

    # A forbidden phrase in a free-text field: its finding, with the suggestion, beside the preview.
    type_into("complaint.reason", "The fee was charged because of a system error on our side.")
    finding = wait_for("the finding", lambda: "brand-voice.blaming-the-machine" in findings_text() and findings_text())
    assert "system error" in finding, finding
    assert "Write instead" in finding or "Zamiast tego" in finding, finding
    shot("3-finding")

    # A letter breaking the standard cannot be downloaded; mended, it can.
    browser.find_element(By.ID, "download-pdf").click()
    wait_for("the refusal", lambda: "breaks the standard" in browser.find_element(By.ID, "status").text
             or "łamie standard" in browser.find_element(By.ID, "status").text)
    type_into("complaint.reason", "The fee was charged as the table of fees and commissions says.")
    wait_for("the finding gone", lambda: "brand-voice" not in findings_text())
    Select(browser.find_element(By.ID, "locale")).select_by_value("pl")
    wait_for("the Polish letter again", lambda: "Szanowna Pani" in preview_html())
    browser.find_element(By.ID, "tab-pdf").click()
    shot("4-pdf-tab")
    browser.find_element(By.ID, "download-pdf").click()
    pdf = wait_for("the downloaded PDF", lambda: [p for p in DOWNLOADS.iterdir() if p.suffix == ".pdf"])[0]
    wait_for("the download to finish", lambda: pdf.stat().st_size > 1000 and not list(DOWNLOADS.glob("*.crdownload")))
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Anna Kowalska" in text, text[:500]
    assert "REK/2026/11/0160" in text, text[:500]

    # An invoice: money typed the Polish way, and its lines as rows to add and remove.
    search = browser.find_element(By.ID, "search")
    search.send_keys(Keys.CONTROL, "a")
    search.send_keys(Keys.BACKSPACE)
    wait_for("every letter type again", lambda: browser.find_elements(By.CSS_SELECTOR, '#templates [data-id="invoice"]'))[0].click()
    wait_for("the invoice's form", lambda: browser.find_elements(By.CSS_SELECTOR, '[data-path="invoice.lines[0].description"]'))
    type_into("customer.name", "Anna Kowalska")
    type_into("customer.email", "anna.kowalska@example.pl")
    type_into("invoice.number", "FV/2026/11/0042")
    type_into("invoice.total", "109,99")
    set_value("invoice.due", "2026-12-07")
    type_into("invoice.lines[0].description", "Abonament internetowy")
    type_into("invoice.lines[0].quantity", "1")
    type_into("invoice.lines[0].amount", "99,99")
    browser.find_element(By.CSS_SELECTOR, '[data-list="invoice.lines"] button.add').click()
    type_into("invoice.lines[1].description", "Usługa serwisowa")
    type_into("invoice.lines[1].quantity", "2")
    type_into("invoice.lines[1].amount", "5,00")
    wait_for("both lines in the preview", lambda: "Usługa serwisowa" in preview_html() and "Abonament internetowy" in preview_html())
    assert "109,99" in preview_html(), "the total in Polish notation"
    shot("5-invoice-lines")
    browser.find_elements(By.CSS_SELECTOR, '[data-list="invoice.lines"] button.remove')[1].click()
    wait_for("the removed line gone", lambda: "Usługa serwisowa" not in preview_html() and "Abonament internetowy" in preview_html())

    # The page itself in English, and keyboard-reachable tabs.
    Select(browser.find_element(By.ID, "ui-lang")).select_by_value("en")
    wait_for("the page in English", lambda: browser.find_element(By.TAG_NAME, "h1").text == "Customer letters")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    shot("6-english-page")

    # Nothing went wrong in the console (CSP violations and script errors land there). The 422s
    # the page asked for (a form half filled, a refused download) are answers, not errors.
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE" and "favicon" not in e["message"]
              and not (e.get("source") == "network" and "status of 422" in e["message"])]
    assert not errors, errors
    print(f"agent page: ok ({len(os.listdir(OUT))} files in {OUT})")
finally:
    browser.quit()
