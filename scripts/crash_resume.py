#!/usr/bin/env python3
"""Crash-and-resume check of `missive batch`: SIGKILL at random moments, resume, count letters.

For each destination (an `--out-dir` folder of <key>.eml files, an `--mbox` file, and `--smtp`
against the real loopback server tests/smtp_server.py) this runs `missive batch invoice` on
records from ../shared/peers/gen_records.py, kills it with SIGKILL at K random moments, starts
it again each time (with `--resume` once its journal exists, without before), resumes to the end,
and then counts what arrived. Folder and mbox: every good record's letter exactly once, byte for
byte the letter an uninterrupted run writes (one reference run per destination, also used to time
the kills: K random fractions of its duration, counted in running time over all segments), no
`.tmp` left, mbox in input order, the rejects report without repeats. SMTP: the received messages
counted per Message-ID; a letter may arrive twice only if the run reported it in doubt (the final
run's `--summary` in_doubt.keys plus the journal's in_doubt flags); the kills are placed by the
server's message count (random fractions of the letters). It prints a table per destination and
exits 1 if any letter was lost, duplicated (outside in-doubt for SMTP), damaged or unexpected, or
a run hung or failed; 2 if the check itself could not run. Every segment has a timeout and the
whole check a time limit; only loopback traffic. Run from anywhere in the repository, after
`cargo build` (CI) or `cargo build --release` (the default --bin):
    scripts/crash_resume.sh --bin target/debug/missive --records 20000 --kills 3 --smtp-records 1000
    scripts/crash_resume.sh                      # the full run: 100,000 records, 10 kills, release
SMTP runs at about 22 letters/s per connection (4 connections), so it gets its own, smaller count
(--smtp-records, default 2000); the server is kept alive with its `--timeout` option.
Needs Python 3 (stdlib) and aiosmtpd (scripts/crash_resume.sh installs it when missing).
"""

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEN = os.path.join(ROOT, "..", "shared", "peers", "gen_records.py")
SERVER = os.path.join(ROOT, "tests", "smtp_server.py")
TODAY = "2026-11-23"
NOW = "2026-11-23T09:00:00+01:00"
POLL = 0.01

# The processes this script started and has not reaped yet, ended on the way out.
LIVE = []


class Broken(Exception):
    """The check itself could not run (exit 2), as opposed to a defect found (exit 1)."""


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def key_of_message_id(mid):
    """`<hash.KEY@domain>` → KEY, as tests/cli/batch.rs reads it."""
    mid = mid.strip().lstrip("<")
    _, _, rest = mid.partition(".")
    return rest.split("@", 1)[0]


MID = re.compile(rb"^message-id:[ \t]*(.*?)\r?$", re.IGNORECASE | re.MULTILINE)


def message_id_of(message):
    """The Message-ID header of one message (bytes), looked for in its header block only."""
    end = re.search(rb"\r?\n\r?\n", message)
    head = message[: end.start() if end else len(message)]
    m = MID.search(head)
    return m.group(1).decode("utf-8", "replace") if m else None


def mbox_entries(path):
    """Yields (key, sha256 of the entry's bytes) per mbox entry, in file order. An entry starts
    at a line beginning with `From ` (as Python's mailbox module splits them)."""
    with open(path, "rb") as f:
        entry = []

        def finish():
            data = b"".join(entry)
            mid = message_id_of(data.split(b"\n", 1)[1] if b"\n" in data else b"")
            return (key_of_message_id(mid) if mid else None, hashlib.sha256(data).hexdigest())

        for line in f:
            if line.startswith(b"From ") and entry:
                yield finish()
                entry = []
            entry.append(line)
        if entry:
            yield finish()


def folder_state(path):
    """({key: sha256}, [tmp files], [other files]) of an --out-dir folder."""
    letters, tmp, other = {}, [], []
    for name in sorted(os.listdir(path)):
        if name.endswith(".tmp"):
            tmp.append(name)
        elif name.endswith(".eml") and not name.startswith("."):
            with open(os.path.join(path, name), "rb") as f:
                letters[name[: -len(".eml")]] = hashlib.sha256(f.read()).hexdigest()
        else:
            other.append(name)
    return letters, tmp, other


def rejected_keys(path):
    keys = []
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    keys.append(json.loads(line).get("key"))
    return keys


