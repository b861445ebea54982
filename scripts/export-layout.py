#!/usr/bin/env python3
"""Lay out a generated tenant's blob tree the way real exports come: one file per vault,
in order or with the disorder real exports have, so that a sweep can compare the alerts of the
same tenant read in order (the blob tree) and read late or skewed.

Usage: scripts/export-layout.py TREE OUTDIR LAYOUT
  TREE    a blob tree written by `vaultwatch demo generate` (resourceId=/…/VAULTS/NAME/y=…/PT1H.json)
  OUTDIR  the directory to write NAME.json into, one file per vault
  LAYOUT  vault-files  each vault's hourly blobs concatenated in order
          late         as vault-files, but about one hourly blob in LATE_ONE_IN (default 6) of every
                       vault, chosen by a hash of vault and hour, is appended LATE_HOURS (default 3)
                       hours late: after the blob of its hour + LATE_HOURS (an hourly blob appended
                       after its hour; several vaults late at once, the attack day's hours too)
          late-day     as vault-files, but the busiest vault's blobs of one history day (the day
                       at two thirds of the history) come after its blobs of the next day (an
                       export a day late)
          skew         as vault-files, but the busiest vault's clock is set SKEW_HOURS (default 3)
                       ahead from the middle of its busiest history hour for SKEW_SPAN_MINUTES
                       (default 120) minutes of its records, then corrected (a clock set wrong)
          skew-short   the same for 30 minutes of its records
          skew-behind  as skew, but the clock set SKEW_BEHIND_HOURS (default 1) behind, for
                       SKEW_SPAN_MINUTES of its records, then corrected (a clock that jumps back)
          overlap      each vault's blobs in weekly export files (NAME.wNN.json, weeks counted
                       from the tenant's first day) that each reach one day into the next week
                       (an export of the last 8 days, taken each week): the records of every
                       week's first day come twice, in the week's file and in the one before
       scripts/export-layout.py --split OUTDIR RESTDIR [HH:MM]
  cuts each file of OUTDIR at HH:MM UTC (default 10:30, inside the attack day's stories) of the
  last day its files hold, the rest of each file going to RESTDIR: to read the tenant in two runs
  of `detect --state`. Split RESTDIR's files again at a later time to read it in more runs.
The history is every day before the last (the attack day), so late-day and skew touch the same
records with and without attacks. Deterministic: the same tree gives the same files.
"""
import datetime
import glob
import hashlib
import json
import os
import re
import sys
from collections import Counter

TIME = re.compile(r'"time"\s*:\s*"([^"]+)"')


def blobs_by_vault(tree):
    """Each vault's hourly blobs in order, as (hour, bytes). The tree's blobs are read once and
    kept beside it as one file per vault (TREE.ordered/NAME.json), which later layouts read
    instead: the blobs are the records of one hour, so the hours split them again."""
    cache = tree.rstrip("/") + ".ordered"
    if not os.path.isdir(cache):
        pattern = os.path.join(tree, "resourceId=", "SUBSCRIPTIONS", "*", "RESOURCEGROUPS", "*", "PROVIDERS",
                               "MICROSOFT.KEYVAULT", "VAULTS", "*")
        vaults = sorted(glob.glob(pattern))
        if not vaults:
            sys.exit(f"export-layout: no vault directories under {tree}")
        os.makedirs(cache + ".partial", exist_ok=True)
        for vault in vaults:
            paths = sorted(glob.glob(os.path.join(vault, "**", "PT1H.json"), recursive=True))
            with open(os.path.join(cache + ".partial", os.path.basename(vault) + ".json"), "wb") as handle:
                handle.write(b"".join(read(path) for path in paths))
        os.rename(cache + ".partial", cache)
    vaults = {}
    for path in sorted(glob.glob(os.path.join(cache, "*.json"))):
        blobs = []
        with open(path, "rb") as handle:
            for line in handle:
                match = TIME.search(line.decode("utf-8", "replace"))
                hour = datetime.datetime.strptime(match.group(1)[:13], "%Y-%m-%dT%H") if match else (blobs[-1][0] if blobs else None)
                if blobs and blobs[-1][0] == hour:
                    blobs[-1][1].append(line)
                else:
                    blobs.append((hour, [line]))
        vaults[os.path.basename(path)[:-len(".json")]] = [(hour, b"".join(lines)) for hour, lines in blobs]
    return vaults


