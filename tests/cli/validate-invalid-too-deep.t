# input over a limit does not validate: exit 1
run: cd $TOP && $TR validate --max-depth 2 tests/hostile/invalid-too-deep.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-too-deep.yaml' line 4 column 5: nesting deeper than 2
