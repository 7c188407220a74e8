#!/usr/bin/env python3
"""What each message's HTML shows as images, read with Python's `email` (strict policy): one JSON
line per message with its MIME tree, the `cid:` URLs its HTML names, its image parts (Content-ID,
type, disposition, file name, SHA-256 of the decoded bytes), and whether every `cid:` names an
image part inside the same `multipart/related` as the HTML (RFC 2387, RFC 2392).

Usage: python3 tests/email_images.py PATH...   (.eml files, mbox files, folders of .eml files)
Exit codes: 0 read, 1 a message has a defect (printed), 2 the check could not run.
"""

import hashlib
import json
import mailbox
import pathlib
import re
import sys
from email import policy
from email.parser import BytesParser


def structure(part):
    if not part.is_multipart():
        return part.get_content_type()
    return f"{part.get_content_type()}({', '.join(structure(p) for p in part.iter_parts())})"


def related_of(msg):
    """The multipart/related holding the HTML, if any."""
    for part in msg.walk():
        if part.get_content_type() == "multipart/related":
            return part
    return None


def report(data):
    msg = BytesParser(policy=policy.strict).parsebytes(data)
    html = next((p.get_content() for p in msg.walk() if p.get_content_type() == "text/html"), "")
    cids = re.findall(r'src="cid:([^"]+)"', html)
    images = []
    for part in msg.walk():
        if part.get_content_maintype() == "image":
            images.append({"content_id": part["Content-ID"], "type": part.get_content_type(),
                           "disposition": part.get_content_disposition(), "filename": part.get_filename(),
                           "sha256": hashlib.sha256(part.get_content()).hexdigest()})
    related = related_of(msg)
    inside = set()
    if related is not None:
        inside = {str(p["Content-ID"]).strip("<>") for p in related.iter_parts() if p["Content-ID"]}
    return {"message_id": str(msg["Message-ID"]), "structure": structure(msg), "cids": cids, "images": images,
            "img_tags": len(re.findall(r"<img\b", html)), "resolved": all(c in inside for c in cids),
            "related_type": related.get_param("type") if related is not None else None}


def messages(path):
    path = pathlib.Path(path)
    if path.is_dir():
        for eml in sorted(path.rglob("*.eml")):
            yield eml.read_bytes()
    elif path.read_bytes().startswith(b"From "):
        for m in mailbox.mbox(str(path), create=False):
            yield m.as_bytes()
    else:
        yield path.read_bytes()


def main():
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    for path in sys.argv[1:]:
        for data in messages(path):
            try:
                print(json.dumps(report(data)))
            except Exception as e:  # strict policy raises on any defect
                print(f"defect in {path}: {type(e).__name__}: {e}", file=sys.stderr)
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
