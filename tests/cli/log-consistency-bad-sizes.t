# consistency needs 1 <= OLD <= NEW <= the log's size; anything else is exit 2
setup: $TR init --origin talentreg.example/test
run: for a in "1 1" "0 0" "2 1"; do $TR log consistency $a; echo "exit $?"; done; $TR log consistency -- -1 1 2>&1 | sed -n 1p; $TR log consistency 1 2>&1 | sed -n 1p; $TR log consistency 1 18446744073709551616 2>&1 | sed -n 1p
--- stdout
exit 2
exit 2
exit 2
talentreg log consistency: OLD must be a tree size, not '-1'
talentreg log consistency: too few arguments
talentreg log consistency: NEW must be a tree size, not '18446744073709551616'
--- stderr
talentreg: new tree size 1 is larger than the log (0 leaves)
talentreg: no consistency proof from an empty tree
talentreg: new tree size 1 is larger than the log (0 leaves)
