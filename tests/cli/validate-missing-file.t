# a file that cannot be read is an operational error: exit 2, the others are still checked
run: cd $TOP && $TR validate no-such-file.yaml docs/examples/revocation.yaml
exit: 2
--- stdout
{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://talentreg.example/ns/v1"
  ],
  "type": [
    "VerifiableCredential",
    "RevocationCredential"
  ],
  "issuer": "urn:talentreg:org:52350100MJD4C28059",
  "credentialSubject": {
    "id": "urn:talentreg:record:798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557",
    "action": "supersede",
    "reason": "学分录入错误：应为5 ECTS (credit points entered as 6 instead of 5)",
    "supersededBy": "urn:talentreg:record:b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb"
  }
}
--- stderr
talentreg: cannot open 'no-such-file.yaml': No such file or directory
