# dossier --json: the stable tree of a learner whose mistaken credit was superseded, with
# the recognition that counts and the agreement it names
setup: $TOP/tests/cli/data/records.sh
run: $TR dossier p-li-na-1999 --as-of 2025-12-31 --policy engineering-doctorate-credits --json | sed -E 's/(root |"root": ")[0-9a-f]{64}/\1<root>/g'
--- stdout
{
  "person": "p-li-na-1999",
  "name": "李娜",
  "alternateName": "Li Na",
  "categories": [
    "student"
  ],
  "home": "12350100488101234T",
  "asOf": "2025-12-31",
  "basis": {
    "logSize": 22,
    "root": "<root>",
    "checkpoint": null
  },
  "summary": {
    "records": 6,
    "counting": 5
  },
  "records": [
    {
      "kind": "Person",
      "records": [
        {
          "record": "5f74904916d659300b7ba8b1d6c89aa48cb80bb92386979b3115ebc521fc272f",
          "kind": "Person",
          "related": false,
          "firstLeaf": 6,
          "leaf": 6,
          "counts": true,
          "code": null,
          "reason": null,
          "erased": false,
          "issuer": "12350100488101234T",
          "credentialSubject": {
            "alternateName": "Li Na",
            "categories": [
              "student"
            ],
            "home": "urn:talentreg:org:12350100488101234T",
            "id": "urn:talentreg:person:p-li-na-1999",
            "name": "李娜",
            "nationalIdHash": "03b0a34e7b833e61fdc2bd0bb0d7f214bddfa2123f3f97bc23ebf0824d280cfa"
          }
        }
      ],
      "count": 1,
      "counting": 1
    },
    {
      "kind": "Credit",
      "records": [
        {
          "record": "95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d",
          "kind": "Credit",
          "related": false,
          "firstLeaf": 13,
          "leaf": 13,
          "counts": true,
          "code": null,
          "reason": null,
          "erased": false,
          "issuer": "12350100488101234T",
          "credentialSubject": {
            "course": "工程伦理 (Engineering Ethics)",
            "courseCode": "GE6021",
            "earnedOn": "2025-01-10",
            "framework": "cn-credit",
            "grade": "优秀",
            "hours": 32,
            "id": "urn:talentreg:person:p-li-na-1999",
            "points": 2,
            "term": "2024-2025 autumn"
          }
        },
        {
          "record": "b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb",
          "kind": "Credit",
          "related": false,
          "firstLeaf": 14,
          "leaf": 14,
          "counts": true,
          "code": null,
          "reason": null,
          "erased": false,
          "issuer": "52350100MJD4C28059",
          "credentialSubject": {
            "course": "Industrial Automation Lab",
            "courseCode": "IAM-204",
            "earnedOn": "2025-07-25",
            "framework": "ects",
            "grade": "1.7",
            "hours": 150,
            "id": "urn:talentreg:person:p-li-na-1999",
            "points": 5,
            "term": "Summer 2025"
          }
        },
        {
          "record": "798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557",
          "kind": "Credit",
          "related": false,
          "firstLeaf": 15,
          "leaf": 15,
          "counts": false,
          "code": "superseded",
          "reason": "superseded: superseded by record b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb (Revocation e566f8047371fd14f2f265d999ea75846d3cd03975c6c55b7561cc545b3b412d at leaf 18)",
          "erased": false,
          "issuer": "52350100MJD4C28059",
          "credentialSubject": {
            "course": "Industrial Automation Lab",
            "courseCode": "IAM-204",
            "earnedOn": "2025-07-24",
            "framework": "ects",
            "grade": "1.7",
            "hours": 150,
            "id": "urn:talentreg:person:p-li-na-1999",
            "points": 6,
            "term": "Summer 2025"
          }
        }
      ],
      "count": 3,
      "counting": 2
    },
    {
      "kind": "RecognitionAgreement",
      "records": [
        {
          "record": "29a5c6689c743e7a1b98ce762c13f7181bbbfc7ef940d65cbb893936b3b8c34b",
          "kind": "RecognitionAgreement",
          "related": true,
          "firstLeaf": 16,
          "leaf": 16,
          "counts": true,
          "code": null,
          "reason": null,
          "erased": false,
          "issuer": "12350100488101234T",
          "validFrom": "2024-09-01T00:00:00Z",
          "validUntil": "2029-08-31T23:59:59Z",
          "credentialSubject": {
            "frameworkRatios": [
              {
                "from": "ects",
                "ratio": 0.5,
                "to": "cn-credit"
              },
              {
                "from": "cn-credit",
                "ratio": 2,
                "to": "ects"
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
            ],
            "hoursPerCredit": 16,
            "parties": [
              "urn:talentreg:org:12350100488101234T",
              "urn:talentreg:org:52350100MJD4C28059"
            ],
            "title": "闽江理工大学—中德智能制造学院学分互认协议 (credit mutual-recognition agreement)"
          }
        }
      ],
      "count": 1,
      "counting": 1
    },
    {
      "kind": "CreditRecognition",
      "records": [
        {
          "record": "0297442e01fbc6cc291a190338874590d1189e885ae5f2bfaf87cd3092eefcb7",
          "kind": "CreditRecognition",
          "related": false,
          "firstLeaf": 17,
          "leaf": 17,
          "counts": true,
          "code": null,
          "reason": null,
          "erased": false,
          "issuer": "12350100488101234T",
          "credentialSubject": {
            "agreement": "urn:talentreg:record:29a5c6689c743e7a1b98ce762c13f7181bbbfc7ef940d65cbb893936b3b8c34b",
            "course": "工业自动化实验 (Industrial Automation Lab)",
            "courseCode": "EE5102",
            "credit": "urn:talentreg:record:b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb",
            "decidedOn": "2025-09-05",
            "decision": "recognised",
            "framework": "cn-credit",
            "grade": "良好",
            "id": "urn:talentreg:person:p-li-na-1999",
            "points": 2.5
          }
        }
      ],
      "count": 1,
      "counting": 1
    }
  ],
  "organisations": [
    {
      "uscc": "12350100488101234T",
      "name": "闽江理工大学",
      "type": "university"
    },
    {
      "uscc": "52350100MJD4C28059",
      "name": "中德智能制造学院",
      "type": "university"
    }
  ],
  "policies": [
    {
      "policy": {
        "id": "engineering-doctorate-credits",
        "version": 1,
        "title": "工程博士学分互认 (recognised credit of engineering doctorate students)",
        "example": false
      },
      "subject": "urn:talentreg:person:p-li-na-1999",
      "asOf": "2025-12-31",
      "verdict": "not_eligible",
      "criteria": [
        {
          "id": "recognised-credits",
          "type": "credits_recognised",
          "title": "经认定的学分不少于16学分 (at least 16 recognised Chinese credits)",
          "basis": "the programme's training plan",
          "unit": "credits",
          "value": 2.5,
          "threshold": 16,
          "verdict": "not_met",
          "window": {
            "type": "all",
            "until": "2025-12-31"
          },
          "counted": [
            {
              "record": "0297442e01fbc6cc291a190338874590d1189e885ae5f2bfaf87cd3092eefcb7",
              "kind": "CreditRecognition",
              "contribution": 2.5,
              "detail": {
                "credit": "b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb",
                "agreement": "29a5c6689c743e7a1b98ce762c13f7181bbbfc7ef940d65cbb893936b3b8c34b",
                "decision": "recognised",
                "decidedOn": "2025-09-05",
                "earnedOn": "2025-07-25",
                "points": 5,
                "framework": "ects",
                "ratio": 0.5,
                "converted": 2.5,
                "stated": 2.5
              }
            }
          ],
          "excluded": [
            {
              "record": "95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d",
              "kind": "Credit",
              "reason": "not recognised: no recognition names it"
            },
            {
              "record": "798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557",
              "kind": "Credit",
              "reason": "superseded: superseded by record b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb (Revocation e566f8047371fd14f2f265d999ea75846d3cd03975c6c55b7561cc545b3b412d at leaf 18)"
            }
          ],
          "detail": {
            "framework": "cn-credit",
            "earned": {
              "cn-credit": 2,
              "ects": 5
            },
            "recognised": {
              "ects": 5
            }
          }
        }
      ],
      "excluded": []
    }
  ]
}
--- stderr
