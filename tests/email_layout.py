"""Email HTML in headless Chromium, as a phone and a desktop mail client show it.

Usage: python3 tests/email_layout.py OUT_DIR FILE.eml|FILE.html...

Each file is opened at 360 px (a phone: mobile viewport, so the shell's `viewport` meta counts)
and at 1,024 px wide. At 360 px nothing scrolls sideways (the page is no wider than the window)
and the letter's paragraphs fill most of the width; at 1,024 px they stay in a column of at most
600 px. Every paragraph of the letter is shown inside the window; the preheader is not. A full
screenshot of each goes to OUT_DIR. Exits 0 on success, else prints every failure and exits 1.

An .eml is read with Python's `email` (strict policy) and its HTML part shown with each `cid:`
image replaced by a `data:` URI of the part whose Content-ID it names (Chromium cannot resolve
`cid:`, a mail client does it from the `multipart/related`): an image the HTML names and the
message lacks is a failure, and every image must be drawn, inside the window, with a size.

Needs Debian's `chromium` and `chromium-driver`, and selenium (scripts/test.sh installs them).
"""

import base64
import pathlib
import sys
from email import policy
from email.parser import BytesParser

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

OUT = pathlib.Path(sys.argv[1])
OUT.mkdir(parents=True, exist_ok=True)

options = webdriver.ChromeOptions()
for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--hide-scrollbars"):
    options.add_argument(arg)
options.binary_location = "/usr/bin/chromium"
browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)

MEASURE = """
const root = document.scrollingElement;
const paragraphs = [...document.querySelectorAll('div[role=article] p, div[role=article] li')]
  .filter(p => p.textContent.trim().length > 0);
const hidden = document.body.firstElementChild;
return {
  scrollWidth: root.scrollWidth, innerWidth: window.innerWidth, height: root.scrollHeight,
  paragraphs: paragraphs.map(p => { const r = p.getBoundingClientRect();
    return {text: p.textContent.trim().slice(0, 40), left: r.left, right: r.right, width: r.width,
            height: r.height, visible: r.width > 0 && r.height > 0
              && getComputedStyle(p).visibility === 'visible'}; }),
  preheaderShown: hidden && hidden.getAttribute('role') !== 'article'
    ? hidden.getBoundingClientRect().height > 0 && getComputedStyle(hidden).display !== 'none' : false,
};
"""

failures = []


def html_of(name):
    """The file to open: an .html as it is; an .eml's HTML with its `cid:` images inlined."""
    path = pathlib.Path(name).resolve()
    if path.suffix != ".eml":
        return path
    msg = BytesParser(policy=policy.strict).parsebytes(path.read_bytes())
    html, images = None, {}
    for part in msg.walk():
        if part.get_content_type() == "text/html":
            html = part.get_content()
        elif part.get_content_maintype() == "image" and part["Content-ID"]:
            data = base64.b64encode(part.get_content()).decode()
            images[part["Content-ID"].strip("<>")] = f"data:{part.get_content_type()};base64,{data}"
    for cid, uri in images.items():
        html = html.replace(f'src="cid:{cid}"', f'src="{uri}"')
    if "cid:" in html:
        failures.append(f"{path.name}: the HTML names a cid: image the message does not carry")
    out = OUT / (path.stem + ".html")
    out.write_text(html, encoding="utf-8")
    return out


IMAGES = """
return [...document.images].map(i => { const r = i.getBoundingClientRect();
  return {src: i.getAttribute('src').slice(0, 30), natural: i.naturalWidth, width: r.width, height: r.height,
          left: r.left, right: r.right}; });
"""

try:
    for name in sys.argv[2:]:
        path = html_of(name)
        for width, mobile in ((360, True), (1024, False)):
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": mobile})
            browser.get(path.as_uri())
            m = browser.execute_script(MEASURE)
            where = f"{path.name} at {width} px"
            if m["innerWidth"] != width:
                failures.append(f"{where}: the window is {m['innerWidth']} px wide")
            if m["scrollWidth"] > m["innerWidth"]:
                failures.append(f"{where}: scrolls sideways ({m['scrollWidth']} px of content)")
            if not m["paragraphs"]:
                failures.append(f"{where}: no paragraph of the letter found")
            for p in m["paragraphs"]:
                if not p["visible"] or p["left"] < 0 or p["right"] > m["innerWidth"]:
                    failures.append(f"{where}: `{p['text']}` is not shown inside the window: {p}")
                if width == 360 and p["width"] < 240:
                    failures.append(f"{where}: `{p['text']}` is squeezed to {p['width']:.0f} px")
                if width == 1024 and p["width"] > 600:
                    failures.append(f"{where}: `{p['text']}` runs {p['width']:.0f} px wide")
            if m["preheaderShown"]:
                failures.append(f"{where}: the preheader is shown")
            images = browser.execute_script(IMAGES)
            for i in images:
                if i["natural"] == 0 or i["width"] < 1 or i["height"] < 1:
                    failures.append(f"{where}: the image {i['src']}… is not drawn: {i}")
                if i["left"] < 0 or i["right"] > m["innerWidth"]:
                    failures.append(f"{where}: the image {i['src']}… is not inside the window: {i}")
            browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": width, "height": min(m["height"], 8000), "deviceScaleFactor": 1,
                                     "mobile": mobile})
            browser.save_screenshot(str(OUT / f"{path.stem}-{width}.png"))
            drawn = ", ".join(f"{i['width']:.0f}×{i['height']:.0f} px" for i in images) or "none"
            print(f"{where}: {len(m['paragraphs'])} paragraphs, page {m['scrollWidth']} px wide, {m['height']} px tall,"
                  f" images {drawn}")
finally:
    browser.quit()
for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)
