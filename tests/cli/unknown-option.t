# an unknown option of a command: exit 2 with the command's usage
run: $TR help --frob
exit: 2
--- stdout
--- stderr
talentreg help: unknown option '--frob'
usage: talentreg help [COMMAND]

Show the list of commands, or the usage of COMMAND.