def journal_rows(path):
    """(ordinal, key, state, message_id, in_doubt) of each key's latest row in a finished run's
    journal (a row per letter and run: a letter in doubt in one run is done in a later one), with
    in_doubt set when any of the key's rows had it."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT ordinal, key, state, message_id, in_doubt FROM letters "
                            "WHERE duplicate = 0 ORDER BY run, ordinal").fetchall()
    finally:
        conn.close()
    latest, doubted = {}, set()
    for row in rows:
        latest[row[1]] = row
        if row[4]:
            doubted.add(row[1])
    return [(o, k, state, mid, 1 if k in doubted else 0) for (o, k, state, mid, _) in latest.values()]


def tail(path, n=15):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return "".join(f.readlines()[-n:]).rstrip()
    except OSError:
        return ""


def start(cmd, stdout, stderr, **kw):
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=stdout, stderr=stderr, **kw)
    LIVE.append(p)
    return p


def reap(p):
    if p.poll() is None:
        p.kill()  # SIGKILL, by this process's own id
    p.wait()
    if p in LIVE:
        LIVE.remove(p)


class Deadline:
    def __init__(self, seconds):
        self.end = time.monotonic() + seconds

    def left(self):
        return self.end - time.monotonic()


class Runner:
    """Runs one destination's batch in segments, killing at the given moments."""

    def __init__(self, args, work, name, base_cmd, journal, deadline):
        self.args, self.work, self.name = args, work, name
        self.base_cmd, self.journal, self.deadline = base_cmd, journal, deadline
        self.segments = []  # dicts: resume, seconds, rc, killed, journal_before
        self.kills_before_journal = 0

    def segment(self, label, extra, timeout, kill_when=None, server=None):
        """One run of the batch. kill_when(seconds_in_segment) → True SIGKILLs it. Returns the
        segment's record."""
        n = len(self.segments)
        resume = os.path.exists(self.journal)
        cmd = self.base_cmd + (["--resume"] if resume else []) + extra
        out = os.path.join(self.work, f"{label}.{n}.out")
        err = os.path.join(self.work, f"{label}.{n}.err")
        with open(out, "wb") as fo, open(err, "wb") as fe:
            t0 = time.monotonic()
            p = start(cmd, fo, fe)
            killed = hung = False
            server_gone = False
            while p.poll() is None:
                elapsed = time.monotonic() - t0
                if kill_when is not None and kill_when(elapsed):
                    os.kill(p.pid, signal.SIGKILL)
                    killed = True
                    break
                if elapsed > timeout or self.deadline.left() <= 0:
                    hung = True
                    break
                if server is not None and server.poll() is not None:
                    server_gone = True
                    break
                time.sleep(POLL)
            reap(p)
            seconds = time.monotonic() - t0
            if killed and p.returncode != -signal.SIGKILL:
                killed = False  # it had ended by itself just before the kill
        seg = {
            "resume": resume,
            "seconds": seconds,
            "rc": p.returncode,
            "killed": killed,
            "hung": hung,
            "server_gone": server_gone,
            "cmd": cmd,
            "stdout": out,
            "stderr": err,
        }
        self.segments.append(seg)
        if killed and not resume and not os.path.exists(self.journal):
            self.kills_before_journal += 1
        if self.args.verbose:
            what = "killed" if killed else ("HUNG" if hung else f"exit {p.returncode}")
            log(f"  [{self.name}] segment {n} {'--resume' if resume else 'fresh'}: {what} after {seconds:.2f} s")
        return seg


def finish_problems(seg, what):
    """Problems with the final segment (it must end by itself with 0 or 1)."""
    if seg["hung"]:
        return [f"{what}: the run did not end within its timeout (a hang?): {' '.join(seg['cmd'])}"]
    if seg.get("server_gone"):
        raise Broken(
            f"{what}: tests/smtp_server.py stopped (its --timeout) before the run ended; "
            "lower --smtp-records or raise --segment-timeout"
        )
    if seg["rc"] not in (0, 1):
        return [
            f"{what}: exit {seg['rc']} from {' '.join(seg['cmd'])}\n    "
            + tail(seg["stderr"]).replace("\n", "\n    ")
        ]
    return []


