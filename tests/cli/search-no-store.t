# without a store: exit 2, and the reason
run: { $TR search 李娜; echo "exit $?"; $TR search --reindex; echo "exit $?"; } 2>&1
--- stdout
talentreg: store './talent.db' does not exist (run 'talentreg init')
exit 2
talentreg: store './talent.db' does not exist (run 'talentreg init')
exit 2
