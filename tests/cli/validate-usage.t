# no FILE is a usage error: exit 2 with the usage on stderr
run: $TR validate --json 2>&1 >/dev/null | sed -n 1,2p; exit ${PIPESTATUS[0]}
exit: 2
--- stdout
talentreg validate: no FILE given
usage: talentreg validate [OPTIONS] FILE...
