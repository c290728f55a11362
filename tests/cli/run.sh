#!/usr/bin/env bash
# run.sh — CLI golden tests kept as data.
#
# usage: tests/cli/run.sh TALENTREG [CASE.t ...]
#
# Each tests/cli/*.t file is one case:
#
#   # comments and blank lines before the sections are ignored
#   setup: SHELL COMMAND      (any number; each must exit 0)
#   run: SHELL COMMAND        (exactly one; its output is checked)
#   exit: N                   (expected exit status, default 0)
#   --- stdin                 (optional: what the command reads)
#   --- stdout                (optional: the exact expected standard output)
#   --- stderr                (optional: the exact expected standard error)
#
# A section's text ends at the next "--- " marker or at the end of the file, and includes its
# final newline; "--- stdout -n" (likewise stderr, stdin) drops that final newline, for output
# that has none. Commands run under bash in a fresh empty directory, with $TR the talentreg
# binary, $TOP the source tree and $VEC the test vectors.
set -u
TR=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
TOP=$(cd "$(dirname "$0")/../.." && pwd)
VEC=$TOP/tests/vectors
export TR TOP VEC
unset TALENTREG_DB

if [ $# -eq 0 ]; then
    set -- "$TOP"/tests/cli/*.t
fi

pass=0
fail=0
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

run_case() {
    local t=$1 d=$2 mode=hdr line run="" want_exit=0 setup=()
    local -A chop=([stdin]=0 [stdout]=0 [stderr]=0) has=([stdin]=0 [stdout]=0 [stderr]=0)
    while IFS= read -r line || [ -n "$line" ]; do
        case $line in
        "--- stdin"* | "--- stdout"* | "--- stderr"*)
            mode=${line#--- }
            mode=${mode%% *}
            has[$mode]=1
            [ "${line% -n}" != "$line" ] && chop[$mode]=1
            : >"$d/want.$mode"
            continue
            ;;
        esac
        if [ "$mode" != hdr ]; then
            printf '%s\n' "$line" >>"$d/want.$mode"
            continue
        fi
        case $line in
        "" | "#"*) ;;
        "setup: "*) setup+=("${line#setup: }") ;;
        "run: "*) run=${line#run: } ;;
        "exit: "*) want_exit=${line#exit: } ;;
        *)
            echo "$t: unknown line: $line"
            return 1
            ;;
        esac
    done <"$t"
    for m in stdin stdout stderr; do
        if [ "${chop[$m]}" = 1 ] && [ -s "$d/want.$m" ]; then
            head -c -1 "$d/want.$m" >"$d/tmp" && mv "$d/tmp" "$d/want.$m"
        fi
    done
    if [ -z "$run" ]; then
        echo "$t: no 'run:' line"
        return 1
    fi
    mkdir -p "$d/cwd"
    for s in "${setup[@]+"${setup[@]}"}"; do
        if ! (cd "$d/cwd" && bash -c "$s") >"$d/setup.out" 2>&1 </dev/null; then
            echo "$t: setup failed: $s"
            sed 's/^/    /' "$d/setup.out"
            return 1
        fi
    done
    [ "${has[stdin]}" = 1 ] || : >"$d/want.stdin"
    (cd "$d/cwd" && bash -c "$run") <"$d/want.stdin" >"$d/got.stdout" 2>"$d/got.stderr"
    local got_exit=$? ok=1
    if [ "$got_exit" != "$want_exit" ]; then
        echo "$t: exit $got_exit, expected $want_exit"
        ok=0
    fi
    for m in stdout stderr; do
        if [ "${has[$m]}" = 1 ] && ! cmp -s "$d/want.$m" "$d/got.$m"; then
            echo "$t: $m differs:"
            diff -u "$d/want.$m" "$d/got.$m" | head -n 40 | sed 's/^/    /'
            ok=0
        fi
    done
    [ $ok = 1 ]
}

n=0
for t in "$@"; do
    n=$((n + 1))
    d=$work/$n
    mkdir -p "$d"
    if run_case "$t" "$d"; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
    fi
done
echo "cli: $pass passed, $fail failed"
[ $fail = 0 ]
