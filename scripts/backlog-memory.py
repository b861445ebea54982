#!/usr/bin/env python3
"""Resident memory of `detect` over a large backlog at the end of its input, beside an in-order
read of the same records (docs/reliability.md, "A large backlog at the end of the input").

Writes a synthetic tenant as JSON lines (VAULTS vaults, PRINCIPALS principals, RATE records an
hour for DAYS days; each principal calls a handful of vaults it keeps), twice: in time order, and
with the days from BACKLOG_FROM to the day before the last moved after the last day (a backlog
restored late: whole hours of records more than 48 hours late, within max_lag_days). Every
record of the backlog is late; their hours are reopened and, with the stream's clock stopped at
the last day, judged only at the end of the input, so the callers of every backlog hour are kept
until then: the most a backlog can hold.

Then runs `/usr/bin/time -v VAULTWATCH detect --no-state FILE` on each, in turns (A B A B ...),
and prints the maximum resident set size and the elapsed time of each run, the summary line
`detect` prints (late and out-of-range counts) and the medians.

Usage: scripts/backlog-memory.py [--runs N] [--keep] [--generate-only]
(--keep keeps the two files and reuses them when present; --generate-only writes them and stops.)
Environment: VAULTWATCH (default .build/release/vaultwatch), WORK (default /tmp/vaultwatch-backlog),
VAULTS (1000), PRINCIPALS (20000), RATE (3000), DAYS (40), BACKLOG_FROM (12), SEED (1).
"""
import os
import random
import re
import statistics
import subprocess
import sys
from datetime import datetime, timedelta, timezone

binary = os.environ.get("VAULTWATCH", ".build/release/vaultwatch")
work = os.environ.get("WORK", "/tmp/vaultwatch-backlog")
vaults = int(os.environ.get("VAULTS", "1000"))
principals = int(os.environ.get("PRINCIPALS", "20000"))
rate = int(os.environ.get("RATE", "3000"))
days = int(os.environ.get("DAYS", "40"))
backlog_from = int(os.environ.get("BACKLOG_FROM", "12"))
seed = int(os.environ.get("SEED", "1"))
runs = 3
keep = False
generate_only = False
arguments = sys.argv[1:]
while arguments:
    argument = arguments.pop(0)
    if argument == "--runs":
        runs = int(arguments.pop(0))
    elif argument == "--keep":
        keep = True
    elif argument == "--generate-only":
        keep = generate_only = True
    else:
        sys.exit(f"backlog-memory: unknown argument {argument} (see the file's first lines)")
if not 2 < backlog_from < days - 1:
    sys.exit("backlog-memory: BACKLOG_FROM must leave days before the backlog and the last day after it")

start = datetime(2026, 9, 7, tzinfo=timezone.utc)
random.seed(seed)
# Each principal keeps three vaults; a tenth of the principals are users (a UPN).
kept_vaults = [[random.randrange(vaults) for _ in range(3)] for _ in range(principals)]
operations = ["SecretGet"] * 8 + ["SecretList", "KeyGet", "CertificateGet"]


def record(time, principal, vault, operation):
    oid = f"{principal:08x}-0000-4000-8000-{principal:012x}"
    upn = f',"upn":"user{principal}@contoso.com"' if principal % 10 == 0 else ""
    name = f"kv-{vault:04d}"
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time.microsecond * 10:07d}Z"
    return (
        f'{{"time":"{stamp}","resourceId":"/SUBSCRIPTIONS/00000000-0000-4000-8000-000000000000/RESOURCEGROUPS/RG/PROVIDERS/'
        f'MICROSOFT.KEYVAULT/VAULTS/{name.upper()}","operationName":"{operation}","operationVersion":"7.4",'
        f'"category":"AuditEvent","resultType":"Success","resultSignature":"OK","durationMs":"4",'
        f'"callerIpAddress":"20.{principal % 200}.{principal // 200 % 250}.{principal % 7 + 1}",'
        f'"identity":{{"claim":{{"oid":"{oid}","appid":"{principal % 50:08x}-0000-4000-8000-00000000a000"{upn}}}}},'
        f'"properties":{{"id":"https://{name}.vault.azure.net/secrets/s{principal % 9}","httpStatusCode":200}}}}\n'
    )


def day_lines(day):
    lines = []
    day_start = start + timedelta(days=day)
    for hour in range(24):
        hour_start = day_start + timedelta(hours=hour)
        offsets = sorted(random.randrange(3_600_000_000) for _ in range(rate))
        for offset in offsets:
            principal = random.randrange(principals)
            vault = random.choice(kept_vaults[principal])
            lines.append(record(hour_start + timedelta(microseconds=offset), principal, vault, random.choice(operations)))
    return lines


os.makedirs(work, exist_ok=True)
in_order = os.path.join(work, "in-order.jsonl")
backlog = os.path.join(work, "backlog.jsonl")
if not (keep and os.path.exists(in_order) and os.path.exists(backlog)):
    with open(in_order, "w") as ordered, open(backlog, "w") as restored, open(backlog + ".tail", "w") as tail:
        for day in range(days):
            lines = day_lines(day)
            ordered.writelines(lines)
            (tail if backlog_from <= day < days - 1 else restored).writelines(lines)
    with open(backlog, "a") as restored, open(backlog + ".tail") as tail:
        for line in tail:
            restored.write(line)
    os.remove(backlog + ".tail")
size = os.path.getsize(in_order)
records = rate * 24 * days
print(f"{records:,} records ({size / 1_048_576:.0f} MiB), {vaults} vaults, {principals} principals, {days} days; "
      f"backlog: days {backlog_from} to {days - 2} ({rate * 24 * (days - 1 - backlog_from):,} records) after day {days - 1}")
if generate_only:
    sys.exit(0)


def measure(path):
    result = subprocess.run(["/usr/bin/time", "-v", binary, "detect", "--no-state", path],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", result.stderr).group(1))
    elapsed = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", result.stderr).group(1)
    summary = [line for line in result.stderr.splitlines() if "events" in line and "alert" in line]
    return rss, elapsed, summary[-1].strip() if summary else "(no summary line)"


results = {"in order": [], "backlog at the end": []}
for run in range(runs):
    for name, path in [("in order", in_order), ("backlog at the end", backlog)]:
        rss, elapsed, summary = measure(path)
        results[name].append(rss)
        print(f"run {run + 1} {name:>18}: {rss / 1024:7.1f} MiB resident at most, {elapsed} elapsed; {summary}")
for name, values in results.items():
    print(f"median {name:>18}: {statistics.median(values) / 1024:7.1f} MiB")
ratio = statistics.median(results["backlog at the end"]) / statistics.median(results["in order"])
print(f"backlog / in order: {ratio:.2f}")
if not keep:
    os.remove(in_order)
    os.remove(backlog)
