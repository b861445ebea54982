#!/usr/bin/env python3
"""Measures what a follower reads of a log that is written fast and rotated, as a user would.

A writer appends Key Vault audit records at a steady rate (default 20,000 lines/s) while a
rotator rotates the log every few seconds, by rename (logrotate's default: the writer keeps
writing to the renamed file until it reopens, as after a HUP) or by copytruncate (copy, then
truncate in place while the writer goes on: the lines written between the two are gone for
everyone). The reader is `vaultwatch detect --follow` (its summary line counts the events it
read and the possible data losses it reported) or, as a reference, `tail -F`. In the paused
scenarios the reader is stopped (SIGSTOP) for 4 s while the log rotates 4 times, then resumed.

Prints one line per scenario and reader: lines written, lines read, losses reported, and the
lines no reader could have read (copytruncate: the records never whole on disk, counted after the
run from every copy and the log; generations deleted by the retention are counted before deletion).

Two scenarios restart the reader (`detect --state`) instead of rotating: `symlink-restart` stops
`detect --follow --state` (SIGINT) while `current.jsonl` points to the day's file the writer
appends to, lets the writer go on, moves the link to a new file the writer continues in, and
starts the reader again; `replaced-restart` reads a log with `detect --state`, replaces it (a
rename over it) by a longer file whose first half is the same lines and the rest other lines,
and reads again. Their rows add `read again` (lines said to be read a second time) and
`malformed` (records read from the middle); `read again` adds up the lines the reports name (a
lower bound: a restart compares the first KiB, which the checkpoint keeps).

    scripts/rotation-measure.py --vaultwatch .build/release/vaultwatch
    scripts/rotation-measure.py --scenario copytruncate --reader tail
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

RECORD = (
    '{{"time":"2024-05-01T{hour:02d}:{minute:02d}:{second:02d}.{fraction:07d}Z",'
    '"resourceId":"/SUBSCRIPTIONS/00000000-0000-0000-0000-000000000001/RESOURCEGROUPS/RG-SOAK'
    '/PROVIDERS/MICROSOFT.KEYVAULT/VAULTS/SOAK-KV","operationName":"SecretGet","operationVersion":"7.4",'
    '"category":"AuditEvent","resultType":"Success","correlationId":"33333333-3333-3333-3333-333333333333",'
    '"callerIpAddress":"10.0.{a}.{b}","identity":{{"claim":{{"oid":"11111111-1111-1111-1111-111111111111",'
    '"appid":"22222222-2222-2222-2222-222222222222","upn":"alice@contoso.com"}}}},'
    '"properties":{{"id":"https://soak-kv.vault.azure.net/secrets/s{number}","httpStatusCode":200}}}}\n'
)


def record(number):
    # 10 records per second of event time, from 10:00, so event time moves forward evenly.
    seconds = number // 10
    return RECORD.format(
        hour=10 + seconds // 3600 % 12, minute=seconds // 60 % 60, second=seconds % 60,
        fraction=(number % 10) * 1_000_000, a=number % 250, b=number % 7 + 1, number=number)


class Writer(threading.Thread):
    """Appends `total` records at `rate` lines/s, in a write every 10 ms; reopens on request.

    With `appends=False` the file is opened without O_APPEND (as many loggers do): after a
    copytruncate the writer writes on at its own offset, leaving a hole of zeros."""

    def __init__(self, path, total, rate, appends=True):
        super().__init__(daemon=True)
        self.path, self.total, self.rate, self.appends = path, total, rate, appends
        self.written = 0
        self.reopen = threading.Event()
        self.done = threading.Event()

    def open(self):
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if self.appends else 0)
        descriptor = os.open(self.path, flags, 0o644)
        os.lseek(descriptor, 0, os.SEEK_END)
        return descriptor

    def run(self):
        descriptor = self.open()
        start = time.monotonic()
        while self.written < self.total:
            if self.reopen.is_set():
                os.close(descriptor)
                descriptor = self.open()
                self.reopen.clear()
            due = min(self.total, int((time.monotonic() - start) * self.rate) + 1)
            if due > self.written:
                data = "".join(record(n) for n in range(self.written, due)).encode()
                while data:
                    data = data[os.write(descriptor, data):]
                self.written = due
            time.sleep(0.01)
        os.close(descriptor)
        self.done.set()


def rotate_by_rename(path, keep, writer):
    shift(path, keep)
    os.rename(path, path + ".1")
    open(path, "a").close()  # logrotate's `create`
    # The writer learns of it a little later (a HUP handled on its next write).
    time.sleep(0.05)
    writer.reopen.set()
    return 0


def copytruncate(path, keep, recoverable):
    shift(path, keep, recoverable)
    shutil.copyfile(path, path + ".1")
    os.truncate(path, 0)


RECORD_NUMBER = re.compile(rb'secrets/s(\d+)"')


def complete_records(path):
    """The numbers of the records a file holds whole (a line ending with its newline)."""
    numbers = set()
    with open(path, "rb") as file:
        for line in file:
            if line.endswith(b"\n"):
                found = RECORD_NUMBER.search(line)
                if found:
                    numbers.add(int(found.group(1)))
    return numbers


def shift(path, keep, recoverable=None):
    for index in range(keep, 0, -1):
        source = f"{path}.{index}"
        if os.path.exists(source):
            if index == keep:
                # Before retention deletes a copy, what it held whole counts as recoverable.
                if recoverable is not None:
                    recoverable |= complete_records(source)
                os.remove(source)
            else:
                os.rename(source, f"{path}.{index + 1}")


def cpu_ticks(pid):
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except OSError:
        return None


def wait_quiet(pid, quiet_seconds=2.0, limit=120):
    """Waits until the process has used no CPU for `quiet_seconds` (it has caught up)."""
    last, since, deadline = cpu_ticks(pid), time.monotonic(), time.monotonic() + limit
    while time.monotonic() < deadline:
        time.sleep(0.25)
        now = cpu_ticks(pid)
        if now != last:
            last, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_seconds:
            return


def measure(scenario, reader, vaultwatch, rate, every, keep, show_reports=False, appends=True, keep_directory=False):
    paused = scenario.endswith("-paused")
    copying = scenario.startswith("copytruncate")
    total = 100_030 if paused else 10 * rate
    interval = 1.0 if paused else every
    directory = tempfile.mkdtemp(prefix="vaultwatch-rotation-")
    path = os.path.join(directory, "audit.jsonl")
    open(path, "w").close()
    errors = open(os.path.join(directory, "stderr.txt"), "w+")
    if reader == "vaultwatch":
        process = subprocess.Popen([vaultwatch, "detect", path, "--follow"], stdout=subprocess.DEVNULL, stderr=errors)
    else:
        output = open(os.path.join(directory, "tail.txt"), "w")
        process = subprocess.Popen(["tail", "-F", "-n", "+1", path], stdout=output, stderr=errors)
    time.sleep(1.0)  # the reader is following before the first line is written
    writer = Writer(path, total, rate, appends)
    writer.start()
    recoverable = set()
    rotations, next_rotation = 0, time.monotonic() + interval
    pause_at = time.monotonic() + 0.5 if paused else None
    resume_at = None
    while not writer.done.is_set():
        now = time.monotonic()
        if pause_at and now >= pause_at:
            process.send_signal(signal.SIGSTOP)
            pause_at, resume_at = None, now + 4.0
        if resume_at and now >= resume_at:
            process.send_signal(signal.SIGCONT)
            resume_at = None
        if now >= next_rotation:
            if copying:
                copytruncate(path, keep, recoverable)
            else:
                rotate_by_rename(path, keep, writer)
            rotations += 1
            next_rotation = now + interval
        time.sleep(0.005)
    if resume_at:
        process.send_signal(signal.SIGCONT)
    wait_quiet(process.pid)
    process.send_signal(signal.SIGINT if reader == "vaultwatch" else signal.SIGTERM)
    process.wait(timeout=60)
    unrecoverable = 0
    if copying:
        # Exactly what no reader could have read after the fact: the records that were never
        # whole in a copy or in the log at the end (written between a copy and its truncation,
        # or cut by a copy made in the middle of a write). The generations still present and
        # the log are counted now; deleted ones were counted before their deletion.
        for name in os.listdir(directory):
            if name == "audit.jsonl" or name.startswith("audit.jsonl."):
                recoverable |= complete_records(os.path.join(directory, name))
        unrecoverable = writer.written - len(recoverable)
    errors.seek(0)
    messages = errors.read().splitlines()
    reports = [line for line in messages if "may have been lost" in line]
    losses = len(reports)
    counted = sum(int(found.group(1).replace(",", "")) for found in
                  (re.search(r"about ([\d,]+) lines?", line) for line in reports) if found)
    if show_reports:
        for line in reports: print("   ", line)
    if reader == "vaultwatch":
        summary = messages[-1] if messages else ""
        read = int(summary.split()[1]) if summary.startswith("vaultwatch: ") else -1
    else:
        output.close()
        with open(os.path.join(directory, "tail.txt"), "rb") as text:
            read = sum(chunk.count(b"\n") for chunk in iter(lambda: text.read(1 << 20), b""))
    if keep_directory:
        print("    kept", directory)
    else:
        shutil.rmtree(directory, ignore_errors=True)
    return dict(scenario=scenario, reader=reader, written=writer.written, read=read, rotations=rotations,
                losses=losses, counted=counted, unrecoverable=unrecoverable)


def summary_counts(messages):
    """Events and malformed records from a `detect` summary line (the last line of stderr)."""
    summary = messages[-1] if messages else ""
    found = re.match(r"vaultwatch: ([\d,]+) events, ([\d,]+) malformed", summary)
    return (int(found.group(1).replace(",", "")), int(found.group(2).replace(",", ""))) if found else (-1, -1)


def run_detect(vaultwatch, arguments, directory, follow_until=None, catch_up=True):
    """Runs `detect` on `arguments`; with `follow_until` (a callable) it follows, and is stopped
    with SIGINT once the callable has returned (and, with `catch_up`, the reader has caught up).
    Returns stderr's lines."""
    with open(os.path.join(directory, "stderr.txt"), "w+") as errors:
        command = [vaultwatch, "detect", *arguments] + (["--follow"] if follow_until else [])
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        if follow_until:
            follow_until()
            if catch_up:
                wait_quiet(process.pid)
            process.send_signal(signal.SIGINT)
        process.wait(timeout=600)
        errors.seek(0)
        return errors.read().splitlines()


