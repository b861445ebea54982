#!/usr/bin/env bash
# Coverage-guided fuzzing of VaultWatch's parsers (docs/reliability.md).
#
#   scripts/fuzz.sh TARGET|all SECONDS
#
# TARGET is record-decoder, configuration, theme or threat-intel. Builds `vaultwatch-fuzz` with
# libFuzzer, the address sanitizer and coverage instrumentation (Swift and the C++ TOML parser)
# in .build-fuzz, then runs each target for SECONDS on its working corpus
# (.build-fuzz/corpus/TARGET, grown by the fuzzer), the seeds (fuzz/seeds/TARGET) and every input
# that once broke a parser (fuzz/regressions/TARGET). Prints one line per target: executions,
# coverage (libFuzzer's cov: edges and ft: features), corpus size, findings. Findings (the
# crashing input, its log) go to .build-fuzz/findings/TARGET; keep each as a regression in
# fuzz/regressions/TARGET once fixed. Exits 1 if any target found something.
#
# Environment: FUZZ_JOBS=2 runs two targets at once (for `all`); FUZZ_NICE (default 10);
# FUZZ_CONFIGURATION=debug|release (default release); extra libFuzzer flags in FUZZ_FLAGS.
# Skips with a message, exit 0, when the toolchain has no libFuzzer runtime.
set -euo pipefail
cd "$(dirname "$0")/.."

targets=(record-decoder configuration theme threat-intel)
usage() { echo "usage: scripts/fuzz.sh ${targets[*]// /|}|all SECONDS" >&2; exit 2; }
[ $# -eq 2 ] || usage
case "$2" in ''|*[!0-9]*) usage ;; esac
seconds=$2
if [ "$1" = all ]; then
    selected=("${targets[@]}")
else
    [[ " ${targets[*]} " == *" $1 "* ]] || usage
    selected=("$1")
fi

resources=$(swiftc -print-target-info 2>/dev/null | sed -n 's/.*"runtimeResourcePath": "\(.*\)".*/\1/p')
runtime=$(ls "$resources"/clang/lib/*/libclang_rt.fuzzer_no_main*.a 2>/dev/null | head -n 1 || true)
if [ -z "$runtime" ]; then
    echo "fuzz: skipped: this Swift toolchain has no libFuzzer runtime (libclang_rt.fuzzer_no_main) under $resources/clang"
    exit 0
fi

scratch=.build-fuzz
configuration=${FUZZ_CONFIGURATION:-release}
niceness=${FUZZ_NICE:-10}
mkdir -p "$scratch"
echo "fuzz: building vaultwatch-fuzz ($configuration, libFuzzer + address sanitizer) in $scratch"
nice -n "$niceness" swift build -c "$configuration" --scratch-path "$scratch" --product vaultwatch-fuzz \
    -Xswiftc -sanitize=address \
    -Xswiftc -sanitize-coverage=edge,indirect-calls,trace-cmp,inline-8bit-counters,pc-table \
    -Xswiftc -DVAULTWATCH_LIBFUZZER \
    -Xcxx -fsanitize=address -Xcxx -fsanitize-coverage=inline-8bit-counters,pc-table,trace-cmp \
    -Xlinker "$runtime" -Xlinker -lstdc++ \
    >"$scratch/build.log" 2>&1 || { tail -n 40 "$scratch/build.log"; echo "fuzz: build failed (log: $scratch/build.log)"; exit 1; }
binary="$scratch/$configuration/vaultwatch-fuzz"

# One target: run, then summarise libFuzzer's log in one line.
fuzz_one() {
    local target=$1
    local corpus="$scratch/corpus/$target" findings="$scratch/findings/$target"
    local log="$scratch/logs/$target-$(date -u +%Y%m%dT%H%M%SZ).log"
    mkdir -p "$corpus" "$findings" "$scratch/logs"
    local status=0
    # The Swift runtime's backtracer would stop to symbolicate a crash the fuzzer expects.
    SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0:abort_on_error=1} \
        nice -n "$niceness" "$binary" "$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$findings/" ${FUZZ_FLAGS:-} \
        "$corpus" "fuzz/seeds/$target" "fuzz/regressions/$target" >"$log" 2>&1 || status=$?
    local runs cov ft units
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
    units=$(find "$corpus" -type f | wc -l)
    if [ "$status" -eq 0 ]; then
        echo "fuzz: $target: ${runs:-?} executions in ${seconds}s, cov ${cov:-?} ft ${ft:-?}, corpus $units, no findings (log: $log)"
    else
        echo "fuzz: $target: FINDING after ${runs:-?} executions (exit $status), cov ${cov:-?} ft ${ft:-?}; inputs in $findings (log: $log)"
        grep -E 'vaultwatch-fuzz:|Fatal error|ERROR: AddressSanitizer|SUMMARY' "$log" | head -n 10 || true
        return 1
    fi
}

failed=0
if [ "${FUZZ_JOBS:-1}" -ge 2 ] && [ ${#selected[@]} -gt 1 ]; then
    pids=()
    for target in "${selected[@]}"; do
        fuzz_one "$target" &
        pids+=($!)
        if [ ${#pids[@]} -ge "$FUZZ_JOBS" ]; then
            wait "${pids[0]}" || failed=1
            pids=("${pids[@]:1}")
        fi
    done
    for pid in "${pids[@]}"; do wait "$pid" || failed=1; done
else
    for target in "${selected[@]}"; do fuzz_one "$target" || failed=1; done
fi
exit "$failed"
