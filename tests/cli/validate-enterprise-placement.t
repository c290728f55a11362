# a teacher's six-month R&D placement: dates become the first and last second of their days
run: cd $TOP && $TR validate docs/examples/enterprise-placement.yaml
exit: 0
--- stdout
{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://talentreg.example/ns/v1"
  ],
  "type": [
    "VerifiableCredential",
    "EnterprisePlacementCredential"
  ],
  "issuer": "urn:talentreg:org:91350900MA2Y8K3Q1U",
  "validFrom": "2024-03-01T00:00:00Z",
  "validUntil": "2024-08-31T23:59:59Z",
  "credentialSubject": {
    "id": "urn:talentreg:person:p-zhang-wei-1984",
    "host": "urn:talentreg:org:91350900MA2Y8K3Q1U",
    "home": "urn:talentreg:org:12350100488101234T",
    "fte": 1,
    "form": "rnd_project",
    "hours": 1000,
    "project": "电池管理系统研发 (battery management system R&D)"
  }
}
--- stderr
