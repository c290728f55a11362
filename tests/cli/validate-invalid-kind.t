# a record without a kind, and one of an unknown kind
run: cd $TOP && $TR validate tests/hostile/invalid-kind.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-kind.yaml' line 2 column 1: field 'kind' is required
talentreg: 'tests/hostile/invalid-kind.yaml' line 5 column 7: field 'kind' must be one of Organization, KeyRevocation, Person, DualAppointment, EnterprisePlacement, Credit, RecognitionAgreement, CreditRecognition, Contribution, Evaluation, Revocation
