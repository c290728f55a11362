# export --format ob3: a Credit as an Open Badges 3.0 credential signed by its issuer, which
# any eddsa-jcs-2022 verifier accepts; a key of another organisation, a superseded credit
# and a record that is not a Credit are refused
setup: $TOP/tests/cli/data/records.sh
run: $TR export --format ob3 --key sino.pem --created 2025-10-01T08:00:00Z --out badge.json b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb && cat badge.json && $TR proof verify badge.json; $TR export --format ob3 --key minjiang.pem b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb; echo "exit $?"; $TR export --format ob3 --key sino.pem 798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557; echo "exit $?"; $TR export --format ob3 --key minjiang.pem 29a5c6689c743e7a1b98ce762c13f7181bbbfc7ef940d65cbb893936b3b8c34b; echo "exit $?"; $TR export --format ob3 b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb 2>&1 | sed -n 1p; $TR export --key sino.pem b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb 2>&1 | sed -n 1p
--- stdout
{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
  ],
  "id": "urn:talentreg:record:b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb",
  "type": [
    "VerifiableCredential",
    "OpenBadgeCredential"
  ],
  "issuer": {
    "id": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "type": [
      "Profile"
    ],
    "name": "中德智能制造学院",
    "otherIdentifier": [
      {
        "type": "IdentifierEntry",
        "identifier": "52350100MJD4C28059",
        "identifierType": "ext:USCC"
      }
    ]
  },
  "validFrom": "2025-07-25T00:00:00Z",
  "awardedDate": "2025-07-25T00:00:00Z",
  "name": "Industrial Automation Lab",
  "credentialSubject": {
    "id": "urn:talentreg:person:p-li-na-1999",
    "type": [
      "AchievementSubject"
    ],
    "achievement": {
      "id": "urn:talentreg:record:b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb#achievement",
      "type": [
        "Achievement"
      ],
      "achievementType": "Course",
      "name": "Industrial Automation Lab",
      "description": "5 credit points (ects) for the course Industrial Automation Lab, 150 study hours, awarded by 中德智能制造学院",
      "criteria": {
        "narrative": "Completed the course Industrial Automation Lab (IAM-204) at 中德智能制造学院 in Summer 2025; recorded in the talentreg registry as Credit record b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb."
      },
      "creditsAvailable": 5,
      "humanCode": "IAM-204"
    },
    "creditsEarned": 5,
    "term": "Summer 2025",
    "result": [
      {
        "type": [
          "Result"
        ],
        "status": "Completed",
        "value": "1.7"
      }
    ]
  },
  "proof": {
    "type": "DataIntegrityProof",
    "cryptosuite": "eddsa-jcs-2022",
    "created": "2025-10-01T08:00:00Z",
    "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
    "proofPurpose": "assertionMethod",
    "@context": [
      "https://www.w3.org/ns/credentials/v2",
      "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
    ],
    "proofValue": "z9UBKXqsM24zTzh7Jyx8inLgFrsY2R6CGAemGLdPAGP8bHNGaKdqmv4EUWSPJwZyiyQDgaG71MTNP9774J3YtQbt"
  }
}
proof 1: ok did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
verified
exit 2
exit 1
exit 2
talentreg export: the ob3 format needs --key KEY
talentreg export: options '--key', '--passphrase-file' and '--created' are for the ob3 format
--- stderr
talentreg: key did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp is not a key of the issuer 52350100MJD4C28059
talentreg: record 798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557 does not count: superseded: superseded by record b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb (Revocation e566f8047371fd14f2f265d999ea75846d3cd03975c6c55b7561cc545b3b412d at leaf 18)
talentreg: record 29a5c6689c743e7a1b98ce762c13f7181bbbfc7ef940d65cbb893936b3b8c34b is of kind RecognitionAgreement, not a Credit
