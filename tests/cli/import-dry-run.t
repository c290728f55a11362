# import --dry-run: every record judged in log order (later records see the organisations and
# records before them), the report in JSON, and nothing stored; the real import then agrees
setup: $(dirname $TR)/tools/gen-region --out r --orgs 6 --people 20 --records 80 --seed 10 > /dev/null
setup: $TR init --origin talentreg.example/region --operator-key r/keys/operator.pem > /dev/null
run: $TR import --dry-run --json r/records.jsonl; echo "exit $?"; $TR audit --log-only | head -n 1; $TR import r/records.jsonl | grep -v '^rejected'; $TR audit --log-only | head -n 1
exit: 0
--- stdout
{"rejected":[
{"file":"r/records.jsonl","line":75,"record":75,"recordId":"f53bdedf3398e50f909cad4fec46142478155fb0bb7a6c2b8af0f454754c1249","reasons":[{"code":"bad-signature","detail":"proof 1: the signature does not verify"}]}
],"summary":{"records":80,"stored":76,"duplicates":2,"merged":1,"rejected":1,"reasons":{"bad-signature":1},"logSize":77,"dryRun":true,"stopped":false}}
exit 1
audit: tree size 0: leaves 0, erased 0, nodes 0, checkpoints 0, records verified 0
import: 80 records: 76 stored, 2 already stored, 1 merged, 1 rejected
import: rejected by reason: bad-signature 1
import: the log has 77 leaves
audit: tree size 77: leaves 77, erased 0, nodes 150, checkpoints 0, records verified 0
--- stderr
