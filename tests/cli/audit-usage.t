# audit takes no argument; a missing store is an operational error (exit 2)
setup: $TR init --origin talentreg.example/test >/dev/null
run: $TR audit extra 2>&1 | head -n 2; $TR audit --db none.db; echo "exit $?"
--- stdout
talentreg audit: unexpected argument 'extra'
usage: talentreg audit [--log-only] [--json]
exit 2
--- stderr
talentreg: store 'none.db' does not exist (run 'talentreg init')
