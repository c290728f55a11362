# records that do not count are rejected with their reason codes and change nothing:
# another organisation's key, a key nobody registered, a kind the signer may not issue, a
# tampered document, no proof; a file that is not JSON (1) or not there (2)
setup: $TOP/tests/cli/data/region.sh
setup: sed '/^---/,$d' ex/credits.yaml > c.yaml
setup: sed 's/12350100488101234T/52350100MJD4C28059/' c.yaml > sino.yaml
setup: sed 's/12350100488101234T/"113500000035912489"/' c.yaml > board.yaml
setup: $TR issue sino.yaml --key minjiang.pem --created 2025-01-01T08:00:00Z --out foreign.json
setup: $TR issue c.yaml --key stranger.pem --created 2025-01-01T08:00:00Z --out stranger.json
setup: $TR issue board.yaml --key board.pem --created 2025-01-01T08:00:00Z --out board.json
setup: $TR issue c.yaml --key minjiang.pem --created 2025-01-01T08:00:00Z --out good.json
setup: sed 's/"points": 2/"points": 20/' good.json > tampered.json
setup: $TR validate c.yaml > unsigned.json
setup: printf 'not json' > bad.json
run: $TR submit foreign.json stranger.json board.json tampered.json unsigned.json bad.json; echo "exit $?"; $TR submit missing.json; echo "exit $?"; $TR log checkpoint --key op.pem | sed -n 2p
--- stdout
rejected 'foreign.json': signer-not-permitted: proof 1: 12350100488101234T is neither a signer nor a co-signer of Credit records
rejected 'foreign.json': issuer-mismatch: the issuer 52350100MJD4C28059 has no valid proof
rejected 'stranger.json': unknown-key: proof 1: key did:key:z6MkfMo6gxqdBhaHMNnmfhgZFBjpCDTkmJMJLoypsBZS9PwD is not a key of a registered organisation
rejected 'stranger.json': issuer-mismatch: the issuer 12350100488101234T has no valid proof
rejected 'board.json': signer-not-permitted: 113500000035912489 may not issue Credit records: its Organization record at leaf 3 does not permit them
rejected 'tampered.json': bad-signature: proof 1: the signature does not verify
rejected 'unsigned.json': no-proof: the document has no proof
exit 1
exit 2
5
--- stderr
talentreg: 'bad.json' line 1 column 1: invalid literal 'not'
talentreg: cannot open 'missing.json': No such file or directory
