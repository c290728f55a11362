# queries with no word to search for, and text that is not UTF-8, are bad queries (exit 2)
# with a message of our own, never SQLite's; the store is not touched
setup: $TR init --origin talentreg.example/test
run: for q in '"' '*' '' '   ' '"" () * : + - ^ []' '🔋👍' $'a\xff'; do $TR search "$q"; echo "exit $?"; done 2>&1; $TR search --reindex
--- stdout
talentreg: bad query: no word to search for
exit 2
talentreg: bad query: no word to search for
exit 2
talentreg: bad query: no word to search for
exit 2
talentreg: bad query: no word to search for
exit 2
talentreg: bad query: no word to search for
exit 2
talentreg: bad query: no word to search for
exit 2
talentreg: bad query: the text is not valid UTF-8
exit 2
indexed 0 records
