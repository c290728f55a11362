# problems of standard input are named '<stdin>', as the YAML loader names it; read twice, it is empty the second time
run: $TR validate - -
exit: 1
--- stdin
kind: Credit
issuer: 52350100MJD4C28059
subject: p-li-na-1999
course: Lab
framework: ects
points: 5
earnedOn: 2025-02-29
--- stdout
--- stderr
talentreg: '<stdin>' line 7 column 11: field 'credentialSubject.earnedOn' is not a valid date: 2025-02 has no day 29
talentreg: '<stdin>' holds no record
