# fte outside 0 to 1, in each of two records of one stream
run: cd $TOP && $TR validate tests/hostile/invalid-fte.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-fte.yaml' line 9 column 6: field 'credentialSubject.fte' must be between 0 and 1
talentreg: 'tests/hostile/invalid-fte.yaml' line 19 column 6: field 'credentialSubject.fte' must be between 0 and 1
