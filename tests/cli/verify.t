# verify by record id or file, as of the whole log or of an earlier log size: a superseded
# record counted until its Revocation was logged
setup: $TOP/tests/cli/data/region.sh
setup: awk 'BEGIN { RS = "---\n" } NR == 2 { printf "%s", $0 > "c2.yaml" } NR == 3 { printf "%s", $0 > "c3.yaml" }' ex/credits.yaml
setup: $TR issue c2.yaml --key sino.pem --created 2025-07-26T08:00:00Z --out c2.json && $TR issue c3.yaml --key sino.pem --created 2025-07-26T08:00:00Z --out c3.json && $TR submit c2.json c3.json > /dev/null
setup: $TR issue ex/revocation.yaml --key sino.pem --created 2025-07-27T08:00:00Z --out rev.json && $TR submit rev.json > /dev/null
run: ID=798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557; $TR verify $ID; echo "exit $?"; $TR verify --log-size 7 $ID; echo "exit $?"; $TR verify --json --log-size 7 $ID | sed -n 1,7p; $TR verify c3.json | sed -n 1,1p; $TR verify b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb | sed -n 1,1p
--- stdout
record 798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557: does not count
kind: Credit
leaf: 6 (first logged at leaf 6)
log size: 8
proof 1: valid by 52350100MJD4C28059 at position 6
superseded: superseded by record b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb (Revocation e566f8047371fd14f2f265d999ea75846d3cd03975c6c55b7561cc545b3b412d at leaf 7)
exit 1
record 798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557: counts
kind: Credit
leaf: 6 (first logged at leaf 6)
log size: 7
proof 1: valid by 52350100MJD4C28059 at position 6
exit 0
{
  "recordId": "798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557",
  "kind": "Credit",
  "counts": true,
  "logSize": 7,
  "leaf": 6,
  "firstLeaf": 6,
record 798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557: does not count
record b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb: counts
--- stderr
