#!/usr/bin/env bash
# replay.sh — replay every fuzz target's corpus and crash inputs (see replay.c).
#
# usage: tests/fuzz/replay.sh BUILD TARGET...
#
# Runs BUILD/tests/fuzz/replay_TARGET on tests/fuzz/corpus/TARGET and
# tests/fuzz/crashes/TARGET for each TARGET, then prints the totals as
# "fuzz-replay: N passed, M failed". Exits 1 when any input failed.
set -u
build=$1
shift
top=$(cd "$(dirname "$0")/../.." && pwd)
pass=0
fail=0
for t in "$@"; do
    line=$("$build/tests/fuzz/replay_$t" "$t" "$top/tests/fuzz/corpus/$t" \
        "$top/tests/fuzz/crashes/$t")
    echo "  $line"
    if [[ $line =~ :\ ([0-9]+)\ passed,\ ([0-9]+)\ failed$ ]]; then
        pass=$((pass + BASH_REMATCH[1]))
        fail=$((fail + BASH_REMATCH[2]))
    else
        echo "fuzz-replay: $t: no result" >&2
        fail=$((fail + 1))
    fi
done
echo "fuzz-replay: $pass passed, $fail failed"
[ $fail = 0 ]
