#!/usr/bin/env python3
"""The SMTP peer for scripts/bench_batch.sh: how fast Python's smtplib sends to a server, the
mark missive's SMTP destination is held against (issue #26: at least 80% of it).

Usage: python3 scripts/smtp_peer.py HOST PORT [--messages N] [--connections C] [--size BYTES]
                                             [--eml FILE]
  --messages N     how many messages in all (default 2000)
  --connections C  C processes, each with one connection reused for its share (default 1)
  --eml FILE       the message to send, e.g. a real invoice from
                   `missive render invoice --data fixtures/invoice/lines.json --format eml`;
                   each copy gets its own Message-ID and recipient
  --size BYTES     the size of each message: the --eml message is padded (a trailing comment
                   part) or a plain text one built to it (default: the --eml file's size, or
                   5,400 bytes, the size of one of our invoice emails)

Prints one line of JSON: messages, connections, bytes, seconds, messages_per_second. The clock
starts once every connection is open and greeted (EHLO) and stops when the last message is
accepted, so process start-up is not counted. smtplib sends one command at a time and waits for
each reply (no PIPELINING), with Nagle's algorithm on: it is a plain client, not a tuned one.
"""

import argparse
import json
import multiprocessing
import smtplib
import sys
import threading
import time

DEFAULT_SIZE = 5400


def message(template, size, n):
    """Message number N: the template with its own Message-ID and To, padded to SIZE bytes."""
    text = template.replace(b"@@ID@@", b"%08d" % n).replace(b"@@TO@@", b"klient%d@example.pl" % n)
    short = size - len(text)
    if short > 0:
        # Padding as the message's last lines, each under the 78-character line length.
        pad = b"".join(b"X" * 76 + b"\r\n" for _ in range(short // 78 + 1))[:short]
        text += pad
    return text


def build_template(eml, size):
    if eml:
        with open(eml, "rb") as f:
            data = f.read().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        head, sep, body = data.partition(b"\r\n\r\n")
        lines = []
        for line in head.split(b"\r\n"):
            if line.lower().startswith(b"message-id:"):
                line = b"Message-ID: <peer.@@ID@@@example.pl>"
            elif line.lower().startswith(b"to:"):
                line = b"To: <@@TO@@>"
            lines.append(line)
        return b"\r\n".join(lines) + sep + body + b"\r\n", size or len(data)
    head = (b"From: Example Bank <obsluga@example.pl>\r\nTo: <@@TO@@>\r\nSubject: Faktura\r\n"
            b"Message-ID: <peer.@@ID@@@example.pl>\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: text/plain; charset=utf-8\r\n\r\n")
    return head, size or DEFAULT_SIZE


def sender(host, port, numbers, template, size, ready, done):
    try:
        smtp = smtplib.SMTP(host, port, timeout=120)
        smtp.ehlo("peer.example.pl")
        ready.wait()
        for n in numbers:
            smtp.sendmail("obsluga@example.pl", ["klient%d@example.pl" % n], message(template, size, n))
        smtp.quit()
        done.put((len(numbers), None))
    except Exception as e:  # reported by the parent, which must not wait for this sender
        ready.abort()
        done.put((0, f"{type(e).__name__}: {e}"))


def main():
    p = argparse.ArgumentParser(description="Python's smtplib as the SMTP peer")
    p.add_argument("host")
    p.add_argument("port", type=int)
    p.add_argument("--messages", type=int, default=2000)
    p.add_argument("--connections", type=int, default=1)
    p.add_argument("--size", type=int)
    p.add_argument("--eml")
    args = p.parse_args()
    template, size = build_template(args.eml, args.size)
    c = max(1, args.connections)
    shares = [list(range(k, args.messages, c)) for k in range(c)]
    ready = multiprocessing.Barrier(c + 1)
    done = multiprocessing.Queue()
    procs = [multiprocessing.Process(target=sender, args=(args.host, args.port, share, template, size, ready, done))
             for share in shares]
    for proc in procs:
        proc.start()
    try:
        ready.wait(timeout=60)
    except threading.BrokenBarrierError:
        pass  # a sender failed: its error is in the queue
    start = time.perf_counter()
    results = [done.get(timeout=3600) for _ in procs]
    seconds = time.perf_counter() - start
    for proc in procs:
        proc.join()
    sent = sum(n for n, _ in results)
    errors = sorted({e for _, e in results if e})
    if errors or sent != args.messages:
        print(f"smtp_peer: {sent} of {args.messages} sent; {'; '.join(errors)}", file=sys.stderr)
        return 1
    print(json.dumps({"messages": sent, "connections": c, "bytes": len(message(template, size, 0)),
                      "seconds": round(seconds, 3), "messages_per_second": round(sent / seconds, 1)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
