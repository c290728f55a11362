# a file without records does not validate
run: cd $TOP && $TR validate tests/hostile/invalid-empty.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-empty.yaml' holds no record