def measure_restart(scenario, vaultwatch, rate):
    """The restart scenarios (see the module's documentation)."""
    directory = tempfile.mkdtemp(prefix="vaultwatch-restart-")
    state = os.path.join(directory, "state.db")
    messages = []
    if scenario == "symlink-restart":
        link, first, second = (os.path.join(directory, name) for name in ("current.jsonl", "day-1.jsonl", "day-2.jsonl"))
        open(first, "w").close()
        os.symlink("day-1.jsonl", link)
        total = 10 * rate
        writer = Writer(first, total, rate)

        def first_run():
            time.sleep(1.0)
            writer.start()
            time.sleep(3.0)
        # Stopped while the writer writes: it goes on in day 1, then the link moves and it writes
        # on in day 2.
        messages += run_detect(vaultwatch, [link, "--state", state], directory, follow_until=first_run, catch_up=False)
        time.sleep(2.0)
        open(second, "w").close()
        os.symlink("day-2.jsonl", link + ".new")
        os.rename(link + ".new", link)
        writer.path = second
        writer.reopen.set()

        def second_run():
            writer.done.wait()
        messages += run_detect(vaultwatch, [link, "--state", state], directory, follow_until=second_run)
        written = writer.written
    else:
        path = os.path.join(directory, "audit.jsonl")
        half = 5 * rate
        with open(path, "w") as log:
            log.write("".join(record(n) for n in range(2 * half)))
        messages += run_detect(vaultwatch, [path, "--state", state], directory)
        with open(path + ".new", "w") as log:
            log.write("".join(record(n) for n in range(half)) + "".join(record(n) for n in range(10 * half, 13 * half)))
        os.rename(path + ".new", path)
        messages += run_detect(vaultwatch, [path, "--state", state], directory)
        written = 2 * half + 4 * half
    summaries = [summary_counts([line]) for line in messages if line.startswith("vaultwatch: ")]
    again = sum(int(found.group(1)) for found in (re.search(r"starts with (?:at least )?(\d+) lines?", line)
                                                  for line in messages if "read again" in line) if found)
    shutil.rmtree(directory, ignore_errors=True)
    return dict(scenario=scenario, written=written, read=sum(events for events, _ in summaries),
                runs="+".join(str(events) for events, _ in summaries),
                losses=sum(1 for line in messages if "may have been lost" in line), again=again,
                malformed=sum(malformed for _, malformed in summaries))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--vaultwatch", default=".build/release/vaultwatch")
    parser.add_argument("--scenario", default="all",
                        choices=["all", "rename", "rename-paused", "copytruncate", "copytruncate-paused", "symlink-restart",
                                 "replaced-restart"])
    parser.add_argument("--reader", default="both", choices=["both", "vaultwatch", "tail"])
    parser.add_argument("--rate", type=int, default=20_000, help="lines per second")
    parser.add_argument("--every", type=float, default=2.0, help="seconds between rotations")
    parser.add_argument("--keep", type=int, default=5, help="rotated generations kept")
    parser.add_argument("--show-reports", action="store_true", help="print the loss reports vaultwatch wrote")
    parser.add_argument("--no-append", action="store_true",
                        help="the writer opens the log without O_APPEND (copytruncate then leaves a hole)")
    parser.add_argument("--keep-directory", action="store_true", help="leave the log, its generations and stderr.txt")
    arguments = parser.parse_args()
    scenarios = ["rename", "rename-paused", "copytruncate", "copytruncate-paused"] if arguments.scenario == "all" else [arguments.scenario]
    if arguments.scenario.endswith("-restart"):
        print(f"{'scenario':<20} {'reader':<10} {'written':>8} {'read':>8} {'each run':>15} {'losses reported':>15} {'read again':>10} "
              f"{'malformed':>9}")
        result = measure_restart(arguments.scenario, arguments.vaultwatch, arguments.rate)
        print(f"{result['scenario']:<20} {'vaultwatch':<10} {result['written']:>8} {result['read']:>8} {result['runs']:>15} {result['losses']:>15} "
              f"{result['again']:>10} {result['malformed']:>9}", flush=True)
        return
    readers = ["vaultwatch", "tail"] if arguments.reader == "both" else [arguments.reader]
    print(f"{'scenario':<20} {'reader':<10} {'written':>8} {'read':>8} {'rotations':>9} {'losses reported':>15} "
          f"{'lines counted':>13} {'unrecoverable':>13}")
    for scenario in scenarios:
        for reader in readers:
            result = measure(scenario, reader, arguments.vaultwatch, arguments.rate, arguments.every, arguments.keep,
                             arguments.show_reports, not arguments.no_append, arguments.keep_directory)
            print(f"{result['scenario']:<20} {result['reader']:<10} {result['written']:>8} {result['read']:>8} "
                  f"{result['rotations']:>9} {result['losses']:>15} {result['counted']:>13} {result['unrecoverable']:>13}", flush=True)


if __name__ == "__main__":
    sys.exit(main())
