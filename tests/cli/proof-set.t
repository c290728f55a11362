# a second key signs the same document: a proof set of two, both verify
setup: $TR key generate --out a.pem > /dev/null && $TR key generate --out b.pem > /dev/null
setup: $TR proof sign --key a.pem $TOP/tests/cli/data/w3c-unsigned.json > one.json
setup: $TR proof sign --key b.pem one.json > two.json
run: $TR proof verify two.json | sed 's/did:key:[^ ]*/KEY/'; exit ${PIPESTATUS[0]}
--- stdout
proof 1: ok KEY
proof 2: ok KEY
verified
--- stderr
