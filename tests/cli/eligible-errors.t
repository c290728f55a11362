# eligible: a policy is required, --org must be a USCC, the policy must exist
setup: $TOP/tests/cli/data/records.sh
run: $TR eligible 2>&1 | sed -n 1p; echo "exit ${PIPESTATUS[0]}"; $TR eligible --policy industrial-professor-duties --org 12350100488101234X 2>&1 | sed -n 1p; $TR eligible --policy no-such-policy; echo "exit $?"; $TR eligible --policy industrial-professor-duties p-li-na-1999 2>&1 | sed -n 1p
--- stdout
talentreg eligible: no --policy ID given
exit 2
talentreg eligible: option '--org' needs a USCC, not '12350100488101234X'
exit 2
talentreg eligible: unexpected argument 'p-li-na-1999'
--- stderr
talentreg: no policy preset 'no-such-policy'
