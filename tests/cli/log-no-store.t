# every log subcommand needs a store
run: $TR log show
exit: 2
--- stdout
--- stderr
talentreg: store './talent.db' does not exist (run 'talentreg init')
