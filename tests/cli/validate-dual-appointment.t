# an industrial professor's dual appointment, with its nested duties
run: cd $TOP && $TR validate docs/examples/dual-appointment.yaml
exit: 0
--- stdout
{
  "@context": [
    "https://www.w3.org/ns/credentials/v2",
    "https://talentreg.example/ns/v1"
  ],
  "type": [
    "VerifiableCredential",
    "DualAppointmentCredential"
  ],
  "issuer": "urn:talentreg:org:12350100488101234T",
  "validFrom": "2024-09-01T00:00:00Z",
  "validUntil": "2028-08-31T23:59:59Z",
  "credentialSubject": {
    "id": "urn:talentreg:person:p-wang-jianguo-1970",
    "university": "urn:talentreg:org:12350100488101234T",
    "enterprise": "urn:talentreg:org:91350900MA2Y8K3Q1U",
    "role": "industrial_professor",
    "title": "产业教授",
    "duties": {
      "teachingHoursPerYear": 36,
      "supervisionRights": true,
      "courses": [
        "动力电池系统设计实践 (Power Battery System Design Practice)"
      ],
      "description": "指导工程硕士研究生的企业实践与学位论文"
    },
    "workloadShare": 0.2
  }
}
--- stderr
