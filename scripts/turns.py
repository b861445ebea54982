#!/usr/bin/env python3
"""Runs builds of `vaultwatch detect` in turns on one file and prints medians and per-round ratios.

Usage: scripts/turns.py [--rounds N] [--state | --state-cost] [--existing-state] [--args "EXTRA ARGS"] FILE VAULTWATCH [VAULTWATCH...]

Each round runs every build once, in the order given (A B C A B C ...), so a change in the
machine's load falls on all of them; each run is process start to exit, stdout to a pipe that is
read and hashed (the alerts of every build must be the same bytes: a difference is reported).
With --state each run writes a new state file (removed, untimed, before it); without it,
`--no-state`. With --state-cost every build runs both ways in each round (`--no-state`, then
`--state` on a new file) and the cost of the state is the median of the per-round ratios. With
--existing-state the state file is made first (untimed) by a run on an empty input, so the timed
run saves into a file that exists, as every run after the first does. Wall time from the clock, CPU time (user + system, every thread) from wait4.

Prints, for each build: median wall and CPU seconds, events/s from the median wall (when the
file is JSON lines, one record a line), and, against the first build, the median of the
per-round ratios and how many rounds were below 1. The machine's load average before and after.
On a shared machine the ratios in the same turns are the figures to compare, not the seconds.
"""

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(binary, path, state, extra, existing=False):
    arguments = [binary, "detect"]
    state_path = None
    if state:
        state_path = os.path.join(tempfile.gettempdir(), f"turns-{os.getpid()}.sqlite")
        for suffix in ("", "-wal", "-shm", ".lock", ".new"):
            try:
                os.remove(state_path + suffix)
            except FileNotFoundError:
                pass
        if existing:
            empty = os.path.join(tempfile.gettempdir(), f"turns-{os.getpid()}-empty.jsonl")
            open(empty, "wb").close()
            made = subprocess.run([binary, "detect", "--state", state_path, empty], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if made.returncode != 0:
                sys.exit(f"{binary} could not make a state file from an empty input (status {made.returncode})")
        arguments += ["--state", state_path]
    else:
        arguments += ["--no-state"]
    arguments += extra + [path]
    started = time.monotonic()
    child = subprocess.Popen(arguments, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    digest = hashlib.md5()
    for block in iter(lambda: child.stdout.read(1 << 16), b""):
        digest.update(block)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.monotonic() - started
    if status != 0:
        sys.exit(f"{binary} exited with status {os.waitstatus_to_exitcode(status)} on {path}")
    return wall, usage.ru_utime + usage.ru_stime, digest.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--state", action="store_true", help="detect --state NEW-FILE instead of --no-state")
    parser.add_argument("--state-cost", action="store_true", help="each build both ways; print what --state costs")
    parser.add_argument("--existing-state", action="store_true", help="the state file exists before each timed run")
    parser.add_argument("--args", default="", help="more arguments for detect, split on spaces")
    parser.add_argument("file")
    parser.add_argument("builds", nargs="+")
    options = parser.parse_args()

    with open(options.file, "rb") as handle:
        records = sum(block.count(b"\n") for block in iter(lambda: handle.read(1 << 20), b""))
    extra = options.args.split()
    if options.state_cost:
        measure_state_cost(options, records, extra)
        return
    load_before = os.getloadavg()
    walls = {build: [] for build in options.builds}
    cpus = {build: [] for build in options.builds}
    digests = {build: set() for build in options.builds}
    for _ in range(options.rounds):
        for build in options.builds:
            wall, cpu, digest = run_once(build, options.file, options.state, extra, options.existing_state)
            walls[build].append(wall)
            cpus[build].append(cpu)
            digests[build].add(digest)
    load_after = os.getloadavg()

    mode = "--state NEW-FILE" if options.state else "--no-state"
    print(f"detect {mode} {options.file}: {records} records, {options.rounds} rounds in turns; "
          f"load {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    reference = options.builds[0]
    print(f"{'build':<40} {'wall s':>8} {'events/s':>10} {'CPU s':>8}  vs first: wall ratio, CPU ratio (rounds < 1)")
    for build in options.builds:
        wall = statistics.median(walls[build])
        cpu = statistics.median(cpus[build])
        line = f"{os.path.basename(build):<40} {wall:8.3f} {records / wall:10.0f} {cpu:8.3f}"
        if build != reference:
            wall_ratios = [a / b for a, b in zip(walls[build], walls[reference])]
            cpu_ratios = [a / b for a, b in zip(cpus[build], cpus[reference])]
            line += (f"  {statistics.median(wall_ratios):.3f} ({sum(r < 1 for r in wall_ratios)}/{options.rounds}),"
                     f" {statistics.median(cpu_ratios):.3f} ({sum(r < 1 for r in cpu_ratios)}/{options.rounds})")
        print(line)
    outputs = {digest for build in options.builds for digest in digests[build]}
    if len(outputs) == 1:
        print(f"stdout identical across every run and build (md5 {outputs.pop()})")
    else:
        for build in options.builds:
            print(f"stdout md5 of {os.path.basename(build)}: {', '.join(sorted(digests[build]))}")
        sys.exit("stdout differs between runs or builds")


def measure_state_cost(options, records, extra):
    load_before = os.getloadavg()
    runs = {(build, state): [] for build in options.builds for state in (False, True)}
    digests = set()
    for _ in range(options.rounds):
        for build in options.builds:
            for state in (False, True):
                wall, cpu, digest = run_once(build, options.file, state, extra, options.existing_state)
                runs[(build, state)].append((wall, cpu))
                digests.add(digest)
    load_after = os.getloadavg()
    kind = "EXISTING-FILE" if options.existing_state else "NEW-FILE"
    print(f"detect --no-state then --state {kind} on {options.file}: {records} records, {options.rounds} rounds in turns; "
          f"load {load_before[0]:.1f} before, {load_after[0]:.1f} after")
    print(f"{'build':<40} {'no-state wall/CPU s':>20} {'state wall/CPU s':>18}  --state costs (median per-round ratio): wall, CPU")
    for build in options.builds:
        plain, stateful = runs[(build, False)], runs[(build, True)]
        wall_cost = statistics.median([s[0] / p[0] for p, s in zip(plain, stateful)]) - 1
        cpu_cost = statistics.median([s[1] / p[1] for p, s in zip(plain, stateful)]) - 1
        print(f"{os.path.basename(build):<40} {statistics.median(p[0] for p in plain):9.3f} /{statistics.median(p[1] for p in plain):6.3f}"
              f" {statistics.median(s[0] for s in stateful):8.3f} /{statistics.median(s[1] for s in stateful):6.3f}"
              f"  {wall_cost * 100:+.1f}%, {cpu_cost * 100:+.1f}%")
    if len(digests) != 1:
        sys.exit("stdout differs between runs or builds")
    print(f"stdout identical across every run, both ways (md5 {digests.pop()})")


if __name__ == "__main__":
    main()
