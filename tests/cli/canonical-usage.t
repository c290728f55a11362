# no FILE, two FILEs, or a file that cannot be opened: exit 2
run: $TR canonical 2>&1 | sed -n 1,2p; $TR canonical a.json b.json 2>&1 | sed -n 1,1p; $TR canonical missing.json; echo "exit $?"
--- stdout
talentreg canonical: no FILE given
usage: talentreg canonical [OPTIONS] FILE
talentreg canonical: too many arguments
exit 2
--- stderr
talentreg: cannot open 'missing.json': No such file or directory
