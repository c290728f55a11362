# --out writes one credential to a new file and never over an existing one; a file of
# several records cannot go to one --out
setup: $TOP/tests/cli/data/region.sh keys
run: $TR issue ex/credits.yaml --key sino.pem --out one.json; echo "exit $?"; $TR issue ex/credit-recognition.yaml --key minjiang.pem --out cr.json; echo "exit $?"; $TR issue ex/credit-recognition.yaml --key minjiang.pem --out cr.json; echo "exit $?"; ls *.json; grep -c proofValue cr.json
--- stdout
exit 2
exit 0
exit 2
cr.json
1
--- stderr
talentreg: 'ex/credits.yaml' holds 3 records; --out takes one
talentreg: cannot create 'cr.json': File exists
