# export: a record no checkpoint covers yet, a record not in the log, an unknown format, an
# existing output file; verify --bundle without the operator key or with a malformed one
setup: $TOP/tests/cli/data/region.sh
setup: awk 'BEGIN { RS = "---\n" } NR == 1 { printf "%s", $0 > "c1.yaml" }' ex/credits.yaml
setup: $TR issue c1.yaml --key minjiang.pem --created 2025-07-26T08:00:00Z --out c1.json
setup: touch exists.json
run: ID=95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d; $TR export --bundle 0b4e7f12a5cd6b5d1b8e1e7a9e0d3b0e3a0b6f1f0c7c2a9d8e2f1a0b9c8d7e6f; echo "exit $?"; $TR log checkpoint --key op.pem > /dev/null; $TR submit c1.json > /dev/null; $TR export --bundle $ID; echo "exit $?"; $TR log checkpoint --key op.pem > /dev/null; $TR export --bundle 0000000000000000000000000000000000000000000000000000000000000000; echo "exit $?"; $TR export --format ob2 $ID 2>&1 | head -n 1; $TR export --bundle --out exists.json $ID; echo "exit $?"; $TR export --since 3 $ID 2>&1 | head -n 1; $TR export $ID | head -n 3; $TR verify --bundle exists.json 2>&1 | head -n 1; $TR verify --bundle exists.json --operator nokey 2>&1 | head -n 1
--- stdout
exit 1
exit 2
exit 1
talentreg export: unknown format 'ob2'
exit 2
talentreg export: option '--since' is for bundles
{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
talentreg verify: option '--bundle' needs '--operator VKEY'
talentreg verify: '--operator' is not a verifier key: key is not of the form name+keyid+key
--- stderr
talentreg: record '0b4e7f12a5cd6b5d1b8e1e7a9e0d3b0e3a0b6f1f0c7c2a9d8e2f1a0b9c8d7e6f' is not in the log
talentreg: no checkpoint covers leaf 5: run 'talentreg log checkpoint'
talentreg: record '0000000000000000000000000000000000000000000000000000000000000000' is not in the log
talentreg: cannot create 'exists.json': File exists