def crash_loop(runner, kill_at, timeout, extra, server=None, progress=None):
    """Runs segments until the batch completes: kill_at are cumulative running-time moments
    (progress is None) or progress counts (progress() gives the current count). Returns
    (kills, final segment, problems)."""
    kills = 0
    active = 0.0  # running time of the earlier segments
    targets = list(kill_at)
    problems = []
    for _ in range(len(targets) + 1):
        if kills < len(targets):
            target = targets[kills]
            if progress is None:
                def when(elapsed, target=target, before=active):
                    return before + elapsed >= target
            else:
                state = {"hit": None}

                def when(elapsed, target=target, state=state):
                    if state["hit"] is None and progress() >= target:
                        state["hit"] = elapsed + random.uniform(0.0, 0.1)
                    return state["hit"] is not None and elapsed >= state["hit"]
            seg = runner.segment(runner.name, extra, timeout, kill_when=when, server=server)
        else:
            seg = runner.segment(runner.name, extra, timeout, server=server)
        active += seg["seconds"]
        if seg["killed"]:
            kills += 1
            continue
        problems += finish_problems(seg, runner.name)
        return kills, seg, problems  # ended by itself: complete (maybe before all kills landed)
    raise AssertionError("unreachable: the last segment runs without a kill")


def batch_cmd(args, data, dest, journal, rejects, summary=None):
    # A fixed clock: a letter written again after a kill must be byte for byte the reference's,
    # and an email's Date is otherwise the moment it is built.
    cmd = [args.bin, "batch", "invoice", "--data", data, "--today", TODAY, "--now", NOW] + dest
    cmd += ["--journal", journal, "--rejects", rejects]
    if summary:
        cmd += ["--summary", summary]
    return cmd


def reference(args, work, name, data, dest_of, read_letters, deadline):
    """An uninterrupted run: its duration, its letters' digests by key, its rejected keys."""
    d = os.path.join(work, f"{name}-reference")
    os.makedirs(d)
    journal, rejects = os.path.join(d, "journal"), os.path.join(d, "rejects.jsonl")
    runner = Runner(args, work, f"{name}-reference", batch_cmd(args, data, dest_of(d), journal, rejects), journal, deadline)
    seg = runner.segment(f"{name}-reference", [], args.segment_timeout or 3600)
    problems = finish_problems(seg, f"{name} reference run")
    if problems:
        raise Broken("\n".join(problems))
    letters = read_letters(d)
    rejected = rejected_keys(rejects)
    shutil.rmtree(d)
    return seg["seconds"], letters, rejected


