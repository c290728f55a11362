# dossier: no record about the person is a negative answer (1); a malformed person id, an
# unknown format or policy, and a log size beyond the log are errors (2)
setup: $TOP/tests/cli/data/records.sh
run: $TR dossier p-nobody-2000 --as-of 2025-12-31; echo "exit $?"; $TR dossier zhang 2>&1 | sed -n 1p; echo "exit ${PIPESTATUS[0]}"; $TR dossier p-li-na-1999 --format pdf 2>&1 | sed -n 1p; $TR dossier p-li-na-1999 --policy no-such-policy; echo "exit $?"; $TR dossier p-li-na-1999 --log-size 99; echo "exit $?"; $TR dossier p-li-na-1999 --as-of 2025-02-30 2>&1 | sed -n 1p
--- stdout
exit 1
talentreg dossier: 'zhang' is not a person id (p-...)
exit 2
talentreg dossier: unknown format 'pdf' (text, json or html)
exit 2
exit 2
talentreg dossier: option '--as-of' needs a date YYYY-MM-DD, not '2025-02-30'
--- stderr
talentreg: no record about p-nobody-2000 is in the log of size 22
talentreg: no policy preset 'no-such-policy'
talentreg: log size 99 is larger than the log (22 leaves)
