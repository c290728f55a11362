# misspelt keys are errors, and the fields they missed are required
run: cd $TOP && $TR validate tests/hostile/invalid-unknown-keys.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-unknown-keys.yaml' line 2 column 1: field 'validFrom' is required
talentreg: 'tests/hostile/invalid-unknown-keys.yaml' line 2 column 1: field 'credentialSubject.form' is required
talentreg: 'tests/hostile/invalid-unknown-keys.yaml' line 5 column 1: field 'credentialSubject.vaildFrom' is not a field of EnterprisePlacement
talentreg: 'tests/hostile/invalid-unknown-keys.yaml' line 10 column 1: field 'credentialSubject.from' is not a field of EnterprisePlacement
