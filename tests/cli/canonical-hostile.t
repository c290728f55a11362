# every hostile input is refused with one line naming file, line and column; exit 2
setup: cp "$TOP"/tests/hostile/*.json .
run: export LC_ALL=C; for f in *.json; do $TR canonical "$f"; echo "exit $?"; done 2>&1
--- stdout
talentreg: 'bom.json' line 1 column 1: byte order mark is not allowed
exit 2
talentreg: 'control-in-string.json' line 1 column 19: unescaped control character U+000A in string
exit 2
talentreg: 'deep-nesting-200k.json' line 1 column 65: nesting deeper than 64
exit 2
talentreg: 'deep-objects.json' line 1 column 321: nesting deeper than 64
exit 2
talentreg: 'duplicate-escaped-key.json' line 1 column 11: duplicate key 'id'
exit 2
talentreg: 'encoded-surrogate.json' line 1 column 3: invalid UTF-8
exit 2
talentreg: 'leading-zero.json' line 1 column 13: leading zero in number '05'
exit 2
talentreg: 'lone-surrogate.json' line 1 column 11: unpaired surrogate '\ud83d' in string
exit 2
talentreg: 'long-key.json' line 1 column 2: key longer than 65536 bytes
exit 2
talentreg: 'long-string.json' line 1 column 1: string longer than 65536 bytes
exit 2
talentreg: 'many-values.json' line 1 column 200000: more than 100000 values
exit 2
talentreg: 'nan.json' line 1 column 2: invalid literal 'NaN'
exit 2
talentreg: 'nul-escape.json' line 1 column 12: NUL character '\u0000' in string
exit 2
talentreg: 'number-overflow.json' line 1 column 9: number '1e309' is out of range
exit 2
talentreg: 'overlong-nul.json' line 1 column 3: invalid UTF-8
exit 2
talentreg: 'raw-nul.json' line 1 column 12: NUL character in string
exit 2
talentreg: 'trailing-data.json' line 2 column 1: expected end of input, found '{'
exit 2
talentreg: 'wide-duplicate-key.json' line 10002 column 3: duplicate key 'key00000'
exit 2
