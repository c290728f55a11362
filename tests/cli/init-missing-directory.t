# a store in a directory that does not exist: an operational error naming the path
run: $TR --db no/such/dir.db init --origin o
exit: 2
--- stdout
--- stderr
talentreg: cannot create 'no/such/dir.db': No such file or directory
