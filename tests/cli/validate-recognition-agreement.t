# a recognition agreement: lists of USCCs and of objects
run: cd $TOP && $TR validate docs/examples/recognition-agreement.yaml
exit: 0
--- stdout
{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://talentreg.example/ns/v1"
  ],
  "type": [
    "VerifiableCredential",
    "RecognitionAgreementCredential"
  ],
  "issuer": "urn:talentreg:org:12350100488101234T",
  "validFrom": "2024-09-01T00:00:00Z",
  "validUntil": "2029-08-31T23:59:59Z",
  "credentialSubject": {
    "parties": [
      "urn:talentreg:org:12350100488101234T",
      "urn:talentreg:org:52350100MJD4C28059"
    ],
    "title": "闽江理工大学—中德智能制造学院学分互认协议 (credit mutual-recognition agreement)",
    "hoursPerCredit": 16,
    "frameworkRatios": [
      {
        "from": "ects",
        "to": "cn-credit",
        "ratio": 0.5
      },
      {
        "from": "cn-credit",
        "to": "ects",
        "ratio": 2
      }
    ],
    "gradeMapping": [
      {
        "from": "1.0",
        "to": "优秀"
      },
      {
        "from": "1.3",
        "to": "优秀"
      },
      {
        "from": "1.7",
        "to": "良好"
      },
      {
        "from": "2.0",
        "to": "良好"
      },
      {
        "from": "2.3",
        "to": "良好"
      },
      {
        "from": "2.7",
        "to": "中等"
      },
      {
        "from": "3.0",
        "to": "中等"
      },
      {
        "from": "3.3",
        "to": "及格"
      },
      {
        "from": "3.7",
        "to": "及格"
      },
      {
        "from": "4.0",
        "to": "及格"
      }
    ]
  }
}
--- stderr