def check_destination(args, work, name, data, keys, deadline):
    """folder or mbox: reference run, crash run, counts."""
    if name == "folder":
        def dest_of(d):
            return ["--out-dir", os.path.join(d, "letters")]

        def read_letters(d):
            letters, _, _ = folder_state(os.path.join(d, "letters"))
            return letters
    else:
        def dest_of(d):
            return ["--mbox", os.path.join(d, "letters.mbox")]

        def read_letters(d):
            return dict(mbox_entries(os.path.join(d, "letters.mbox")))

    log(f"[{name}] reference run ({len(keys)} records, uninterrupted)…")
    t_ref, ref_letters, ref_rejected = reference(args, work, name, data, dest_of, read_letters, deadline)
    good = [k for k in keys if k not in set(ref_rejected)]
    if set(ref_letters) != set(good):
        raise Broken(f"{name}: the uninterrupted run wrote {len(ref_letters)} letters for {len(good)} good records")
    log(f"[{name}] reference: {t_ref:.1f} s, {len(good)} letters, {len(ref_rejected)} rejected")

    d = os.path.join(work, name)
    os.makedirs(d)
    journal, rejects = os.path.join(d, "journal"), os.path.join(d, "rejects.jsonl")
    runner = Runner(args, work, name, batch_cmd(args, data, dest_of(d), journal, rejects), journal, deadline)
    kill_at = sorted(random.uniform(0.0, 0.95) * t_ref for _ in range(args.kills))
    log(f"[{name}] crash run: kills at {', '.join(f'{t:.2f}' for t in kill_at)} s of running time")
    timeout = args.segment_timeout or max(120.0, 5 * t_ref)
    t0 = time.monotonic()
    kills, final, problems = crash_loop(runner, kill_at, timeout, [])
    wall = time.monotonic() - t0

    row = {"destination": name, "records": len(keys), "good": len(good), "kills": kills,
           "kills_before_journal": runner.kills_before_journal, "segments": len(runner.segments),
           "seconds": wall, "reference_seconds": t_ref, "in_doubt": None}
    notes = []
    if problems:
        row.update(done=None, lost=None, duplicated=None)
        return row, problems, notes

    seen = {}
    damaged = unexpected = 0
    if name == "folder":
        letters, tmp, other = folder_state(os.path.join(d, "letters"))
        entries = list(letters.items())
        if tmp:
            problems.append(f"folder: {len(tmp)} .tmp file(s) left, e.g. {tmp[:3]}")
        if other:
            problems.append(f"folder: unexpected files {other[:5]}")
    else:
        entries = list(mbox_entries(os.path.join(d, "letters.mbox")))
        if [k for k, _ in entries] != good and len(entries) == len(good) and set(k for k, _ in entries) == set(good):
            problems.append("mbox: every letter once, but not in input order")
    for k, digest in entries:
        seen[k] = seen.get(k, 0) + 1
        if k not in ref_letters:
            unexpected += 1
        elif digest != ref_letters[k]:
            damaged += 1
    lost = [k for k in good if k not in seen]
    dups = {k: n for k, n in seen.items() if n > 1}
    rows = journal_rows(journal)
    done = sum(1 for r in rows if r[2] == "done")
    row.update(done=done, lost=len(lost), duplicated=sum(n - 1 for n in dups.values()))
    if lost:
        problems.append(f"{name}: {len(lost)} letter(s) lost, e.g. {lost[:5]}")
    if dups:
        problems.append(f"{name}: {len(dups)} letter(s) written more than once, e.g. {list(dups.items())[:5]}")
    if damaged:
        problems.append(f"{name}: {damaged} letter(s) differ from the uninterrupted run's (torn or damaged)")
    if unexpected:
        problems.append(f"{name}: {unexpected} letter(s) for keys that are not good records (or unreadable Message-ID)")
    if done != len(good):
        problems.append(f"{name}: the journal has {done} letters done for {len(good)} good records")
    rej = rejected_keys(rejects)
    if sorted(rej) != sorted(ref_rejected):
        problems.append(f"{name}: the rejects report lists {len(rej)} records ({len(set(rej))} distinct), "
                        f"the uninterrupted run's {len(ref_rejected)}")
    if kills < args.kills:
        notes.append(f"{name}: only {kills} of {args.kills} kills landed (the run finished first)")
    if not args.keep:
        shutil.rmtree(d)
    return row, problems, notes


