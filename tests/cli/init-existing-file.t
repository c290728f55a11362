# init never overwrites a file that is not a store either
setup: printf 'keep me\n' > notes.db
run: $TR --db notes.db init --origin o; rc=$?; cat notes.db; ls; exit $rc
exit: 2
--- stdout
keep me
notes.db
--- stderr
talentreg: 'notes.db' already exists
