# an unknown command is a usage error: exit 2, the message and the usage on stderr
# (stderr goes to a file first: a pipe into head could end the program with SIGPIPE)
run: $TR frobnicate 2>err >/dev/null; s=$?; head -n 2 err; exit $s
exit: 2
--- stdout
talentreg: unknown command 'frobnicate'
usage: talentreg [--db PATH] COMMAND [OPTIONS] [ARGS]
