# a verifier that has seen a checkpoint passes it with --checkpoint: a newer bundle must carry
# the consistency proof from it (export --since); an older bundle is a rollback
setup: $TOP/tests/cli/data/region.sh
setup: awk 'BEGIN { RS = "---\n" } NR == 1 { printf "%s", $0 > "c1.yaml" } NR == 2 { printf "%s", $0 > "c2.yaml" }' ex/credits.yaml
setup: $TR issue c1.yaml --key minjiang.pem --created 2025-07-26T08:00:00Z --out c1.json && $TR submit c1.json > /dev/null && $TR log checkpoint --key op.pem > seen6.note
setup: $TR export 95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d --bundle --out old.json
setup: $TR issue c2.yaml --key sino.pem --created 2025-07-26T08:00:00Z --out c2.json && $TR submit c2.json > /dev/null && $TR log checkpoint --key op.pem > seen7.note
setup: $TR export 95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d --bundle --out plain.json
setup: $TR export 95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d --bundle --since 6 --out since.json
run: VK=talentreg.example/test+3f68577b+Adm/IUh0ioXInaWq2O4LD8LRBf051BpMeWU2NU8K4pAM; for b in since plain old; do $TR verify --bundle $b.json --operator $VK --checkpoint seen6.note | sed -n '1!p' | sed -n 1p; done; $TR verify --bundle old.json --operator $VK --checkpoint seen7.note | sed -n 2p; echo "exit ${PIPESTATUS[0]}"
--- stdout
kind: Credit
checkpoint-inconsistent: the bundle holds no consistency proof from the tree size 6 already seen
kind: Credit
checkpoint-rollback: checkpoint size 6 is smaller than the size 7 already seen
exit 1
--- stderr
