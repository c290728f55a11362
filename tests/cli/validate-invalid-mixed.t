# valid records are printed, invalid ones reported; exit 1
run: cd $TOP && $TR validate --json tests/hostile/invalid-mixed.yaml
exit: 1
--- stdout
{"@context":["https://www.w3.org/ns/credentials/v2","https://talentreg.example/ns/v1"],"type":["VerifiableCredential","CreditCredential"],"issuer":"urn:talentreg:org:52350100MJD4C28059","credentialSubject":{"id":"urn:talentreg:person:p-li-na-1999","course":"Industrial Automation Lab","framework":"ects","points":5,"earnedOn":"2025-07-25"}}
--- stderr
talentreg: 'tests/hostile/invalid-mixed.yaml' line 15 column 9: field 'credentialSubject.points' must be between 0 and 100
