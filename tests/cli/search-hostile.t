# query syntax and SQL in a query are text: each runs, finds nothing on an empty store, and
# says so (exit 1)
setup: $TR init --origin talentreg.example/test
run: for q in co-author 'C++' name:x 'NEAR(' AND OR NOT "'; DROP TABLE search_record; --" 'title:电池' '{title body}: x' '"电池" OR "李娜"' 'x" OR "y'; do $TR search "$q"; echo "exit $?"; done 2>&1; $TR search --reindex
--- stdout
talentreg: no record matches
exit 1
talentreg: no record matches
exit 1
talentreg: no record matches
exit 1
talentreg: no record matches
exit 1
talentreg: no record matches
exit 1
talentreg: no record matches
exit 1
talentreg: no record matches
exit 1
talentreg: no record matches
exit 1
talentreg: no record matches
exit 1
talentreg: no record matches
exit 1
talentreg: no record matches
exit 1
talentreg: no record matches
exit 1
indexed 0 records
