#!/usr/bin/env bash
# Soak: `vaultwatch watch` under tmux on a live, rotating log for a given time (docs/reliability.md).
#
#   scripts/soak.sh DURATION          DURATION in seconds, or with m / h (90s, 10m, 1h)
#
# Generates the demo tenant (`vaultwatch demo generate`), then appends its records to LOG at a
# steady rate (each stamped with the time it is written), rotating LOG by rename every
# ROTATE_SECONDS and keeping GENERATIONS rotated files, while `vaultwatch watch LOG` runs in a
# tmux pane of 160x45 with a state file and the demo's Tor and threat-intel lists. Every
# SAMPLE_SECONDS it samples the dashboard's resident memory, the event count its header shows
# and the lines written; the dashboard logs each frame's time (VAULTWATCH_FRAME_TIMES). At the
# end the writer stops, the dashboard is given time to catch up, and a report is written:
# memory at start and end, lines written against events shown, frame time median / p99 / max,
# loss reported on the dashboard's stderr.
#
# Environment: VAULTWATCH (the binary; default: a release build in .build-soak), RATE (lines/s,
# default 250), ROTATE_SECONDS (default 30), GENERATIONS (default 3), SAMPLE_SECONDS (default
# 10), DAYS (history days of the demo tenant, default 14), SOAK_DIR (default .build-soak/run-TIME),
# STATE=none (run `watch --no-state` instead of keeping a state file in the run's directory).
set -euo pipefail
cd "$(dirname "$0")/.."
repository=$(pwd)

[ $# -eq 1 ] || { echo "usage: scripts/soak.sh DURATION (seconds, or 90s, 10m, 1h)" >&2; exit 2; }
case "$1" in
    *h) duration=$(( ${1%h} * 3600 )) ;;
    *m) duration=$(( ${1%m} * 60 )) ;;
    *s) duration=${1%s} ;;
    *) duration=$1 ;;
esac
rate=${RATE:-250}
rotate_seconds=${ROTATE_SECONDS:-30}
generations=${GENERATIONS:-3}
sample_seconds=${SAMPLE_SECONDS:-10}
days=${DAYS:-14}
for tool in tmux python3; do
    command -v "$tool" >/dev/null || { echo "soak: needs $tool" >&2; exit 1; }
done

if [ -z "${VAULTWATCH:-}" ]; then
    echo "soak: building vaultwatch (release) in .build-soak"
    nice swift build -c release --scratch-path .build-soak --product vaultwatch >/dev/null
    VAULTWATCH=$repository/.build-soak/release/vaultwatch
fi
work=${SOAK_DIR:-$repository/.build-soak/run-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$work"
work=$(cd "$work" && pwd)
log=$work/audit.jsonl
echo "soak: $duration s at $rate lines/s, rotation every $rotate_seconds s keeping $generations generations, state ${STATE:-file}, in $work"

"$VAULTWATCH" demo generate --out "$work/tenant" --days "$days" --force 2>"$work/generate.txt"
# Records in the order they happened: blobs by their y/m/d/h path, across vaults.
find "$work/tenant" -name PT1H.json | sed 's|^\(.*/\)\(y=.*\)$|\2 \1\2|' | sort | cut -d' ' -f2- >"$work/pool.txt"
: >"$log"

state_option="--state '$work/state.sqlite'"
[ "${STATE:-file}" = none ] && state_option=--no-state
socket=vaultwatch-soak-$$
writer_pid=
cleanup() {
    [ -n "$writer_pid" ] && kill "$writer_pid" 2>/dev/null || true
    tmux -L "$socket" kill-server 2>/dev/null || true
}
trap cleanup EXIT

tmux -L "$socket" -f /dev/null new-session -d -x 160 -y 45 \
    "exec env TERM=xterm-256color VAULTWATCH_FRAME_TIMES='$work/frames.txt' '$VAULTWATCH' watch '$log' \
        $state_option --tor-exits '$repository/demo-data/tor-exit-addresses.txt' \
        --threat-intel '$repository/demo-data/threat-intel.txt' 2>'$work/watch-stderr.txt'"
pane() { tmux -L "$socket" capture-pane -p 2>/dev/null || true; }
for _ in $(seq 1 100); do pane | grep -q 'events ' && break; sleep 0.2; done
pane | grep -q 'events ' || { echo "soak: the dashboard did not start"; pane; cat "$work/watch-stderr.txt"; exit 1; }
pid=$(tmux -L "$socket" list-panes -F '#{pane_pid}')

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || echo 0; }
# The header's "events 12,345" (briefly replaced when a new alert is marked: keep the last seen).
shown_events=0
read_shown() {
    local text
    # Under `set -o pipefail` a grep that finds nothing fails the assignment, and `set -e` would
    # end the soak at the first frame without the count (a soak of 6 December stopped at 80 s so).
    text=$(pane | { grep -o 'events [0-9,]*' || true; } | head -n 1 | tr -d ', ' | sed 's/events//')
    [ -n "$text" ] && shown_events=$text
    return 0
}
written() { cat "$work/written.txt" 2>/dev/null || echo 0; }

