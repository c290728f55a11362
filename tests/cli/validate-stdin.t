# "-" reads the records from standard input
run: $TR validate --json -
--- stdin
kind: Revocation
issuer: operator
subject: 798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557
action: withdraw
reason: registered twice
--- stdout
{"@context":["https://www.w3.org/ns/credentials/v2","https://talentreg.example/ns/v1"],"type":["VerifiableCredential","RevocationCredential"],"issuer":"urn:talentreg:operator","credentialSubject":{"id":"urn:talentreg:record:798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557","action":"withdraw","reason":"registered twice"}}
--- stderr
