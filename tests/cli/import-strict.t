# import --strict: the first record not stored stops the import; the records before it are
# stored (whatever the batch size), nothing after it
setup: $(dirname $TR)/tools/gen-region --out r --orgs 6 --people 10 --records 200 --seed 4 > /dev/null
setup: $TR init --origin talentreg.example/region --operator-key r/keys/operator.pem > /dev/null
run: $TR import --strict --batch 7 r/records.jsonl; echo "exit $?"; $TR import --dry-run r/records.jsonl | tail -n 4
exit: 0
--- stdout
rejected 'r/records.jsonl' line 52: bad-signature: proof 1: the signature does not verify
import: 52 records: 51 stored, 0 already stored, 0 merged, 1 rejected
import: rejected by reason: bad-signature 1
import: stopped at the first record not stored (--strict)
import: the log has 51 leaves
exit 1
rejected 'r/records.jsonl' line 194: signer-not-permitted: 913503005000FKU6DR may not issue Credit records: its Organization record at leaf 5 does not permit them
import: 200 records: 140 stored, 51 already stored, 3 merged, 6 rejected
import: rejected by reason: bad-signature 1, missing-cosigner 1, signer-not-permitted 3, revocation-not-permitted 1
import: dry run: nothing was stored (the log would have 194 leaves)
--- stderr
