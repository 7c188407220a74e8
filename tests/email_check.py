#!/usr/bin/env python3
"""Parses an .eml file with Python's own email package, strict policy (every defect is an
error), and prints what a mail client would see, as JSON: the exact header list, decoded values,
each part's content type, decoded content (binary: its length and SHA-256), Content-ID and
disposition, and the MIME tree as one line.

Usage: python3 tests/email_check.py MESSAGE.eml
Exit codes: 0 parsed, 1 the message has a defect (printed), 2 the check could not run.
"""

import hashlib
import json
import sys
from email import policy
from email.parser import BytesParser


def structure(part):
    """The MIME tree as one line: `multipart/alternative(text/plain, multipart/related(...))`."""
    if not part.is_multipart():
        return part.get_content_type()
    return f"{part.get_content_type()}({', '.join(structure(p) for p in part.iter_parts())})"


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    try:
        msg = BytesParser(policy=policy.strict).parsebytes(data)
        parts = []
        for part in msg.walk():
            if part.is_multipart():
                continue
            content = part.get_content()
            if isinstance(content, bytes):
                content = {"bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}
            parts.append({"content_type": part.get_content_type(), "charset": part.get_content_charset(),
                          "filename": part.get_filename(), "content": content,
                          "content_id": part["Content-ID"], "disposition": part.get_content_disposition()})
        out = {
            "headers": list(msg.keys()),
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "to_addresses": [a.addr_spec for a in msg["To"].addresses],
            "to_names": [a.display_name for a in msg["To"].addresses],
            "subject": str(msg["Subject"]),
            "message_id": str(msg["Message-ID"]),
            "content_language": str(msg["Content-Language"]),
            "content_type": msg.get_content_type(),
            "defects": [str(d) for d in msg.defects],
            "parts": parts,
            "structure": structure(msg),
        }
    except Exception as e:  # strict policy raises on any defect
        print(f"defect: {type(e).__name__}: {e}", file=sys.stderr)
        return 1
    json.dump(out, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
