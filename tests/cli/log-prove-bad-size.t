# --size must be a positive number, and no larger than the log
setup: $TR init --origin talentreg.example/test
run: $TR log prove --size 0 0 2>&1 >/dev/null | sed -n 1,2p; $TR log prove --size x 0 2>&1 >/dev/null | sed -n 1p; $TR log prove 2>&1 >/dev/null | sed -n 1p; $TR log prove 1 2 2>&1 >/dev/null | sed -n 1p; exit ${PIPESTATUS[0]}
exit: 2
--- stdout
talentreg log prove: option '--size' needs a positive number, not '0'
usage: talentreg log prove [--size N] [--json] ID|LEAF
talentreg log prove: option '--size' needs a positive number, not 'x'
talentreg log prove: too few arguments
talentreg log prove: too many arguments
