# a new store has no checkpoint: a negative answer, exit 1, with and without --json
setup: $TR init --origin talentreg.example/test
run: $TR log show; $TR log show --json; exit $?
exit: 1
--- stdout
--- stderr
talentreg: the log has no checkpoint yet
talentreg: the log has no checkpoint yet
