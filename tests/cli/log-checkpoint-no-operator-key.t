# a store without an operator key cannot sign checkpoints; a missing key file is named
setup: $TR init --origin talentreg.example/test
setup: $TR key generate --out op.key > /dev/null
run: $TR log checkpoint --key op.key; $TR log checkpoint --key missing.key; exit $?
exit: 2
--- stdout
--- stderr
talentreg: store './talent.db' has no operator key
talentreg: cannot open key file 'missing.key': No such file or directory
