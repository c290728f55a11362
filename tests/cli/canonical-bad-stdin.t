# a duplicate key read from standard input is named at its second occurrence
run: $TR canonical -
exit: 2
--- stdin
{"a": 1,
 "a": 2}
--- stdout
--- stderr
talentreg: '-' line 2 column 2: duplicate key 'a'
