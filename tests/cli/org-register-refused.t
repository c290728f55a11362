# only the operator key registers organisations, and only Organization records; a store
# without an operator key says how to get one
setup: $TOP/tests/cli/data/region.sh
setup: $TR --db bare.db init --origin o > /dev/null
run: $TR org register ex/organizations.yaml --key minjiang.pem; echo "exit $?"; $TR org register ex/credits.yaml --key op.pem; echo "exit $?"; $TR --db bare.db org register ex/organizations.yaml --key op.pem; echo "exit $?"; $TR log show 2>&1; $TR org list | grep -c '^[0-9]'
--- stdout
exit 2
exit 1
exit 2
talentreg: the log has no checkpoint yet
5
--- stderr
talentreg: 'minjiang.pem' is not the operator key of store './talent.db'
talentreg: 'ex/credits.yaml' record 1 is not an Organization record
talentreg: 'ex/credits.yaml' record 2 is not an Organization record
talentreg: 'ex/credits.yaml' record 3 is not an Organization record
talentreg: store 'bare.db' has no operator key (run 'talentreg init --operator-key FILE')
