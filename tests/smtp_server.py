#!/usr/bin/env python3
"""A real SMTP server on loopback for the tests (aiosmtpd). Prints the port it listens on, then
stores every message it accepts as OUT_DIR/<n>.eml plus OUT_DIR/<n>.json (envelope), until its
standard input closes or 60 seconds pass.

Usage: python3 tests/smtp_server.py OUT_DIR [--reject ADDRESS] [--tempfail-once ADDRESS] [--auth USER:PASS]
  --reject ADDRESS         answer 550 for that recipient (a permanent refusal)
  --tempfail-once ADDRESS  answer 451 the first time that recipient is tried, accept afterwards
  --auth USER:PASS         require AUTH (PLAIN/LOGIN, allowed without TLS on loopback)
"""

import argparse
import json
import os
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, out_dir, reject, tempfail):
        self.out_dir = out_dir
        self.reject = set(reject)
        self.tempfail = set(tempfail)
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 mailbox unavailable"
        if address in self.tempfail:
            self.tempfail.discard(address)
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        base = os.path.join(self.out_dir, str(self.count))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        return "250 Message accepted"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out_dir")
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--tempfail-once", action="append", default=[])
    p.add_argument("--auth")
    args = p.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    # aiosmtpd checks its server by connecting to it, so it needs a real port: take a free one.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    options = {}
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
            return AuthResult(success=ok)

        options = {"authenticator": authenticator, "auth_require_tls": False, "auth_required": True}
    controller = Controller(Handler(args.out_dir, args.reject, args.tempfail_once), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print(port, flush=True)
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait(timeout=60)
    controller.stop()


if __name__ == "__main__":
    main()
