#!/usr/bin/env python3
"""Appends audit records to a log at a steady rate, rotating it by rename (scripts/soak.sh).

    soak_writer.py POOL_LIST LOG RATE ROTATE_SECONDS GENERATIONS COUNT_FILE

POOL_LIST names record files (JSON lines) in the order to replay them, cycled as often as
needed. Each record's "time" becomes the wall-clock time it is written, so a live `watch` sees
a tenant working now. Every ROTATE_SECONDS the log is rotated as logrotate does without
copytruncate: LOG.(N-1) -> LOG.N ... LOG -> LOG.1, a new LOG; LOG.GENERATIONS is deleted first.
COUNT_FILE holds the number of lines written so far (rewritten every second). Runs until
SIGTERM or SIGINT, then writes the final count.
"""
import datetime
import os
import re
import signal
import sys
import time

pool_list, log, rate, rotate_seconds, generations, count_file = sys.argv[1:7]
rate, rotate_seconds, generations = float(rate), float(rotate_seconds), int(generations)

records = []
for path in open(pool_list).read().split("\n"):
    if path:
        records.extend(line for line in open(path, encoding="utf-8").read().split("\n") if line.strip())
if not records:
    sys.exit("soak_writer: no records in the pool")
time_field = re.compile(r'"time"\s*:\s*"[^"]*"')

stopping = False


def stop(signum, frame):
    global stopping
    stopping = True


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)


def write_count(count):
    with open(count_file + ".tmp", "w") as out:
        out.write(f"{count}\n")
    os.replace(count_file + ".tmp", count_file)


def rotate():
    oldest = f"{log}.{generations}"
    if os.path.exists(oldest):
        os.unlink(oldest)
    for generation in range(generations - 1, 0, -1):
        if os.path.exists(f"{log}.{generation}"):
            os.rename(f"{log}.{generation}", f"{log}.{generation + 1}")
    os.rename(log, f"{log}.1")


out = open(log, "a", encoding="utf-8")
written = 0
rotations = 0
start = time.monotonic()
last_rotation = start
last_count = start
index = 0
while not stopping:
    now = time.monotonic()
    due = int((now - start) * rate) - written
    if due > 0:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0Z"
        lines = []
        for _ in range(due):
            lines.append(time_field.sub(f'"time":"{stamp}"', records[index % len(records)], count=1) + "\n")
            index += 1
        out.write("".join(lines))
        out.flush()
        written += due
    if now - last_rotation >= rotate_seconds:
        out.close()
        rotate()
        rotations += 1
        out = open(log, "a", encoding="utf-8")
        last_rotation = now
    if now - last_count >= 1:
        write_count(written)
        last_count = now
    time.sleep(0.05)
out.close()
write_count(written)
print(f"soak_writer: {written} lines written, {rotations} rotations", file=sys.stderr)
