# the organisations that must sign are distinct, and the issuer is one of them
run: cd $TOP && $TR validate tests/hostile/invalid-signers.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-signers.yaml' line 8 column 13: field 'credentialSubject.enterprise' must name another organisation than 'credentialSubject.university'
talentreg: 'tests/hostile/invalid-signers.yaml' line 12 column 9: field 'issuer' must be the organisation in 'credentialSubject.university' or the organisation in 'credentialSubject.enterprise'
