#!/usr/bin/env bash
# time-hostile.sh — how fast talentreg refuses a 200 KB "[[[[..." document, in process
# (build/tools/time-hostile) and as a whole command (validate for YAML, canonical for JSON),
# best and median of 20 runs of the program.
# usage: tools/time-hostile.sh [BUILD_DIR]   (default build)
set -eu
build=${1:-build}
"$build/tools/time-hostile"
doc=$(mktemp)
trap 'rm -f "$doc"' EXIT
head -c 204800 /dev/zero | tr '\0' '[' >"$doc"
for cmd in validate canonical; do
    times=()
    for _ in $(seq 20); do
        a=$(date +%s%N)
        "$build/talentreg" "$cmd" "$doc" >/dev/null 2>&1 && { echo "not refused" >&2; exit 2; }
        b=$(date +%s%N)
        times+=($(((b - a) / 1000)))
    done
    sorted=$(printf '%s\n' "${times[@]}" | sort -n)
    best=$(echo "$sorted" | head -n 1)
    median=$(echo "$sorted" | sed -n 10p)
    printf 'talentreg %-10s whole program: best %6d us  median %6d us\n' "$cmd" "$best" "$median"
done
