#!/usr/bin/env bash
# run.sh — run libFuzzer harnesses for a bounded time (make fuzz-smoke).
#
# usage: tests/fuzz/run.sh FUZZ_BUILD SECONDS TARGET...
#
# Each FUZZ_BUILD/fuzz/fuzz_TARGET runs for SECONDS over a scratch corpus
# FUZZ_BUILD/corpus/TARGET (what it finds stays out of the source tree) seeded with
# tests/fuzz/corpus/TARGET, with the libFuzzer flags of the harness's " * fuzz-options:" line
# and $FUZZ_FLAGS. $FUZZ_JOBS targets (default 1) run at the same time, each on one core.
# An input that crashes, leaks or times out is written to tests/fuzz/crashes/TARGET/, where
# `make check` replays it from then on. Prints one line per target with its executions, and
# for a failed one the first lines of the sanitizer's report and the path of each input it
# wrote; exits 1 when any target failed.
set -u
build=$1
seconds=$2
shift 2
jobs=${FUZZ_JOBS:-1}
top=$(cd "$(dirname "$0")/../.." && pwd)

# run_target TARGET: fuzz one target; prints its lines at the end, in one write, so that
# targets running at the same time do not interleave; exits with libFuzzer's status.
run_target() {
    local t=$1 opts work crashes log status execs out
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
        out="fuzz-smoke $t: ${execs:-0} executions in ${seconds}s, no crash"
    else
        out="fuzz-smoke $t: FAILED after ${execs:-0} executions (exit $status), see $log"
        out+=$'\n'$(grep -m 3 -E '^(==[0-9]+==ERROR|SUMMARY|.*invariant broken|.*expected)' \
            "$log" | sed 's/^/    /')
        out+=$'\n'$(sed -n 's/^.*Test unit written to \(.*\)$/    input kept: \1/p' "$log")
    fi
    printf '%s\n' "$out" | sed '/^$/d'
    return $status
}

failed=""
declare -A pid_target=()
for t in "$@"; do
    while [ ${#pid_target[@]} -ge "$jobs" ]; do
        wait -n -p done_pid
        status=$?
        [ $status = 0 ] || failed="$failed ${pid_target[$done_pid]}"
        unset "pid_target[$done_pid]"
    done
    run_target "$t" &
    pid_target[$!]=$t
done
for p in "${!pid_target[@]}"; do
    wait "$p" || failed="$failed ${pid_target[$p]}"
done
if [ -n "$failed" ]; then
    echo "fuzz-smoke: failed:$failed"
    exit 1
fi
