#!/usr/bin/env bash
# run.sh — run libFuzzer harnesses for a bounded time (make fuzz-smoke).
#
# usage: tests/fuzz/run.sh FUZZ_BUILD SECONDS TARGET...
#
# Each FUZZ_BUILD/fuzz/fuzz_TARGET runs for SECONDS over a scratch corpus
# FUZZ_BUILD/corpus/TARGET (what it finds stays out of the source tree) seeded with
# tests/fuzz/corpus/TARGET, with the libFuzzer flags of the harness's " * fuzz-options:" line
# and $FUZZ_FLAGS. An input that crashes, leaks or times out is written to
# tests/fuzz/crashes/TARGET/, where `make check` replays it from then on. Prints one line
# per target with its executions, and exits 1 when any target failed.
set -u
build=$1
seconds=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
failed=""
for t in "$@"; do
    opts=$(sed -n 's/^ \* fuzz-options: //p' "$top/tests/fuzz/fuzz_$t.c")
    work=$build/corpus/$t
    crashes=$top/tests/fuzz/crashes/$t
    log=$build/fuzz-$t.log
    mkdir -p "$work" "$crashes"
    # shellcheck disable=SC2086 # options are words
    "$build/fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$crashes/" $opts ${FUZZ_FLAGS:-} \
        "$work" "$top/tests/fuzz/corpus/$t" >"$log" 2>&1
    status=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
    if [ $status = 0 ]; then
        echo "fuzz-smoke $t: ${execs:-0} executions in ${seconds}s, no crash"
    else
        echo "fuzz-smoke $t: FAILED after ${execs:-0} executions (exit $status), see $log"
        grep -m 3 -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant broken|.*expected)' "$log" |
            sed 's/^/    /'
        failed="$failed $t"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz-smoke: failed:$failed"
    exit 1
fi
