# `help CMD` and `CMD --help` print the same usage on stdout, exit 0
run: $TR help help && $TR help --help
--- stdout
usage: talentreg help [COMMAND]

Show the list of commands, or the usage of COMMAND.
usage: talentreg help [COMMAND]

Show the list of commands, or the usage of COMMAND.
--- stderr
