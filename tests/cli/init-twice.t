# a second init refuses the existing store: exit 2, and the store is left alone
setup: $TR init --origin first.example/log
setup: cp talent.db before.db
run: $TR init --origin second.example/log; rc=$?; cmp talent.db before.db && exit $rc
exit: 2
--- stdout
--- stderr
talentreg: './talent.db' already exists
