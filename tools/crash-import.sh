#!/usr/bin/env bash
# crash-import.sh — kill `talentreg import` with SIGKILL at random moments and check, after
# every kill, that nothing the import acknowledged is lost and that the store is whole
# (docs/robustness.md).
#
# usage: tools/crash-import.sh [-n KILLS] [-s SEED] [-r RECORDS] [-b BATCH] [-c PER_CYCLE]
#                              [-k] [BUILD]
#   -n KILLS      kills to make (default 200)
#   -s SEED       seed of the region and of the kill times (default 1)
#   -r RECORDS    records in the generated region (default 2000)
#   -b BATCH      records per transaction (--batch, default 100)
#   -c PER_CYCLE  kills of one store before its import is run to the end (default 4)
#   -k            keep the work directory
#   BUILD         the build directory (default build): BUILD/talentreg, BUILD/tools/gen-region
#                 and BUILD/tools/store-check
#
# A region is generated once and imported once without interruption: the reference log size
# and root, and the time T an import takes. Then, cycle after cycle, a fresh store is
# initialised and its import started and killed up to PER_CYCLE times (a run that ends on its
# own ends the cycle early), each time after a delay drawn from [0, 1.1 T] (a fifth of the
# kills within the first tenth of T, where the first batch is written); a run has worker
# threads or none (--threads 0) at random. After each kill:
#   - the store opens and PRAGMA integrity_check is ok (BUILD/tools/store-check);
#   - every record id the import wrote to its --ack file (a complete line) is in the log;
#   - `talentreg audit` says clean;
# and at the end of each cycle the import run to its end gives the reference log: the same
# size and the same root. Exit 0 when every check passed; 1 at the first that failed (the
# store and its files are kept for inspection); 2 on a usage error.
set -u

kills=200 seed=1 records=2000 batch=100 per_cycle=4 keep=0
while getopts n:s:r:b:c:k opt; do
    case $opt in
    n) kills=$OPTARG ;;
    s) seed=$OPTARG ;;
    r) records=$OPTARG ;;
    b) batch=$OPTARG ;;
    c) per_cycle=$OPTARG ;;
    k) keep=1 ;;
    *) sed -n '4,6p' "$0" >&2; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
build=${1:-build}
TR=$(cd "$build" && pwd)/talentreg
GEN=$(cd "$build" && pwd)/tools/gen-region
CHECK=$(cd "$build" && pwd)/tools/store-check
for x in "$TR" "$GEN" "$CHECK"; do
    [ -x "$x" ] || { echo "crash-import: '$x' is not built (make all)" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/tr-crash-XXXXXX")
cleanup() { [ "$keep" = 1 ] || rm -rf "$work"; }
trap cleanup EXIT
cd "$work" || exit 2
unset TALENTREG_DB
ORIGIN=talentreg.example/crash
RANDOM=$seed

now_ms() { date +%s%3N; }

# A random whole number in [0, $1).
random_below() { echo $(((RANDOM * 32768 + RANDOM) % $1)); }

die() {
    echo "crash-import: FAILED: $*" >&2
    keep=1
    echo "crash-import: kept $work" >&2
    exit 1
}

new_store() {
    rm -f store.db store.db-wal store.db-shm ack
    "$TR" --db store.db init --origin "$ORIGIN" --operator-key region/keys/operator.pem \
        >/dev/null || die "init"
}

# The checks after a kill: the store opens, integrity_check, acknowledged records, audit.
check_store() {
    "$CHECK" store.db ack >check.out 2>check.err || die "kill $1: $(cat check.err)"
    "$TR" --db store.db audit >audit.out 2>&1 || die "kill $1: audit: $(tail -3 audit.out)"
    grep -qx 'audit: clean' audit.out || die "kill $1: audit: $(tail -3 audit.out)"
}

"$GEN" --out region --seed "$seed" --orgs 30 --people $((records / 10)) \
    --records "$records" >/dev/null || die "gen-region"

# The reference: one import that is never interrupted.
new_store
t0=$(now_ms)
"$TR" --db store.db import --batch "$batch" region/records.jsonl >/dev/null
[ $? -le 1 ] || die "the reference import failed"
span=$(($(now_ms) - t0))
"$CHECK" store.db >ref.out || die "the reference store: $(cat ref.out)"
ref_size=$(sed -n 's/^size //p' ref.out)
ref_root=$(sed -n 's/^root //p' ref.out)
echo "crash-import: $records records, batch $batch, reference import $span ms," \
    "log $ref_size leaves, root $ref_root"

start=$(now_ms)
killed=0 cycles=0 ended=0 early=0 total_runs=0
while [ "$killed" -lt "$kills" ]; do
    cycles=$((cycles + 1))
    new_store
    for ((k = 0; k < per_cycle && killed < kills; k++)); do
        if [ $((RANDOM % 5)) -eq 0 ]; then
            delay=$(random_below $((span / 10 + 1)))
        else
            delay=$(random_below $((span * 11 / 10 + 1)))
        fi
        threads=()
        [ $((RANDOM % 4)) -eq 0 ] && threads=(--threads 0)
        total_runs=$((total_runs + 1))
        "$TR" --db store.db import --batch "$batch" "${threads[@]}" --ack ack \
            region/records.jsonl >/dev/null 2>run.err &
        pid=$!
        sleep "$(printf '%d.%03d' $((delay / 1000)) $((delay % 1000)))"
        if kill -KILL "$pid" 2>/dev/null; then
            wait "$pid" 2>/dev/null
            killed=$((killed + 1))
            check_store "$killed"
            acked=0
            [ ! -f ack ] || acked=$(wc -l <ack)
            printf 'kill %d: after %d ms%s, log %s leaves, %s acknowledged, audit clean\n' \
                "$killed" "$delay" "${threads:+ (no worker threads)}" \
                "$(sed -n 's/^size //p' check.out)" "$acked"
        else
            wait "$pid"
            [ $? -le 1 ] || die "an import run failed: $(cat run.err)"
            early=$((early + 1))
            break
        fi
    done
    # Run the import to its end: the log must be the reference's.
    "$TR" --db store.db import --batch "$batch" --ack ack region/records.jsonl >/dev/null 2>run.err
    [ $? -le 1 ] || die "cycle $cycles: the last import failed: $(cat run.err)"
    check_store "$killed"
    size=$(sed -n 's/^size //p' check.out)
    root=$(sed -n 's/^root //p' check.out)
    [ "$size" = "$ref_size" ] && [ "$root" = "$ref_root" ] ||
        die "cycle $cycles: the log has $size leaves, root $root; not the reference's"
    ended=$((ended + 1))
done
elapsed=$(($(now_ms) - start))
echo "crash-import: $killed kills in $cycles cycles ($total_runs runs, $early ended before" \
    "their kill), every check passed; $ended stores imported to the end, each with the" \
    "reference root; $((elapsed / 1000)) s"
