# a byte of a stored body changed in the file (here with perl, behind talentreg's back) is
# found at its leaf: the body no longer hashes to its leaf hash (exit 1)
setup: $TOP/tests/cli/data/region.sh
setup: awk 'BEGIN { RS = "---\n" } NR == 1 { printf "%s", $0 > "c1.yaml" }' ex/credits.yaml
setup: $TR issue c1.yaml --key minjiang.pem --created 2025-07-26T08:00:00Z --out c1.json && $TR submit c1.json > /dev/null && $TR log checkpoint --key op.pem > /dev/null
setup: test ! -e talent.db-wal && perl -0777 -pi -e 's/"points":2,/"points":9,/' talent.db
run: $TR audit --log-only; echo "exit $?"; $TR audit --json | grep -o '"code":"[a-z-]*","severity":"[a-z]*","leaf":[0-9]*,"count":[0-9]*,"recordId":"[0-9a-f]*"'
--- stdout
leaf 5: leaf-hash-mismatch: the body hashes to dbaff2e1d46fb7e4..., the stored leaf hash is 02fcb90c92ebbf13...
leaf 5: record-id-mismatch: the body's record id is 85a716598059e84870a3f8a7b46a838ba69f06ce886caf0d226c2e91465f473f
audit: tree size 6: leaves 6, erased 0, nodes 10, checkpoints 1, records verified 0
audit: 2 problems: leaf-hash-mismatch 1, record-id-mismatch 1
exit 1
"code":"leaf-hash-mismatch","severity":"error","leaf":5,"count":1,"recordId":"95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d"
"code":"record-id-mismatch","severity":"error","leaf":5,"count":1,"recordId":"95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d"
--- stderr
