# a file that is not YAML does not validate: exit 1
run: cd $TOP && $TR validate tests/hostile/invalid-yaml-syntax.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-yaml-syntax.yaml' line 3 column 8: did not find expected ',' or ']' (while parsing a flow sequence at line 2 column 9)
