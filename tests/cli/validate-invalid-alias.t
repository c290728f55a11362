# anchors and aliases are refused: exit 1
run: cd $TOP && $TR validate tests/hostile/invalid-alias.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-alias.yaml' line 2 column 9: anchors and aliases are not allowed
