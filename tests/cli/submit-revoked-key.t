# trusted time is the log position: a record signed with a key revoked before it is logged
# is rejected even when it and its proof are dated years before the revocation; records
# logged before the revocation still count
setup: $TOP/tests/cli/data/region.sh
setup: sed 's/91350900MA2Y8K3Q1U/91350100MA31XR6T22/g' ex/enterprise-placement.yaml > p.yaml
setup: sed 's/rnd_project/post/' p.yaml > p2.yaml
setup: $TR issue p.yaml --key fuzhou.pem --created 2024-03-01T08:00:00Z --out before.json
setup: $TR issue p2.yaml --key fuzhou.pem --created 2019-01-01T08:00:00Z --out backdated.json
setup: $TR submit before.json > /dev/null
setup: $TR org revoke-key 91350100MA31XR6T22 did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf --key op.pem > /dev/null
run: $TR submit backdated.json; echo "exit $?"; $TR verify before.json | sed -n 1p
--- stdout
rejected 'backdated.json': key-revoked: proof 1: key did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf of 91350100MA31XR6T22 was revoked at leaf 6, before the proof's position 7
exit 1
record 4bafb74a607a316da9c4a96ec01200057219694ecb19ea2212400250d206ce18: counts
--- stderr
