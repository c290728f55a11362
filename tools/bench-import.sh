#!/usr/bin/env bash
# bench-import.sh — bulk import and audit of a generated region (tools/gen-region.c), each as
# a ratio to the two-core Ed25519 verify rate of `openssl speed -multi 2 ed25519` measured in
# the same run (before and after each measurement, averaged), with the peak resident memory
# (/usr/bin/time, the kernel's VmHWM) and the store's bytes per leaf.
#
# usage: tools/bench-import.sh [--build DIR] [--work DIR] [--keep] [--reuse] [RECORDS...]
#   --build DIR  the build to measure (default build; made first)
#   --work DIR   where regions and stores are made (default a new directory under /tmp)
#   --keep       keep them (default: removed at the end)
#   --reuse      use a region already in the work directory (made by an earlier --keep run)
#   RECORDS      region sizes in lines (default 100000 1000000); a region of N lines has
#                N/20 people and N/500 organisations (at least 40)
# Targets (docs/benchmarks.md): import >= 0.6 and audit >= 0.8 of the reference; peak
# memory <= 100 MB whatever the size.
set -eu
build=build
work=
keep=0
reuse=0
sizes=()
while [ $# -gt 0 ]; do
    case $1 in
    --build) build=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --reuse) reuse=1; shift ;;
    -*) echo "usage: tools/bench-import.sh [--build DIR] [--work DIR] [--keep] [--reuse] [RECORDS...]" >&2; exit 2 ;;
    *) sizes+=("$1"); shift ;;
    esac
done
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
if [ -z "$work" ]; then
    work=$(mktemp -d /tmp/bench-import.XXXXXX)
fi
mkdir -p "$work"
if [ "$keep" = 0 ]; then
    trap 'rm -rf "$work"' EXIT
fi
# GNU time reports the peak resident set (the kernel's VmHWM of the process).
if [ ! -x /usr/bin/time ]; then
    apt-get install -y time >/dev/null
fi
make --no-print-directory -s BUILD="$build" "$build/talentreg" "$build/tools/gen-region" >/dev/null
tr=$build/talentreg

# The reference: Ed25519 verifications a second on two processes (openssl speed -multi 2).
reference() {
    openssl speed -seconds 5 -multi 2 ed25519 2>/dev/null | awk '/bits EdDSA \(Ed25519\)/ {print $NF}'
}

# timed OUT ERR COMMAND...: run COMMAND, stdout to OUT; "elapsed-seconds peak-KiB
# cpu-seconds" (user and system) on stdout.
timed() {
    local out=$1 err=$2
    shift 2
    /usr/bin/time -f '%e %M %U %S' -o "$err.time" "$@" >"$out" 2>"$err" || true
    tail -n 1 "$err.time" | awk '{print $1, $2, $3 + $4}'
}

# The number after "key": in a JSON text.
field() {
    sed -n "s/.*\"$2\": *\([0-9]*\).*/\1/p" "$1" | head -n 1
}

echo "machine: $(nproc) processors, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)," \
    "$(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "software: $(uname -sr), $(openssl version | cut -d' ' -f1-2), SQLite $(sqlite3 --version 2>/dev/null | cut -d' ' -f1 || echo '?')"
for n in "${sizes[@]}"; do
    people=$((n / 20))
    orgs=$((n / 500 > 40 ? n / 500 : 40))
    region=$work/region-$n
    store=$work/store-$n.db
    rm -rf "$store" "$store-wal" "$store-shm"
    if [ "$reuse" = 1 ] && [ -f "$region/manifest.json" ]; then
        echo "region $n: $people people, $orgs organisations, $(du -m "$region/records.jsonl" | cut -f1) MB of JSON lines, made before"
    else
        rm -rf "$region"
        read -r gen_s gen_kib gen_cpu < <(timed /dev/null "$work/gen-$n.err" "$build/tools/gen-region" \
            --out "$region" --records "$n" --people "$people" --orgs "$orgs" --seed 1)
        echo "region $n: $people people, $orgs organisations, $(du -m "$region/records.jsonl" | cut -f1) MB of JSON lines, generated in ${gen_s} s, ${gen_cpu} s of processor (peak $((gen_kib / 1024)) MB)"
    fi
    "$tr" --db "$store" init --origin talentreg.example/region \
        --operator-key "$region/keys/operator.pem" >/dev/null

    r1=$(reference)
    read -r imp_s imp_kib imp_cpu < <(timed "$work/import-$n.json" "$work/import-$n.err" \
        "$tr" --db "$store" import --json "$region/records.jsonl")
    r2=$(reference)
    summary=$(tail -n 1 "$work/import-$n.json")
    verdict=match
    for k in stored duplicates merged rejected; do
        got=$(sed -n "s/.*\"$k\":\([0-9]*\).*/\1/p" <<<"$summary")
        want=$(field "$region/manifest.json" "$k")
        [ "$got" = "$want" ] || verdict="MISMATCH ($k $got, manifest $want)"
    done
    leaves=$(sed -n 's/.*"logSize":\([0-9]*\).*/\1/p' <<<"$summary")
    bytes=$(stat -c %s "$store")
    [ -f "$store-wal" ] && bytes=$((bytes + $(stat -c %s "$store-wal")))
    awk -v n="$n" -v s="$imp_s" -v a="$r1" -v b="$r2" -v k="$imp_kib" -v l="$leaves" \
        -v bytes="$bytes" -v v="$verdict" -v cpu="$imp_cpu" 'BEGIN {
        ref = (a + b) / 2; rate = n / s
        printf "import %d: %.1f s, %.0f records/s; reference %.0f verifies/s (%.0f, %.0f): ratio %.3f (target >= 0.6); %.0f us of processor a record; peak %.1f MB (target <= 100); store %.0f bytes/leaf (%d leaves); counts %s\n",
            n, s, rate, ref, a, b, rate / ref, cpu * 1e6 / n, k / 1024, bytes / l, l, v }'

    r3=$(reference)
    read -r aud_s aud_kib aud_cpu < <(timed "$work/audit-$n.out" "$work/audit-$n.err" "$tr" --db "$store" audit)
    r4=$(reference)
    clean=$(tail -n 1 "$work/audit-$n.out")
    awk -v l="$leaves" -v s="$aud_s" -v a="$r3" -v b="$r4" -v k="$aud_kib" -v c="$clean" \
        -v cpu="$aud_cpu" 'BEGIN {
        ref = (a + b) / 2; rate = l / s
        printf "audit %d leaves: %.1f s, %.0f leaves/s; reference %.0f verifies/s (%.0f, %.0f): ratio %.3f (target >= 0.8); %.0f us of processor a leaf; peak %.1f MB; %s\n",
            l, s, rate, ref, a, b, rate / ref, cpu * 1e6 / l, k / 1024, c }'
done
