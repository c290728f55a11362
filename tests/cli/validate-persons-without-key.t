# without --id-key a record with a nationalId is refused; the others pass
run: cd $TOP && $TR validate --json docs/examples/persons.yaml
exit: 1
--- stdout
{"@context":["https://www.w3.org/ns/credentials/v2","https://talentreg.example/ns/v1"],"type":["VerifiableCredential","PersonCredential"],"issuer":"urn:talentreg:org:52350100MJD4C28059","credentialSubject":{"id":"urn:talentreg:person:p-thomas-weber-1976","name":"Thomas Weber","alternateName":"托马斯·韦伯","categories":["teacher","enterprise_expert"],"home":"urn:talentreg:org:52350100MJD4C28059"}}
--- stderr
talentreg: 'docs/examples/persons.yaml' line 9 column 13: field 'credentialSubject.nationalId' needs an id key to be hashed: pass --id-key FILE
talentreg: 'docs/examples/persons.yaml' line 18 column 13: field 'credentialSubject.nationalId' needs an id key to be hashed: pass --id-key FILE
talentreg: 'docs/examples/persons.yaml' line 27 column 13: field 'credentialSubject.nationalId' needs an id key to be hashed: pass --id-key FILE
talentreg: 'docs/examples/persons.yaml' line 36 column 13: field 'credentialSubject.nationalId' needs an id key to be hashed: pass --id-key FILE
talentreg: 'docs/examples/persons.yaml' line 45 column 13: field 'credentialSubject.nationalId' needs an id key to be hashed: pass --id-key FILE
