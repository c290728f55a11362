# days that do not exist are refused in periods and in date fields
run: cd $TOP && $TR validate tests/hostile/invalid-date.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-date.yaml' line 5 column 12: field 'validFrom' is not a valid date-time: 2025-02 has no day 30
talentreg: 'tests/hostile/invalid-date.yaml' line 17 column 11: field 'credentialSubject.earnedOn' is not a valid date: 2023-02 has no day 29
