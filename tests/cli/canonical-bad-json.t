# malformed input: one message with file, line and column on stderr, nothing on stdout, exit 2
setup: printf '{\n  "a": 1,\n  "b": [1, 2,],\n}\n' > bad.json
run: $TR canonical bad.json
exit: 2
--- stdout
--- stderr
talentreg: 'bad.json' line 3 column 14: expected a value, found ']'
