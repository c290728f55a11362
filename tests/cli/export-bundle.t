# export --bundle writes a record with the Organization records of its keys, their inclusion
# proofs and the latest checkpoint; verify --bundle checks it with the operator's verifier key
# alone (no store: --db names none), and says what it cannot see
setup: $TOP/tests/cli/data/region.sh
setup: awk 'BEGIN { RS = "---\n" } NR == 1 { printf "%s", $0 > "c1.yaml" }' ex/credits.yaml
setup: $TR issue c1.yaml --key minjiang.pem --created 2025-07-26T08:00:00Z --out c1.json && $TR submit c1.json > /dev/null && $TR log checkpoint --key op.pem > /dev/null
run: ID=95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d; VK=talentreg.example/test+3f68577b+Adm/IUh0ioXInaWq2O4LD8LRBf051BpMeWU2NU8K4pAM; $TR export $ID --bundle --out b.json && grep -c '"leaf_index"' b.json && $TR --db none.db verify --bundle b.json --operator $VK; echo "exit $?"; $TR --db none.db verify --json --bundle b.json --operator $VK
--- stdout
2
record 95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d: counts
kind: Credit
leaf: 5
checkpoint: talentreg.example/test, tree size 6
note: offline verification cannot see revocations logged after tree size 6
exit 0
{
  "recordId": "95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d",
  "kind": "Credit",
  "counts": true,
  "offline": true,
  "leaf": 5,
  "treeSize": 6,
  "reasons": [],
  "note": "offline verification cannot see revocations logged after tree size 6"
}
--- stderr
