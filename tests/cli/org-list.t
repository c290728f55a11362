# org list: every organisation with the kinds it may issue and its keys, revoked or not
setup: $TOP/tests/cli/data/region.sh
setup: $TR org revoke-key 91350100MA31XR6T22 did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf --key op.pem --compromised-since 3 > /dev/null
run: $TR org list && $TR org list --json | sed -n '/91350100MA31XR6T22/,/^  }/p'
--- stdout
12350100488101234T 闽江理工大学 (university)
  record 9b80092354fb93d0e525d99bfc5aacd06a13f2122780a46c1112629aaef8b933 at leaf 0
  may issue: Person, DualAppointment, Credit, RecognitionAgreement, CreditRecognition, Contribution
  key did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp registered at leaf 0
91350900MA2Y8K3Q1U 宁德新能源电池有限公司 (enterprise)
  record 4fc8a59fc82b02d30e254400acc6d71fbc7546a11af18fc46b42e5f03bb660b2 at leaf 1
  may issue: Person, DualAppointment, EnterprisePlacement, Contribution
  key did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG registered at leaf 1
91350100MA31XR6T22 福州智能装备有限公司 (enterprise)
  record a8476372f4e091ac98da5fcba7927e743ade988ed29f303967425dbafcc54bbf at leaf 2
  may issue: Person, EnterprisePlacement, Contribution
  key did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf registered at leaf 2, revoked at leaf 5, compromised since leaf 3
  key did:key:z6MkvqoYXQfDDJRv8L4wKzxYeuKyVZBfi9Qo6Ro8MiLH3kDQ registered at leaf 2
113500000035912489 福建省工程技术职称评审委员会 (evaluation_board)
  record b0ab6ff584265fe8e5c29940a31f1f8d7ca208efd433f04a60a6dd5d219447ce at leaf 3
  may issue: Evaluation
  key did:key:z6MkwYMhwTvsq376YBAcJHy3vyRWzBgn5vKfVqqDCgm7XVKU registered at leaf 3
52350100MJD4C28059 中德智能制造学院 (university)
  record 369426ff66f8ff793e222e90fa76cd931a58208bd356b2bcef1ab10064a93bb6 at leaf 4
  may issue: Person, Credit, RecognitionAgreement, CreditRecognition
  key did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2 registered at leaf 4
    "uscc": "91350100MA31XR6T22",
    "name": "福州智能装备有限公司",
    "organizationType": "enterprise",
    "recordId": "a8476372f4e091ac98da5fcba7927e743ade988ed29f303967425dbafcc54bbf",
    "leaf": 2,
    "firstLeaf": 2,
    "mayIssue": [
      "Person",
      "EnterprisePlacement",
      "Contribution"
    ],
    "keys": [
      {
        "did": "did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf",
        "registeredLeaf": 2,
        "revokedLeaf": 5,
        "revocationRecord": "c3062bbc19cb2809bb49b0a6142941690a7adc6c7d0c7e19d83d37f11b008018",
        "compromisedSince": 3
      },
      {
        "did": "did:key:z6MkvqoYXQfDDJRv8L4wKzxYeuKyVZBfi9Qo6Ro8MiLH3kDQ",
        "registeredLeaf": 2,
        "revokedLeaf": null,
        "revocationRecord": null,
        "compromisedSince": null
      }
    ]
  },
--- stderr
