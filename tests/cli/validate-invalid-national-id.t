# a bad resident id number is refused without being printed
run: cd $TOP && $TR validate --id-key docs/examples/id.key tests/hostile/invalid-national-id.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-national-id.yaml' line 6 column 13: field 'credentialSubject.nationalId' is not a valid resident id number: the check character is wrong