def read(path):
    with open(path, "rb") as handle:
        data = handle.read()
    if data and not data.endswith(b"\n"):
        data += b"\n"
    return data


def chosen(vault, hour, one_in):
    digest = hashlib.sha256(f"{vault} {hour.isoformat()}".encode()).digest()
    return int.from_bytes(digest[:4], "big") % one_in == 0


def history_days(vaults):
    days = sorted({hour.date() for blobs in vaults.values() for hour, _ in blobs if hour is not None})
    return days[:-1]  # the last day is the attack day


def busiest(vaults):
    return max(vaults, key=lambda name: (sum(len(data) for _, data in vaults[name]), name))


def late_order(vault, blobs):
    """Blobs in arrival order: a chosen blob comes after the blob LATE_HOURS hours after it."""
    delay = datetime.timedelta(hours=int(os.environ.get("LATE_HOURS", "3")))
    one_in = int(os.environ.get("LATE_ONE_IN", "6"))
    arrivals = []
    for index, (hour, data) in enumerate(blobs):
        arrival = hour + delay if chosen(vault, hour.replace(tzinfo=datetime.timezone.utc), one_in) else hour
        arrivals.append((arrival, index, data))
    return [data for _, _, data in sorted(arrivals)]


def late_day_order(blobs, day):
    following = day + datetime.timedelta(days=1)
    held = [data for hour, data in blobs if hour.date() == day]
    rest = [(hour, data) for hour, data in blobs if hour.date() != day]
    cut = max((index + 1 for index, (hour, _) in enumerate(rest) if hour.date() <= following), default=0)
    return [data for _, data in rest[:cut]] + held + [data for _, data in rest[cut:]]


