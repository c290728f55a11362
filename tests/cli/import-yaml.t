# import: a YAML stream of records is signed with --key and imported (a record signed by the
# wrong issuer's key is rejected); without a key nothing is read
setup: $TOP/tests/cli/data/region.sh
run: $TR import --key minjiang.pem --created 2025-01-01T08:00:00Z ex/credits.yaml; echo "exit $?"; $TR import ex/credits.yaml; echo "exit $?"
exit: 0
--- stdout
rejected 'ex/credits.yaml' line 16: signer-not-permitted: proof 1: 12350100488101234T is neither a signer nor a co-signer of Credit records
rejected 'ex/credits.yaml' line 16: issuer-mismatch: the issuer 52350100MJD4C28059 has no valid proof
rejected 'ex/credits.yaml' line 28: signer-not-permitted: proof 1: 12350100488101234T is neither a signer nor a co-signer of Credit records
rejected 'ex/credits.yaml' line 28: issuer-mismatch: the issuer 52350100MJD4C28059 has no valid proof
import: 3 records: 1 stored, 0 already stored, 0 merged, 2 rejected
import: rejected by reason: signer-not-permitted 2
import: the log has 6 leaves
exit 1
exit 2
--- stderr
talentreg: 'ex/credits.yaml' holds YAML records, which are signed on import: no signing key was given
