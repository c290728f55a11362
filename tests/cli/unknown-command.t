# an unknown command is a usage error: exit 2, the message and the usage on stderr
run: $TR frobnicate 2>&1 >/dev/null | sed -n 1,2p; exit ${PIPESTATUS[0]}
exit: 2
--- stdout
talentreg: unknown command 'frobnicate'
usage: talentreg [--db PATH] COMMAND [OPTIONS] [ARGS]