def skewed(blobs, days, minutes, hours=None):
    """The vault's records, its clock set `hours` (default SKEW_HOURS) ahead (behind when
    negative) for `minutes` of them from the middle of its busiest history hour."""
    ahead = datetime.timedelta(hours=hours if hours is not None else int(os.environ.get("SKEW_HOURS", "3")))
    span = datetime.timedelta(minutes=minutes)
    history = set(days)
    lines = []
    for _, data in blobs:
        lines.extend(data.splitlines(keepends=True))
    times = []
    for line in lines:
        match = TIME.search(line.decode("utf-8", "replace"))
        times.append(datetime.datetime.strptime(match.group(1)[:19], "%Y-%m-%dT%H:%M:%S") if match else None)
    per_hour = Counter(time.replace(minute=0, second=0, microsecond=0) for time in times
                       if time is not None and time.date() in history)
    peak = max(per_hour, key=lambda hour: (per_hour[hour], hour))
    in_peak = [index for index, time in enumerate(times) if time and time.replace(minute=0, second=0, microsecond=0) == peak]
    start = in_peak[len(in_peak) // 2]
    shifted = 0
    for index in range(start, len(lines)):
        time = times[index]
        if time is None:
            continue
        if time - times[start] >= span:
            break
        text = lines[index].decode("utf-8")
        match = TIME.search(text)
        original = match.group(1)
        moved = (time + ahead).strftime("%Y-%m-%dT%H:%M:%S") + original[19:]
        lines[index] = (text[:match.start(1)] + moved + text[match.end(1):]).encode("utf-8")
        shifted += 1
    hours = ahead.total_seconds() / 3600
    sys.stderr.write(f"export-layout: skew: {shifted} records from {times[start].isoformat()} stamped "
                     f"{abs(hours):g} h {'ahead' if hours > 0 else 'behind'}\n")
    return b"".join(lines)


def weekly_overlapping(blobs, first_day):
    """The vault's blobs by weekly export file (week index -> bytes), each file holding its week
    and the next week's first day."""
    weeks = {}
    for hour, data in blobs:
        days = (hour.date() - first_day).days
        weeks.setdefault(days // 7, []).append(data)
        if days % 7 == 0 and days > 0:
            weeks.setdefault(days // 7 - 1, []).append(data)
    return {week: b"".join(parts) for week, parts in weeks.items()}


def split(outdir, restdir, at="10:30"):
    """Cuts each file of OUTDIR at its first record at or after `at` (HH:MM UTC) of the last day
    (the attack day: 10:30 is inside its stories), moving the rest to RESTDIR: a run over the first
    parts, then the rest appended and a second run, is a restart in the middle of the attack day."""
    if not re.fullmatch(r"[0-2][0-9]:[0-5][0-9]", at):
        sys.exit(f"export-layout: --split wants a time as HH:MM, not {at!r}")
    files = sorted(glob.glob(os.path.join(outdir, "*.json")))
    last = None
    for path in files:
        for match in TIME.finditer(open(path, encoding="utf-8", errors="replace").read()):
            day = match.group(1)[:10]
            last = day if last is None or day > last else last
    if last is None:
        sys.exit(f"export-layout: no record with a time in {outdir} to split")
    cut = f"{last}T{at}:00"
    os.makedirs(restdir, exist_ok=True)
    for path in files:
        with open(path, "rb") as handle:
            lines = handle.readlines()
        position = next((index for index, line in enumerate(lines)
                         if (match := TIME.search(line.decode("utf-8", "replace"))) and match.group(1)[:19] >= cut), len(lines))
        with open(path, "wb") as handle:
            handle.writelines(lines[:position])
        with open(os.path.join(restdir, os.path.basename(path)), "wb") as handle:
            handle.writelines(lines[position:])
    sys.stderr.write(f"export-layout: split at {cut}Z\n")


def main():
    if len(sys.argv) in (4, 5) and sys.argv[1] == "--split":
        return split(*sys.argv[2:])
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    tree, outdir, layout = sys.argv[1:]
    layouts = ("vault-files", "late", "late-day", "skew", "skew-short", "skew-behind", "overlap")
    if layout not in layouts:
        sys.exit(f"export-layout: unknown layout {layout!r} ({', '.join(layouts)})")
    vaults = blobs_by_vault(tree)
    days = history_days(vaults)
    target = busiest(vaults)
    os.makedirs(outdir, exist_ok=True)
    first_day = min(hour.date() for blobs in vaults.values() for hour, _ in blobs if hour is not None)
    twice = 0
    for vault, blobs in vaults.items():
        if layout == "overlap":
            for week, data in weekly_overlapping(blobs, first_day).items():
                with open(os.path.join(outdir, f"{vault}.w{week:02d}.json"), "wb") as handle:
                    handle.write(data)
            twice += sum(data.count(b"\n") for hour, data in blobs
                         if (hour.date() - first_day).days % 7 == 0 and hour.date() > first_day)
            continue
        if layout == "late":
            data = b"".join(late_order(vault, blobs))
        elif layout == "late-day" and vault == target:
            day = days[(2 * len(days)) // 3]
            sys.stderr.write(f"export-layout: late-day: {vault}'s {day} after {day + datetime.timedelta(days=1)}\n")
            data = b"".join(late_day_order(blobs, day))
        elif layout == "skew" and vault == target:
            data = skewed(blobs, days, int(os.environ.get("SKEW_SPAN_MINUTES", "120")))
        elif layout == "skew-short" and vault == target:
            data = skewed(blobs, days, 30)
        elif layout == "skew-behind" and vault == target:
            data = skewed(blobs, days, int(os.environ.get("SKEW_SPAN_MINUTES", "120")),
                          -int(os.environ.get("SKEW_BEHIND_HOURS", "1")))
        else:
            data = b"".join(data for _, data in blobs)
        with open(os.path.join(outdir, vault + ".json"), "wb") as handle:
            handle.write(data)
    if layout == "overlap":
        sys.stderr.write(f"export-layout: overlap: {twice} records in two weekly files\n")


if __name__ == "__main__":
    main()
