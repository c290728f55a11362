# an origin with a space is a usage error, and no file is created
run: $TR init --origin 'talentreg example'; rc=$?; ls; exit $rc
exit: 2
--- stdout
--- stderr
talentreg init: origin 'talentreg example' contains a space
usage: talentreg init --origin NAME

Create a new, empty store at --db PATH (else $TALENTREG_DB, else ./talent.db) whose log
is called NAME. An existing file is never overwritten. The store is created with mode
0600: it holds the key that turns national id numbers into keyed hashes.

Options:
  --origin NAME    the log's origin, the first line of every checkpoint: 1 to 255
                   printable ASCII characters without spaces or '+',
                   e.g. talentreg.example/jiangsu