def check_smtp(args, work, data, keys, deadline):
    d = os.path.join(work, "smtp")
    os.makedirs(d)
    # The good records: a dry run says which are rejected (the server has nothing to do with it).
    dry_rejects = os.path.join(d, "dry.rejects.jsonl")
    dry = subprocess.run([args.bin, "batch", "invoice", "--data", data, "--today", TODAY, "--dry-run",
                          "--rejects", dry_rejects], cwd=ROOT, capture_output=True, timeout=600)
    if dry.returncode not in (0, 1):
        raise Broken(f"smtp: the dry run failed ({dry.returncode}): {dry.stderr.decode()[-800:]}")
    dry_rejected = set(rejected_keys(dry_rejects))
    good = [k for k in keys if k not in dry_rejected]

    budget = args.segment_timeout or max(60.0, len(keys) / 10.0)
    lifetime = min(budget * (args.kills + 2), max(60.0, deadline.left())) + 60
    server_cmd = [sys.executable, SERVER, os.path.join(d, "mail"), "--timeout", str(int(lifetime))]
    server = start(server_cmd, subprocess.PIPE, open(os.path.join(work, "smtp-server.err"), "wb"), stdin=subprocess.PIPE)
    line = server.stdout.readline().decode().strip()
    if not line.isdigit():
        reap(server)
        raise Broken(f"smtp: the server did not start: {line!r} {tail(os.path.join(work, 'smtp-server.err'))}")
    port = int(line)
    mail = os.path.join(d, "mail")

    def received():
        return sum(1 for n in os.listdir(mail) if n.endswith(".eml"))

    journal, rejects, summary = (os.path.join(d, "journal"), os.path.join(d, "rejects.jsonl"),
                                 os.path.join(d, "summary.json"))
    cmd = batch_cmd(args, data, ["--smtp", f"smtp://127.0.0.1:{port}"], journal, rejects, summary)
    runner = Runner(args, work, "smtp", cmd, journal, deadline)
    kill_at = sorted(random.randint(1, max(1, int(0.95 * len(good)))) for _ in range(args.kills))
    log(f"[smtp] crash run ({len(keys)} records, server on port {port}): kills after "
        f"{', '.join(map(str, kill_at))} messages received")
    t0 = time.monotonic()
    try:
        kills, final, problems = crash_loop(runner, kill_at, budget, [], server=server, progress=received)
        wall = time.monotonic() - t0
        time.sleep(0.3)  # let the server store anything still in flight
    finally:
        if server.poll() is None:
            server.stdin.close()  # the server stops when its standard input closes
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                pass
        reap(server)

    row = {"destination": "smtp", "records": len(keys), "good": len(good), "kills": kills,
           "kills_before_journal": runner.kills_before_journal, "segments": len(runner.segments),
           "seconds": wall, "reference_seconds": None}
    notes = []
    if problems:
        row.update(done=None, lost=None, duplicated=None, in_doubt=None)
        return row, problems, notes

    seen = {}
    no_id = 0
    for name in os.listdir(mail):
        if not name.endswith(".eml"):
            continue
        with open(os.path.join(mail, name), "rb") as f:
            mid = message_id_of(f.read())
        if mid is None:
            no_id += 1
            continue
        k = key_of_message_id(mid)
        seen[k] = seen.get(k, 0) + 1
    in_doubt = set()
    if os.path.exists(summary):
        with open(summary, encoding="utf-8") as f:
            in_doubt |= set(json.load(f)["in_doubt"]["keys"])
    rows = journal_rows(journal)
    in_doubt |= {r[1] for r in rows if r[4]}
    done = sum(1 for r in rows if r[2] == "done")
    pending = [r[1] for r in rows if r[2] in ("sending", "held")]
    lost = [k for k in good if k not in seen]
    dups = {k: n for k, n in seen.items() if n > 1}
    bad_dups = {k: n for k, n in dups.items() if k not in in_doubt}
    unexpected = [k for k in seen if k not in set(good)]
    row.update(done=done, lost=len(lost), duplicated=sum(n - 1 for n in dups.values()), in_doubt=len(in_doubt),
               dup_not_in_doubt=sum(n - 1 for n in bad_dups.values()))
    if lost:
        problems.append(f"smtp: {len(lost)} letter(s) never received, e.g. {lost[:5]}")
    if bad_dups:
        problems.append(f"smtp: {len(bad_dups)} letter(s) received more than once without being reported in doubt, "
                        f"e.g. {list(bad_dups.items())[:5]}")
    if unexpected or no_id:
        problems.append(f"smtp: {len(unexpected)} message(s) for keys that are not good records, {no_id} without a Message-ID")
    if pending:
        problems.append(f"smtp: the journal still has {len(pending)} letter(s) sending or held, e.g. {pending[:5]}")
    if done != len(good):
        problems.append(f"smtp: the journal has {done} letters done for {len(good)} good records")
    if kills < args.kills:
        notes.append(f"smtp: only {kills} of {args.kills} kills landed (the run finished first)")
    if not args.keep:
        shutil.rmtree(d)
    return row, problems, notes


def read_keys(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line)["key"] for line in f if line.strip()]


def table(rows):
    head = ["destination", "records", "kills", "done", "lost", "duplicated", "in doubt", "dup. not in doubt", "time"]
    lines = [head]
    for r in rows:
        def v(x):
            return "-" if x is None else str(x)
        ref = f" (ref {r['reference_seconds']:.1f} s)" if r.get("reference_seconds") else ""
        lines.append([r["destination"], str(r["records"]), f"{r['kills']} ({r['kills_before_journal']} pre-journal)",
                      v(r.get("done")), v(r.get("lost")), v(r.get("duplicated")), v(r.get("in_doubt")),
                      v(r.get("dup_not_in_doubt")), f"{r['seconds']:.1f} s{ref}"])
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(line, widths)).rstrip() for line in lines)


