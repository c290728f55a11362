# verify: a record not in the log (or not yet at that log size) is a negative verdict (1);
# a log size beyond the log, an unreadable file or a bad option is an error (2)
setup: $TOP/tests/cli/data/region.sh
run: Z=0000000000000000000000000000000000000000000000000000000000000000; $TR verify $Z; echo "exit $?"; $TR verify --log-size 0 369426ff66f8ff793e222e90fa76cd931a58208bd356b2bcef1ab10064a93bb6; echo "exit $?"; $TR verify --log-size 6 $Z; echo "exit $?"; $TR verify --log-size x $Z 2>&1 | sed -n 1,1p; $TR verify nothing.json; echo "exit $?"; $TR verify 2>&1 | sed -n 1,1p; $TR verify a b 2>&1 | sed -n 1,1p
--- stdout
exit 1
exit 1
exit 2
talentreg verify: option '--log-size' needs a number of leaves, not 'x'
exit 2
talentreg verify: no ID or FILE given
talentreg verify: too many arguments
--- stderr
talentreg: record '0000000000000000000000000000000000000000000000000000000000000000' is not in the log of size 5
talentreg: record '369426ff66f8ff793e222e90fa76cd931a58208bd356b2bcef1ab10064a93bb6' is not in the log of size 0
talentreg: log size 6 is larger than the log (5 leaves)
talentreg: cannot open 'nothing.json': No such file or directory
