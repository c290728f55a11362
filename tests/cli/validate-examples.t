# every example of docs/examples validates: 23 records of all 11 kinds, nothing on stderr
run: cd $TOP/docs/examples && $TR validate --json --id-key id.key *.yaml | sed 's/.*"type":\["VerifiableCredential","\([A-Za-z]*\)".*/\1/' | sort | uniq -c
--- stdout
      1 ContributionCredential
      3 CreditCredential
      1 CreditRecognitionCredential
      1 DualAppointmentCredential
      1 EnterprisePlacementCredential
      2 EvaluationCredential
      1 KeyRevocationCredential
      5 OrganizationCredential
      6 PersonCredential
      1 RecognitionAgreementCredential
      1 RevocationCredential
--- stderr
