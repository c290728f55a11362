# a leaf or a record that is not in the log: exit 1
setup: $TR init --origin talentreg.example/test
run: $TR log prove 0; $TR log prove --json c92c8c55d333d24204fcb453596cf1c784ea2755e6fc963c1176314c3e2bee9f; exit $?
exit: 1
--- stdout
--- stderr
talentreg: leaf 0 is not in the log
talentreg: record 'c92c8c55d333d24204fcb453596cf1c784ea2755e6fc963c1176314c3e2bee9f' is not in the log