python3 "$repository/scripts/soak_writer.py" "$work/pool.txt" "$log" "$rate" "$rotate_seconds" "$generations" \
    "$work/written.txt" 2>"$work/writer-stderr.txt" &
writer_pid=$!

printf 'seconds\trss_kib\tevents_shown\tlines_written\tframes\n' >"$work/samples.tsv"
start=$(date +%s)
while true; do
    elapsed=$(( $(date +%s) - start ))
    read_shown
    frames=$(wc -l <"$work/frames.txt" 2>/dev/null || echo 0)
    printf '%s\t%s\t%s\t%s\t%s\n' "$elapsed" "$(rss_kib)" "$shown_events" "$(written)" "$frames" >>"$work/samples.tsv"
    kill -0 "$pid" 2>/dev/null || { echo "soak: the dashboard exited early"; cat "$work/watch-stderr.txt"; exit 1; }
    [ "$elapsed" -ge "$duration" ] && break
    sleep "$sample_seconds"
done

kill -TERM "$writer_pid"
wait "$writer_pid" || true
writer_pid=
total_written=$(written)
# Let the dashboard finish what is on disk: until it shows every line, or shows no change for 30 s.
stable=0
previous=-1
for _ in $(seq 1 90); do
    read_shown
    [ "$shown_events" -ge "$total_written" ] && break
    if [ "$shown_events" -eq "$previous" ]; then stable=$((stable + 1)); else stable=0; fi
    [ "$stable" -ge 15 ] && break
    previous=$shown_events
    sleep 2
done
end_rss=$(rss_kib)
pane >"$work/final-screen.txt"
tmux -L "$socket" send-keys q
for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done

python3 - "$work" "$duration" "$rate" "$rotate_seconds" "$generations" "$total_written" "$shown_events" "$end_rss" "${STATE:-file}" <<'PY'
import sys
work, duration, rate, rotate, generations, written, shown, end_rss, state = sys.argv[1:10]
written, shown, end_rss = int(written), int(shown), int(end_rss)
samples = [line.split("\t") for line in open(f"{work}/samples.tsv").read().splitlines()[1:]]
rss = [int(s[1]) for s in samples if int(s[1]) > 0]
frames = sorted(int(line.split()[1]) for line in open(f"{work}/frames.txt") if line.strip())
def quantile(q):
    return frames[min(len(frames) - 1, int(q * len(frames)))] / 1000 if frames else float("nan")
stderr = open(f"{work}/watch-stderr.txt", errors="replace").read().splitlines()
losses = [line for line in stderr if "lost" in line]
mib = lambda kib: f"{kib / 1024:.1f} MiB"
report = f"""# Soak report

- run: {duration} s of `vaultwatch watch {'--no-state' if state == 'none' else '--state FILE'}` at {rate} lines/s, rename rotation every {rotate} s keeping {generations} generations
- lines written: {written:,}; events shown by the dashboard at the end: {shown:,} ({shown - written:+,})
- resident memory: {mib(rss[0]) if rss else '?'} at the first sample, {mib(end_rss)} at the end, {mib(max(rss)) if rss else '?'} at most ({len(samples)} samples)
- frame time: median {quantile(0.5):.2f} ms, p99 {quantile(0.99):.2f} ms, max {quantile(1.0):.2f} ms over {len(frames):,} frames
- loss reported on stderr: {len(losses)} line(s){(': ' + '; '.join(losses[:5])) if losses else ''}
"""
open(f"{work}/report.md", "w").write(report)
print(report)
PY
echo "soak: samples in $work/samples.tsv, report in $work/report.md"
