# a new store audits clean: nothing in the log, nothing wrong
setup: $TR init --origin talentreg.example/test >/dev/null
run: $TR audit
--- stdout
audit: tree size 0: leaves 0, erased 0, nodes 0, checkpoints 0, records verified 0
audit: clean
--- stderr