def main():
    p = argparse.ArgumentParser(
        description="SIGKILL `missive batch` at random moments, resume, and count every letter "
        "(folder, mbox, SMTP on loopback).",
        epilog="SMTP goes at about 22 letters/s per connection (4 connections), so it has its own, smaller "
        "--smtp-records; tests/smtp_server.py stops after 60 s unless it has a --timeout option.")
    p.add_argument("--records", type=int, default=100000, help="records for folder and mbox (default 100000)")
    p.add_argument("--smtp-records", type=int, default=2000,
                   help="records for SMTP (default 2000: SMTP is slow, ~22 letters/s per connection)")
    p.add_argument("--kills", type=int, default=10, help="SIGKILLs per destination (default 10)")
    p.add_argument("--destinations", default="folder,mbox,smtp", help="comma-separated: folder,mbox,smtp")
    p.add_argument("--seed", type=int, help="seed for the kill moments (default: random, printed)")
    p.add_argument("--bin", default="target/release/missive",
                   help="the missive binary, relative to the repository root (default target/release/missive)")
    p.add_argument("--segment-timeout", type=float,
                   help="seconds one run segment may take (default: max(120, 5 × the reference run) for folder "
                   "and mbox, max(60, records/10) for SMTP)")
    p.add_argument("--time-limit", type=float, default=3600, help="seconds for the whole check (default 3600)")
    p.add_argument("--keep", action="store_true", help="keep the work folder")
    p.add_argument("--work", help="work folder (default: a new temporary one)")
    p.add_argument("-v", "--verbose", action="store_true", help="one line per run segment")
    args = p.parse_args()

    dests = [d.strip() for d in args.destinations.split(",") if d.strip()]
    for d in dests:
        if d not in ("folder", "mbox", "smtp"):
            p.error(f"unknown destination {d!r}")
    if args.records < 1 or args.smtp_records < 1 or args.kills < 0:
        p.error("--records and --smtp-records must be at least 1, --kills at least 0")
    shown_bin = args.bin
    args.bin = os.path.abspath(os.path.join(ROOT, args.bin))
    if not os.access(args.bin, os.X_OK):
        log(f"no binary at {args.bin}: run `cargo build --release`, or pass --bin target/debug/missive after `cargo build`")
        return 2
    if not os.path.exists(GEN):
        log(f"needs {os.path.normpath(GEN)} (the shared/ folder beside the repository)")
        return 2
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    random.seed(seed)
    work = args.work or tempfile.mkdtemp(prefix="crash_resume.")
    os.makedirs(work, exist_ok=True)
    deadline = Deadline(args.time_limit)
    log(f"seed {seed}, binary {shown_bin}, work folder {work}")

    rows, problems, notes = [], [], []
    code = 0
    try:
        need = max(args.records if {"folder", "mbox"} & set(dests) else 0, args.smtp_records if "smtp" in dests else 0)
        data = os.path.join(work, "records.jsonl")
        with open(data, "wb") as f:
            subprocess.run([sys.executable, GEN, str(need)], stdout=f, check=True, timeout=600)
        for name in dests:
            n = args.smtp_records if name == "smtp" else args.records
            part = os.path.join(work, f"records-{n}.jsonl")
            if not os.path.exists(part):
                with open(data, "rb") as src, open(part, "wb") as dst:
                    for i, line in enumerate(src):
                        if i >= n:
                            break
                        dst.write(line)
            keys = read_keys(part)
            if name == "smtp":
                row, probs, nts = check_smtp(args, work, part, keys, deadline)
            else:
                row, probs, nts = check_destination(args, work, name, part, keys, deadline)
            rows.append(row)
            problems += probs
            notes += nts
            if deadline.left() <= 0:
                problems.append(f"the whole check ran past --time-limit {args.time_limit:.0f} s")
                break
    except Broken as e:
        log(f"cannot run the check: {e}")
        code = 2
    except KeyboardInterrupt:
        log("interrupted")
        code = 2
    finally:
        for proc in list(LIVE):
            reap(proc)
        if rows:
            print(f"crash_resume --seed {seed} --bin {shown_bin}: {', '.join(dests)}")
            print(table(rows), flush=True)
        for n in notes:
            print(f"note: {n}")
        for pr in problems:
            print(f"FAIL: {pr}")
        if args.keep:
            print(f"work folder kept: {work}")
        else:
            shutil.rmtree(work, ignore_errors=True)
    if code:
        return code
    if problems:
        return 1
    print("ok: no letter lost or duplicated" + (" (SMTP: duplicates only among letters in doubt)" if "smtp" in dests else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
