#!/usr/bin/env bash
# Frame time of the dashboard while it ingests at full speed (docs/performance.md).
#
#   scripts/frame-time.sh FILE|DIR [WIDTH HEIGHT]  default 200 60 (DIR: a blob tree, e.g. `demo generate`'s)
#
# Runs `vaultwatch watch --from-start --no-state FILE` in a tmux pane of WIDTH×HEIGHT, so the
# dashboard reads FILE as fast as it can while drawing, with every frame's time logged
# (VAULTWATCH_FRAME_TIMES); waits until the header's event count stops moving (the file is
# read), draws for two more seconds, quits with `q`, and prints the frame time median / p99 /
# max of the frames drawn while ingesting and of all frames, against DESIGN.md §7's 5 ms, then
# each frame over 5 ms (when, and how much of it was rendering rather than the terminal).
#
# Environment: VAULTWATCH (the binary; default .build/release/vaultwatch).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { echo "usage: scripts/frame-time.sh FILE [WIDTH HEIGHT]" >&2; exit 2; }
file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
width=${2:-200}
height=${3:-60}
vaultwatch=${VAULTWATCH:-$(pwd)/.build/release/vaultwatch}
for tool in tmux python3; do
    command -v "$tool" >/dev/null || { echo "frame-time: needs $tool" >&2; exit 1; }
done
[ -x "$vaultwatch" ] || { echo "frame-time: no $vaultwatch (swift build -c release --product vaultwatch)" >&2; exit 1; }
work=$(mktemp -d)
socket=vaultwatch-frames-$$
cleanup() { tmux -L "$socket" kill-server 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
find "$file" -type f -exec cat {} + >/dev/null  # into the page cache (a file or a blob tree)

tmux -L "$socket" -f /dev/null new-session -d -x "$width" -y "$height" \
    "exec env TERM=xterm-256color VAULTWATCH_FRAME_TIMES='$work/frames.txt' '$vaultwatch' watch --from-start --no-state '$file' 2>'$work/stderr.txt'"
pane() { tmux -L "$socket" capture-pane -p 2>/dev/null || true; }
# The header's "events 12,345" (briefly replaced when a new alert is marked: empty then).
events() { pane | { grep -o 'events [0-9,]*' || true; } | head -n 1 | tr -d ', ' | sed 's/events//'; }
start=$(date +%s.%N)
last=""
steady=0
ingest_end=""
# The header's count, every 0.2 s, until it has not moved for 2 s (or 10 minutes pass).
for _ in $(seq 1 3000); do
    sleep 0.2
    now=$(events)
    [ -z "$now" ] && continue
    if [ -n "$now" ] && [ "$now" = "$last" ] && [ "$now" != 0 ]; then
        steady=$((steady + 1))
        [ -z "$ingest_end" ] && ingest_end=$(date +%s.%N)
    else
        steady=0
        ingest_end=""
    fi
    last=$now
    # How the dashboard's thread is scheduled: real-time (RR 1, where the system allows it) or
    # fair (TS), which decides whether a frame can wait for a core (docs/performance.md).
    if [ -z "${class:-}" ]; then
        pid=$(tmux -L "$socket" display -p '#{pane_pid}' 2>/dev/null || true)
        class=$(ps -L -o cls=,rtprio=,comm= -p "${pid:-0}" 2>/dev/null | awk '$NF == "vaultwatch-ui" { print $1, $2 }' || true)
    fi
    [ "$steady" -ge 10 ] && break
done
echo "the dashboard's thread: ${class:-not seen} (scheduling class and real-time priority)"
tmux -L "$socket" send-keys q
sleep 1
python3 - "$work/frames.txt" "$start" "${ingest_end:-0}" "$last" "$width" "$height" <<'EOF'
import sys, time
path, start, ingest_end, events, width, height = sys.argv[1:]
frames = []
renders = {}
scheduling = {}
for line in open(path):
    parts = line.split()
    if len(parts) >= 2:
        frames.append((int(parts[0]) / 1000, int(parts[1]) / 1000))
    if len(parts) >= 3:
        renders[len(frames) - 1] = int(parts[2]) / 1000
    if len(parts) >= 5 and int(parts[3]) >= 0:
        scheduling[len(frames) - 1] = (int(parts[3]) / 1000, int(parts[4]) / 1000)
if not frames:
    print("frame-time: no frames logged"); sys.exit(1)
# Frame start times are monotonic seconds; the ingestion ends where the count stopped moving,
# ~2 s before the last frame drawn: keep the frames before that.
last_start = frames[-1][0]
ingesting = [ms for (at, ms) in frames if at <= last_start - 2.5]
def summary(values):
    values = sorted(values)
    if not values: return "no frames"
    q = lambda p: values[min(len(values) - 1, int(p * len(values)))]
    return f"median {q(0.5):.2f} ms, p99 {q(0.99):.2f} ms, max {values[-1]:.2f} ms over {len(values)} frames"
print(f"dashboard {width}x{height}, {events} events read from the file")
print(f"  while ingesting: {summary(ingesting)}")
print(f"  all frames:      {summary([ms for (_, ms) in frames])}")
over = [i for i, (_, ms) in enumerate(frames) if ms > 5]
print(f"  frames over 5 ms: {len(over)} of {len(frames)}")
# Which frames, how much of each was rendering the buffer (the rest: curses and the terminal),
# and how much of each the thread waited for a core, ran, and was blocked (on the terminal).
for i in over:
    at, ms = frames[i]
    render = f", rendering {renders[i]:.2f} ms" if i in renders else ""
    if i in scheduling:
        waiting, running = scheduling[i]
        render += f"; waiting for a core {waiting:.2f} ms, running {running:.2f} ms, blocked {max(0, ms - waiting - running):.2f} ms"
    print(f"    frame {i} at {at - frames[0][0]:.2f} s: {ms:.2f} ms{render}")
if renders:
    print(f"  rendering alone, all frames: {summary(list(renders.values()))}")
EOF
