# --reindex rebuilds the index from the log and finds the same; with --json a count
setup: $(dirname $TR)/tools/bench-search fill talent.db 60 >/dev/null
run: $TR search 'batt*' > before; $TR search --reindex; echo "exit $?"; $TR search --reindex --json; $TR search 'batt*' > after; cmp before after && echo same
--- stdout
indexed 60 records
exit 0
{"indexed":60}
same
