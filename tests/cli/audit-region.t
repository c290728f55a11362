# the sample region with a credit and a checkpoint audits clean: every record judged again,
# the trust index built again and compared
setup: $TOP/tests/cli/data/region.sh
setup: awk 'BEGIN { RS = "---\n" } NR == 1 { printf "%s", $0 > "c1.yaml" }' ex/credits.yaml
setup: $TR issue c1.yaml --key minjiang.pem --created 2025-07-26T08:00:00Z --out c1.json && $TR submit c1.json > /dev/null && $TR log checkpoint --key op.pem > /dev/null
run: $TR audit; echo "exit $?"; $TR audit --log-only --json
--- stdout
audit: tree size 6: leaves 6, erased 0, nodes 10, checkpoints 1, records verified 6
audit: clean
exit 0
{"findings":[],"summary":{"treeSize":6,"leaves":6,"erased":0,"nodes":10,"checkpoints":1,"records":0,"errors":0,"notices":0,"clean":true,"codes":{}}}
--- stderr
