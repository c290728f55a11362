# a duplicate key is refused by the loader: exit 1
run: cd $TOP && $TR validate tests/hostile/invalid-duplicate-key.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-duplicate-key.yaml' line 7 column 1: duplicate key 'points'
