# filters are checked: a bad USCC, person id or date is an error (exit 2) that says why
setup: $TR init --origin talentreg.example/test
run: for a in "--org 91350900MA2Y8K3Q1Y" "--org x" "--person Zhang" "--person p-Zhang" "--from 2024-02-30" "--to 2024" "--from 2024-05-01 --to 2024-04-30"; do $TR search $a battery; echo "exit $?"; done 2>&1
--- stdout
talentreg: organisation '91350900MA2Y8K3Q1Y' is not a valid unified social credit code: the check character must be 'U', not 'Y'
exit 2
talentreg: organisation 'x' is not a valid unified social credit code: it must be 18 characters long
exit 2
talentreg: person 'Zhang' is not a valid person id: it must start with 'p-'
exit 2
talentreg: person 'p-Zhang' is not a valid person id: only a-z, 0-9 and '-' may follow 'p-'
exit 2
talentreg: from date '2024-02-30' is not a valid date: 2024-02 has no day 30
exit 2
talentreg: to date '2024' is not a valid date: it must be written YYYY-MM-DD
exit 2
talentreg: to date '2024-04-30' is before from date '2024-05-01'
exit 2
