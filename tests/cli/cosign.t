# cosign adds the second signer's proof; the record id stays; a key that signed already, or
# a credential whose proofs do not verify, is refused
setup: $TOP/tests/cli/data/region.sh keys
setup: $TR issue ex/dual-appointment.yaml --key minjiang.pem --created 2025-01-01T08:00:00Z --out one.json
setup: sed 's/"role": "industrial_professor"/"role": "enterprise_mentor"/' one.json > forged.json
run: $TR cosign one.json --key ningde.pem --created 2025-01-02T08:00:00Z --out two.json && $TR proof verify two.json | sed 's/did:key:[^ ]*/KEY/'; $TR cosign two.json --key ningde.pem; echo "exit $?"; $TR cosign forged.json --key ningde.pem; echo "exit $?"; ls
--- stdout
proof 1: ok KEY
proof 2: ok KEY
verified
exit 1
exit 1
board.pem
ex
forged.json
fuzhou.pem
fuzhou2.pem
minjiang.pem
ningde.pem
one.json
op.pem
sino.pem
stranger.pem
two.json
--- stderr
talentreg: 'two.json' is already signed by did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG (proof 2)
talentreg: 'forged.json' does not verify: proof 1: bad-signature: the signature does not verify
