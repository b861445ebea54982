#!/usr/bin/env bash
# Precision and recall on tenants nobody tuned the detector on: for each seed, generate a random
# tenant (`demo generate --tenant random`) without and with its attack day, run `detect` on each,
# and compare with the tenant's expected alerts. Prints one line per seed:
#   seed  events  quiet: alerts, alerts outside the expected habits, by kind  |  attack: required caught / required,
#   alerts, outside by kind
# and keeps each run's alerts and expected alerts in the work directory for reading.
#
# Usage: scripts/tenant-sweep.sh [SEED...]        (default seeds 1 to 10)
# Environment: VAULTWATCH (binary, default .build/debug/vaultwatch), GENERATOR (the binary that
# generates, default VAULTWATCH: to compare two detectors on the same logs), TENANT (random | woodgrove |
# fabrikam, default random), DAYS (history days, default the tenant's), WORK (directory, default
# /tmp/vaultwatch-sweep), EXTRA (more detect arguments, e.g. "--config FILE"), KEEP=1 keeps the logs,
# REUSE=1 detects on the logs a KEEP=1 run kept instead of generating them again (to compare two detectors),
# LAYOUT=vault-files reads the tenant as one export file per vault (the blobs of each vault
# concatenated) instead of the blob tree: the sources are then merged into one timeline;
# LAYOUT=late, late-day, skew or skew-short reads the vault files with the disorder real exports
# have (hourly blobs appended hours late, a vault's day a day late, a vault's clock set ahead then
# corrected: scripts/export-layout.py says which records). A layout's alerts are kept as
# SEED-LABEL.LAYOUT.alerts.jsonl beside the blob tree's SEED-LABEL.alerts.jsonl, to compare
# (scripts/alert-diff.sh). RESTART=1 (with a LAYOUT other than tree) reads the files in two runs of
# `detect --state`, cut at 10:30 of the attack day, and takes the state's exported alerts
# (SEED-LABEL.LAYOUT.restart.alerts.jsonl); RESTART_AT="07:20 08:20 …" cuts at each of those times
# of the attack day instead, one run more than the cuts (a restart inside every story), kept as
# SEED-LABEL.LAYOUT.restarts.alerts.jsonl. MOVE=copy or MOVE=move (with RESTART) reads each run after
# the first under a new folder: the files copied (the old folder left as it was) or moved there, as
# an export folder renamed or a share mounted elsewhere between two runs; kept as
# SEED-LABEL.LAYOUT.restart[s].MOVE.alerts.jsonl (to compare with the same restart read in place).
set -euo pipefail
[ -d demo-data ] || cd "$(dirname "$0")/.."
binary=${VAULTWATCH:-.build/debug/vaultwatch}
generator=${GENERATOR:-$binary}
tenant=${TENANT:-random}
work=${WORK:-/tmp/vaultwatch-sweep}
seeds=("$@")
[ ${#seeds[@]} -eq 0 ] && seeds=(1 2 3 4 5 6 7 8 9 10)
mkdir -p "$work"
days_argument=()
[ -n "${DAYS:-}" ] && days_argument=(--days "$DAYS")
tenant_argument=(--tenant "$tenant")
[ "$tenant" = habits ] && tenant_argument=(--habits)

# The alerts of $2 (JSON lines) against the expected alerts of $1: required caught, and the kinds
# of the alerts no expectation matches (as DemoExpectedAlert.matches: kind, vault and principal
# when given, first seen within the window).
compare() {
    jq -rn --slurpfile expected "$1" --slurpfile seen "$2" '
        def matches($e; $a): $a.kind == $e.kind
            and ($e.vault == null or $e.vault == (($a.vault // "") | ascii_downcase))
            and ($e.principal == null or $e.principal == (($a.principalId // "") | ascii_downcase))
            and (($a.firstSeen[0:19] + "Z") as $first | $first >= $e.from and $first <= $e.to);
        $expected[0] as $all
        | ($all | map(select(.required))) as $required
        | ([$required[] | . as $e | select(any($seen[]; matches($e; .)))] | length) as $caught
        | [$seen[] | . as $a | select(all($all[]; matches(.; $a) | not)) | .kind] as $outside
        | "\($caught)/\($required | length) \($outside | length) \($outside | group_by(.) | map("\(.[0] | ltrimstr("KV_"))=\(length)") | join(","))"'
}

run() {  # seed, label, extra generate arguments
    local seed=$1 label=$2; shift 2
    local directory="$work/$tenant-$seed-$label"
    if [ "${REUSE:-0}" != 1 ] || [ ! -d "$directory" ]; then
        "$generator" demo generate "${tenant_argument[@]}" --seed "$seed" "${days_argument[@]}" --force --out "$directory" \
            --expected-alerts "$directory.expected.json" "$@" 2> "$directory.generate.txt"
    fi
    local inputs=("$directory") output="$directory"
    if [ "${LAYOUT:-tree}" != tree ]; then
        output="$directory.$LAYOUT${RESTART:+.restart}${RESTART_AT:+s}${MOVE:+.$MOVE}"
        rm -rf "$output.files" "$output.rest" "$output.state"
        python3 scripts/export-layout.py "$directory" "$output.files" "$LAYOUT" 2> "$output.layout.txt"
        inputs=("$output.files"/*.json)
    fi
    local arguments=(--tor-exits demo-data/tor-exit-addresses.txt --threat-intel demo-data/threat-intel.txt)
    if [ -n "${RESTART:-}" ] && [ "${LAYOUT:-tree}" != tree ]; then
        # Runs with one state file: up to the first cut of the attack day (RESTART_AT, default
        # 10:30), then each stretch to the next cut appended and read, then the rest.
        local cuts
        read -r -a cuts <<< "${RESTART_AT:-10:30}"
        python3 scripts/export-layout.py --split "$output.files" "$output.rest" "${cuts[0]}" 2>> "$output.layout.txt"
        # shellcheck disable=SC2086
        "$binary" detect "${inputs[@]}" "${arguments[@]}" --state "$output.state" ${EXTRA:-} > /dev/null 2> "$output.detect.txt"
        local cut files="$output.files" moves=0
        for cut in "${cuts[@]:1}" ""; do
            rm -rf "$output.part"
            mv "$output.rest" "$output.part"
            if [ -n "$cut" ]; then
                python3 scripts/export-layout.py --split "$output.part" "$output.rest" "$cut" 2>> "$output.layout.txt"
            fi
            if [ -n "${MOVE:-}" ]; then
                # The files of the runs before, under a new folder (its own name each run).
                moves=$((moves + 1))
                case "$MOVE" in
                    copy) cp -a "$files" "$output.files.$moves" ;;
                    move) mv "$files" "$output.files.$moves" ;;
                    *) echo "MOVE is copy or move, not $MOVE" >&2; exit 2 ;;
                esac
                files="$output.files.$moves"
                inputs=("$files"/*.json)
            fi
            for file in "$output.part"/*.json; do cat "$file" >> "$files/$(basename "$file")"; done
            # shellcheck disable=SC2086
            "$binary" detect "${inputs[@]}" "${arguments[@]}" --state "$output.state" ${EXTRA:-} > /dev/null 2>> "$output.detect.txt"
        done
        rm -rf "$output.part"
        "$binary" alerts export --state "$output.state" --format jsonl > "$output.alerts.jsonl" 2> /dev/null
        rm -rf "$output.rest" "$output.state"* "$output.files".*
    else
        # shellcheck disable=SC2086
        "$binary" detect "${inputs[@]}" "${arguments[@]}" ${EXTRA:-} > "$output.alerts.jsonl" 2> "$output.detect.txt"
    fi
    rm -rf "$output.files"
    [ "${KEEP:-0}" = 1 ] || rm -rf "$directory"
    echo "$(grep -c . "$output.alerts.jsonl") $(compare "$directory.expected.json" "$output.alerts.jsonl")"
}

printf '%-6s %-8s %-50s | %s\n' seed events "quiet: alerts, outside expectations (kinds)" "attack: required caught, alerts, outside (kinds)"
for seed in "${seeds[@]}"; do
    read -r quiet_alerts _ quiet_count quiet_kinds <<< "$(run "$seed" quiet --no-attacks)"
    quiet_detect="$work/$tenant-$seed-quiet.detect.txt"
    [ "${LAYOUT:-tree}" = tree ] || quiet_detect="$work/$tenant-$seed-quiet.$LAYOUT${RESTART:+.restart}${RESTART_AT:+s}${MOVE:+.$MOVE}.detect.txt"
    quiet_events=$(grep -o '^vaultwatch: [0-9]* events' "$quiet_detect" | awk '{ sum += $2 } END { print NR ? sum : "?" }')
    read -r attack_alerts caught attack_count attack_kinds <<< "$(run "$seed" attack)"
    printf '%-6s %-8s %-50s | %s %s %s %s\n' "$seed" "$quiet_events" "$quiet_alerts $quiet_count ${quiet_kinds:-}" "$caught" \
        "$attack_alerts" "$attack_count" "${attack_kinds:-}"
done
