# submit: stored, replayed (nothing changes), co-signature merged, rejected with every
# reason; a rejection does not stop the others and what was accepted is kept (exit 1)
setup: $TOP/tests/cli/data/region.sh
setup: $TR issue ex/dual-appointment.yaml --key minjiang.pem --created 2025-01-01T08:00:00Z --out da1.json
setup: $TR cosign da1.json --key ningde.pem --created 2025-01-02T08:00:00Z --out da2.json
setup: $TR issue ex/contribution.yaml --key minjiang.pem --created 2025-01-01T08:00:00Z --out c1.json
setup: $TR cosign c1.json --key ningde.pem --created 2025-01-02T08:00:00Z --out c2.json
run: $TR submit da1.json da2.json da2.json c1.json; echo "exit $?"; $TR submit c2.json c1.json; echo "exit $?"; $TR log show 2>&1; $TR verify $($TR submit --json c2.json | sed -n 's/.*"recordId": "\(.*\)",/\1/p')
--- stdout
rejected 'da1.json': missing-cosigner: the enterprise 91350900MA2Y8K3Q1U has no valid proof
stored 3cbd22e7682a8418b461ec77decb271e678dc2037ac503ce19a737ae9f05e58f at leaf 5
already stored 3cbd22e7682a8418b461ec77decb271e678dc2037ac503ce19a737ae9f05e58f, nothing changed
stored 473f345fd6897537ad2bfc4046d9d8fb80ffa92f3b315f6e2269c1ba1fb2a830 at leaf 6
exit 1
merged a co-signature into 473f345fd6897537ad2bfc4046d9d8fb80ffa92f3b315f6e2269c1ba1fb2a830 at leaf 7
already stored 473f345fd6897537ad2bfc4046d9d8fb80ffa92f3b315f6e2269c1ba1fb2a830, nothing changed
exit 0
talentreg: the log has no checkpoint yet
record 473f345fd6897537ad2bfc4046d9d8fb80ffa92f3b315f6e2269c1ba1fb2a830: counts
kind: Contribution
leaf: 7 (first logged at leaf 6)
log size: 8
proof 1: valid by 12350100488101234T at position 6
proof 2: valid by 91350900MA2Y8K3Q1U at position 7
--- stderr
