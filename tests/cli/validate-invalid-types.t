# values of the wrong type, nested ones included
run: cd $TOP && $TR validate tests/hostile/invalid-types.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-types.yaml' line 9 column 7: field 'credentialSubject.role' must be one of industrial_professor, enterprise_mentor, part_time_researcher, co_supervisor, not an array
talentreg: 'tests/hostile/invalid-types.yaml' line 11 column 25: field 'credentialSubject.duties.teachingHoursPerYear' must be a whole number, not a string
talentreg: 'tests/hostile/invalid-types.yaml' line 12 column 22: field 'credentialSubject.duties.supervisionRights' must be true or false, not a string
talentreg: 'tests/hostile/invalid-types.yaml' line 13 column 16: field 'credentialSubject.workloadShare' must be a number, not a string
