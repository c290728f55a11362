# a wrong USCC check character names the expected one; exit 1
run: cd $TOP && $TR validate tests/hostile/invalid-uscc-check.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-uscc-check.yaml' line 3 column 9: field 'issuer' is not a valid unified social credit code: the check character must be 'U', not 'Y'
talentreg: 'tests/hostile/invalid-uscc-check.yaml' line 7 column 7: field 'credentialSubject.host' is not a valid unified social credit code: the check character must be 'U', not 'Y'
