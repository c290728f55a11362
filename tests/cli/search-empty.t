# an empty store: nothing matches (exit 1); with --json an empty list says so
setup: $TR init --origin talentreg.example/test
run: { $TR search 李娜; echo "exit $?"; $TR search --json 李娜 battery; echo "exit $?"; } 2>&1
--- stdout
talentreg: no record matches
exit 1
{"query":"李娜 battery","offset":0,"results":[],"more":false}
exit 1
