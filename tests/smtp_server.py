#!/usr/bin/env python3
"""A real SMTP server on loopback for the tests (aiosmtpd). Prints the port it listens on, then
stores every message it accepts as OUT_DIR/<n>.eml plus OUT_DIR/<n>.json (envelope), until its
standard input closes or 60 seconds pass (--timeout SECONDS for longer runs).

Usage: python3 tests/smtp_server.py OUT_DIR [--port N] [--reject ADDRESS] [--tempfail-once ADDRESS]
                                     [--tempfail-always ADDRESS] [--tempfail-rate R --seed S]
                                     [--auth USER:PASS] [--tls CERT KEY] [--implicit-tls]
                                     [--drop-after-data N] [--kill-after N --pid-file FILE]
  --port N                 listen on this port (a server restarted where the last one was)
  --reject ADDRESS         answer 550 for that recipient (a permanent refusal)
  --tempfail-once ADDRESS  answer 451 the first time that recipient is tried, accept afterwards
  --tempfail-always ADDRESS  answer 451 for that recipient every time
  --tempfail-rate R        answer 451 to a fraction R of all recipients (random, --seed S)
  --slow-data SECONDS      wait this long before answering each message's data
  --tls CERT KEY           offer STARTTLS with this certificate and key (PEM files)
  --implicit-tls           with --tls: TLS from the first byte (smtps) instead of STARTTLS
  --auth USER:PASS         require AUTH (PLAIN/LOGIN, allowed without TLS on loopback)
  --drop-after-data N      store the Nth message, then drop the connection without replying
                           (a lost acknowledgement: the client cannot know the message arrived)
  --kill-after N           store the Nth message, then SIGKILL the client whose pid is in
  --pid-file FILE          FILE before replying (a crash between acceptance and the client's record)
"""

import argparse
import asyncio
import json
import os
import random
import signal
import ssl
import socket
import sys
import threading
import time

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Handler:
    def __init__(self, out_dir, reject, tempfail, drop_after=(), kill_after=None, pid_file=None,
                 tempfail_always=(), tempfail_rate=0.0, seed=0, slow_data=0.0):
        self.out_dir = out_dir
        self.reject = set(reject)
        self.tempfail = set(tempfail)
        self.tempfail_always = set(tempfail_always)
        self.tempfail_rate = tempfail_rate
        self.random = random.Random(seed)
        self.slow_data = slow_data
        self.drop_after = set(drop_after)
        self.kill_after = kill_after
        self.pid_file = pid_file
        self.count = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.reject:
            return "550 5.1.1 mailbox unavailable"
        if address in self.tempfail:
            self.tempfail.discard(address)
            return "451 4.3.0 try again later"
        if address in self.tempfail_always or self.random.random() < self.tempfail_rate:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.slow_data:
            await asyncio.sleep(self.slow_data)
        self.count += 1
        base = os.path.join(self.out_dir, str(self.count))
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content)
        with open(base + ".json", "w") as f:
            json.dump({"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos}, f)
        if self.count in self.drop_after:
            server.transport.abort()
            return "250 never heard"
        if self.count == self.kill_after:
            os.kill(client_pid(self.pid_file), signal.SIGKILL)
            time.sleep(0.2)
        return "250 Message accepted"


def client_pid(path, wait=20.0):
    """The pid the test wrote to PATH (it starts the client after the server)."""
    deadline = time.time() + wait
    while time.time() < deadline:
        try:
            with open(path) as f:
                text = f.read().strip()
            if text:
                return int(text)
        except FileNotFoundError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"no pid in {path}")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("out_dir")
    p.add_argument("--reject", action="append", default=[])
    p.add_argument("--tempfail-once", action="append", default=[])
    p.add_argument("--auth")
    p.add_argument("--drop-after-data", type=int, action="append", default=[])
    p.add_argument("--kill-after", type=int)
    p.add_argument("--pid-file")
    p.add_argument("--timeout", type=float, default=60.0)
    p.add_argument("--port", type=int)
    p.add_argument("--tempfail-always", action="append", default=[])
    p.add_argument("--tempfail-rate", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--slow-data", type=float, default=0.0)
    p.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    p.add_argument("--implicit-tls", action="store_true")
    args = p.parse_args()
    os.makedirs(args.out_dir, exist_ok=True)
    # aiosmtpd checks its server by connecting to it, so it needs a real port: take a free one.
    port = args.port
    if port is None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    options = {}
    if args.tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(*args.tls)
        if args.implicit_tls:
            options["ssl_context"] = context
        else:
            options["tls_context"] = context
            options["require_starttls"] = True
    if args.auth:
        user, password = args.auth.split(":", 1)

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == user and auth_data.password.decode() == password
            # handled=False: aiosmtpd answers 535 itself (with the default, it answers nothing).
            return AuthResult(success=ok, handled=False)

        options.update({"authenticator": authenticator, "auth_require_tls": False, "auth_required": True})
    handler = Handler(args.out_dir, args.reject, args.tempfail_once, args.drop_after_data, args.kill_after,
                      args.pid_file, args.tempfail_always, args.tempfail_rate, args.seed, args.slow_data)
    controller = Controller(handler, hostname="127.0.0.1", port=port, **options)
    controller.start()
    print(port, flush=True)
    done = threading.Event()
    threading.Thread(target=lambda: (sys.stdin.read(), done.set()), daemon=True).start()
    done.wait(timeout=args.timeout)
    controller.stop()


if __name__ == "__main__":
    main()
