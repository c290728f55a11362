# a query is at most 1024 bytes and 64 words and characters; 1 MiB (in 16 arguments, as
# one argument may not exceed 128 KiB) is refused before anything is read
setup: $TR init --origin talentreg.example/test
run: { a=$(head -c 65536 /dev/zero | tr '\0' a); $TR search $a $a $a $a $a $a $a $a $a $a $a $a $a $a $a $a; echo "exit $?"; $TR search "$(printf 'x%.0s' $(seq 1025))"; echo "exit $?"; $TR search $(printf 'b %.0s' $(seq 65)); echo "exit $?"; $TR search "$(printf '电%.0s' $(seq 65))"; echo "exit $?"; $TR search $(printf 'b %.0s' $(seq 64)); echo "exit $?"; } 2>&1
--- stdout
talentreg: bad query: 1048591 bytes, more than the 1024 allowed
exit 2
talentreg: bad query: 1025 bytes, more than the 1024 allowed
exit 2
talentreg: bad query: more than 64 words and characters
exit 2
talentreg: bad query: more than 64 words and characters
exit 2
talentreg: no record matches
exit 1
