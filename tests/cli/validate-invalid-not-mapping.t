# a document that is not a mapping is no record
run: cd $TOP && $TR validate tests/hostile/invalid-not-mapping.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-not-mapping.yaml' line 1 column 1: a record must be a mapping of fields, not an array
