# a bundle with a changed credential, leaf index, proof hash or checkpoint, checked with
# another key, or cut short, does not verify (exit 1), with its reason
setup: $TOP/tests/cli/data/region.sh
setup: awk 'BEGIN { RS = "---\n" } NR == 1 { printf "%s", $0 > "c1.yaml" }' ex/credits.yaml
setup: $TR issue c1.yaml --key minjiang.pem --created 2025-07-26T08:00:00Z --out c1.json && $TR submit c1.json > /dev/null && $TR log checkpoint --key op.pem > /dev/null
setup: $TR export 95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d --bundle --out b.json
setup: sed 's/"points": 2,/"points": 3,/' b.json > points.json
setup: sed 's/"leaf_index": 5,/"leaf_index": 4,/' b.json > leaf.json
setup: perl -0777 -pe 's/("inclusion_proof": \[\s*")(.)/$1 . ($2 eq "0" ? "1" : "0")/e' b.json > hash.json
setup: sed 's/\\n6\\n/\\n7\\n/' b.json > size.json
setup: head -c 200 b.json > cut.json
setup: $TR key show --name talentreg.example/test minjiang.pem | sed -n 's/^verifierKey: //p' > other.vkey
run: VK=talentreg.example/test+3f68577b+Adm/IUh0ioXInaWq2O4LD8LRBf051BpMeWU2NU8K4pAM; for f in points leaf hash size; do $TR verify --bundle $f.json --operator $VK | sed -n 2p | cut -d: -f1-3; echo "exit ${PIPESTATUS[0]}"; done; $TR verify --bundle b.json --operator $(cat other.vkey) | sed -n 2p; $TR verify --bundle cut.json --operator $VK | sed -n 2p | cut -d: -f1-2; echo "exit ${PIPESTATUS[0]}"
--- stdout
inclusion-proof: record: leaf 5 is not in the tree of size 6
exit 1
inclusion-proof: record: leaf 4 is not in the tree of size 6
exit 1
inclusion-proof: record: leaf 5 is not in the tree of size 6
exit 1
checkpoint-signature: checkpoint: signature line 1
exit 1
checkpoint-signature: checkpoint: note has no signature by a trusted key
bundle-malformed: 'cut.json' line 4 column 17
exit 1
--- stderr
