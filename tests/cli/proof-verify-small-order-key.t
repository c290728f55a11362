# a proof under a public key of small order (here the identity point, whose "signature" R =
# identity, S = 0 OpenSSL accepts for any message) does not verify: exit 1, bad-signature
setup: sed -e 's/z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2/z6MkeXATEjyXENzBXBxgC5EHk2JE5aqd7qMGGtDpLUH1e2Sj/g' -e 's/"proofValue": "z[^"]*"/"proofValue": "z2AFv15MNPuA84RmU66xw2uMzGipcVxNpzAffoacGVvjFue3CBmf633fAWuiP9cwL9C3z3CJiGgRSFjJfeEcA6QX"/' -e 's/The School of Examples/Any School At All/' $TOP/tests/cli/data/w3c-signed.json > forged.json
run: $TR proof verify forged.json
exit: 1
--- stdout
proof 1: bad-signature: the signature does not verify
not verified
--- stderr
