# transcript --json, as the archive stood before the recognition was logged (log size 17)
setup: $TOP/tests/cli/data/records.sh
run: $TR transcript p-li-na-1999 --log-size 17 --json | sed -E 's/(root |"root": ")[0-9a-f]{64}/\1<root>/g'
--- stdout
{
  "person": "p-li-na-1999",
  "name": "李娜",
  "alternateName": "Li Na",
  "basis": {
    "logSize": 17,
    "root": "<root>",
    "checkpoint": null
  },
  "credits": [
    {
      "record": "95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d",
      "counts": true,
      "code": null,
      "reason": null,
      "issuer": "12350100488101234T",
      "course": "工程伦理 (Engineering Ethics)",
      "courseCode": "GE6021",
      "points": 2,
      "framework": "cn-credit",
      "hours": 32,
      "grade": "优秀",
      "term": "2024-2025 autumn",
      "earnedOn": "2025-01-10",
      "recognitions": []
    },
    {
      "record": "b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb",
      "counts": true,
      "code": null,
      "reason": null,
      "issuer": "52350100MJD4C28059",
      "course": "Industrial Automation Lab",
      "courseCode": "IAM-204",
      "points": 5,
      "framework": "ects",
      "hours": 150,
      "grade": "1.7",
      "term": "Summer 2025",
      "earnedOn": "2025-07-25",
      "recognitions": []
    },
    {
      "record": "798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557",
      "counts": true,
      "code": null,
      "reason": null,
      "issuer": "52350100MJD4C28059",
      "course": "Industrial Automation Lab",
      "courseCode": "IAM-204",
      "points": 6,
      "framework": "ects",
      "hours": 150,
      "grade": "1.7",
      "term": "Summer 2025",
      "earnedOn": "2025-07-24",
      "recognitions": []
    }
  ],
  "unmatched": [],
  "totals": {
    "earned": {
      "cn-credit": 2,
      "ects": 11
    },
    "recognised": {}
  }
}
--- stderr
