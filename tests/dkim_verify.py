#!/usr/bin/env python3
"""Verifies the DKIM signatures of messages with dkimpy, the key's TXT record supplied instead of
DNS. Prints one JSON line per message: {"source", "ok", "error", "signed", "algorithm", "d", "s"}.

Usage: python3 tests/dkim_verify.py --public PUBLIC.pem --type rsa|ed25519 FILE...
  FILE is an .eml file, an mbox (mboxrd: `>From ` lines unquoted, LF made CRLF) or a folder of
  .eml files (and the .eml files SMTP_SERVER_OUT/<n>.eml the loopback SMTP server stored).
"""

import argparse
import base64
import json
import os
import re
import sys

import dkim


def txt_record(public_pem, key_type):
    der = base64.b64decode(
        "".join(line for line in open(public_pem).read().splitlines() if not line.startswith("-----"))
    )
    if key_type == "ed25519":
        # The SubjectPublicKeyInfo of an Ed25519 key ends with the 32-byte key RFC 8463 publishes.
        der = der[-32:]
    return ("v=DKIM1; k=%s; p=%s" % (key_type, base64.b64encode(der).decode())).encode()


def messages(path):
    if os.path.isdir(path):
        for name in sorted(os.listdir(path)):
            if name.endswith(".eml"):
                yield os.path.join(path, name), open(os.path.join(path, name), "rb").read()
        return
    data = open(path, "rb").read()
    if not data.startswith(b"From "):
        yield path, data
        return
    # mboxrd: a message starts at a `From ` line; `>From` lines lose one `>`.
    current, n = None, 0
    for line in data.split(b"\n"):
        if line.startswith(b"From "):
            if current is not None:
                n += 1
                yield "%s#%d" % (path, n), finish(current)
            current = []
            continue
        if current is not None:
            if re.match(rb"^>+From ", line):
                line = line[1:]
            current.append(line)
    if current is not None:
        n += 1
        yield "%s#%d" % (path, n), finish(current)


def finish(lines):
    # Each message ends with the empty line before the next `From `.
    while lines and lines[-1] == b"":
        lines.pop()
    return b"\r\n".join(lines) + b"\r\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--public", required=True)
    parser.add_argument("--type", required=True, choices=["rsa", "ed25519"])
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    record = txt_record(args.public, args.type)

    def dnsfunc(name, timeout=5):
        return record

    for path in args.files:
        for source, data in messages(path):
            result = {"source": source, "ok": False, "error": None, "signed": [], "algorithm": None}
            verifier = dkim.DKIM(data)
            try:
                result["ok"] = bool(verifier.verify(dnsfunc=dnsfunc))
            except Exception as e:  # a verifier's refusal is a result, not a crash
                result["error"] = "%s: %s" % (type(e).__name__, e)
            if verifier.signature_fields:
                fields = verifier.signature_fields
                result["signed"] = [h.decode() for h in re.split(rb"\s*:\s*", fields.get(b"h", b""))]
                result["algorithm"] = fields.get(b"a", b"").decode()
                result["d"] = fields.get(b"d", b"").decode()
                result["s"] = fields.get(b"s", b"").decode()
            print(json.dumps(result), flush=True)


if __name__ == "__main__":
    sys.exit(main())
