# eligible --org --json: the people whose home organisation is Minjiang, as JSON
setup: $TOP/tests/cli/data/records.sh
run: $TR eligible --policy title-associate-professor-example --as-of 2025-12-31 --org 12350100488101234T --json | sed -E 's/(root |"root": ")[0-9a-f]{64}/\1<root>/g'
--- stdout
{
  "policy": {
    "id": "title-associate-professor-example",
    "version": 1,
    "title": "副教授评审示例 (an example of associate professor title evaluation)",
    "example": true
  },
  "asOf": "2025-12-31",
  "org": "12350100488101234T",
  "basis": {
    "logSize": 22,
    "root": "<root>",
    "checkpoint": null
  },
  "people": [
    {
      "person": "p-li-na-1999",
      "verdict": "not_eligible",
      "failing": [
        {
          "criterion": "enterprise-practice",
          "type": "enterprise_months",
          "value": 0,
          "threshold": 6,
          "unit": "months"
        },
        {
          "criterion": "industrialisation",
          "type": "contribution_points",
          "value": 0,
          "threshold": 20,
          "unit": "points"
        },
        {
          "criterion": "cross-evaluation",
          "type": "evaluations",
          "value": 0,
          "threshold": 80,
          "unit": "average score",
          "missingRoles": [
            "skill_master",
            "academic_leader"
          ]
        }
      ]
    },
    {
      "person": "p-zhang-wei-1984",
      "verdict": "eligible",
      "failing": []
    },
    {
      "person": "p-zhao-min-1968",
      "verdict": "not_eligible",
      "failing": [
        {
          "criterion": "enterprise-practice",
          "type": "enterprise_months",
          "value": 0,
          "threshold": 6,
          "unit": "months"
        },
        {
          "criterion": "industrialisation",
          "type": "contribution_points",
          "value": 0,
          "threshold": 20,
          "unit": "points"
        },
        {
          "criterion": "cross-evaluation",
          "type": "evaluations",
          "value": 0,
          "threshold": 80,
          "unit": "average score",
          "missingRoles": [
            "skill_master",
            "academic_leader"
          ]
        }
      ]
    }
  ],
  "eligible": 1,
  "notEligible": 2
}
--- stderr
