# ID|LEAF must be a 64-hex record id or a leaf number; a record id is lowercase
setup: $TR init --origin talentreg.example/test
run: $TR log prove 12ab 2>&1 >/dev/null | sed -n 1,2p; $TR log prove E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855; exit $?
exit: 2
--- stdout
talentreg log prove: '12ab' is neither a record id (64 hex digits) nor a leaf index
usage: talentreg log prove [--size N] [--json] ID|LEAF
--- stderr
talentreg: record id 'E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855' is not 64 lowercase hex digits
