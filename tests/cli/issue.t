# issue: a YAML record to its signed credential; the national id becomes its keyed hash, and
# the signature is deterministic for a given --created
setup: $TOP/tests/cli/data/region.sh keys
setup: sed -n '/^kind: Person/,/^home/p' ex/persons.yaml | head -n 8 > zhang.yaml
run: $TR issue zhang.yaml --key minjiang.pem --id-key ex/id.key --created 2025-01-01T08:00:00Z > zhang.json && cat zhang.json && $TR proof verify zhang.json
--- stdout
{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://talentreg.example/ns/v1"
  ],
  "type": [
    "VerifiableCredential",
    "PersonCredential"
  ],
  "issuer": "urn:talentreg:org:12350100488101234T",
  "credentialSubject": {
    "id": "urn:talentreg:person:p-zhang-wei-1984",
    "name": "张伟",
    "alternateName": "Zhang Wei",
    "nationalIdHash": "5fcf093dd90c4b5acc2f8b231afe6f9a0213b4901d5398bf52c21e6a3763028f",
    "categories": [
      "teacher"
    ],
    "home": "urn:talentreg:org:12350100488101234T"
  },
  "proof": {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2025-01-01T08:00:00Z",
    "verificationMethod": "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
    "proofPurpose": "assertionMethod",
    "@context": [
      "https://www.w3.org/ns/credentials/v2",
      "https://talentreg.example/ns/v1"
    ],
    "proofValue": "z3yRwueJA25MY31gp4qXgMSZBi2BCrYncz7nPrArMBWAnVu5YAKBCtdd3q7mB3s1i2Ljhf9JzyX7X2HJgirnRqsvT"
  }
}
proof 1: ok did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp#z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp
verified
--- stderr
