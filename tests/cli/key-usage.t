# usage errors of key and its subcommands: exit 2, the message and the usage on stderr
run: for a in "" "frob" "generate" "generate --out k.pem extra" "import --out k.pem" "show" "show a b" "show --out k.pem"; do $TR key $a 2>err >/dev/null; s=$?; head -n 2 err; echo "exit $s"; done
--- stdout
talentreg key: no subcommand given
usage: talentreg key generate --out FILE [--passphrase-file F] [--force] [--name NAME]
exit 2
talentreg key: unknown subcommand 'frob'
usage: talentreg key generate --out FILE [--passphrase-file F] [--force] [--name NAME]
exit 2
talentreg key generate: option '--out' is required
usage: talentreg key generate --out FILE [--passphrase-file F] [--force] [--name NAME]
exit 2
talentreg key generate: too many arguments
usage: talentreg key generate --out FILE [--passphrase-file F] [--force] [--name NAME]
exit 2
talentreg key import: option '--multibase' is required
usage: talentreg key import --multibase SECRET --out FILE [--passphrase-file F] [--force]
exit 2
talentreg key show: no FILE given
usage: talentreg key show [--passphrase-file F] [--name NAME] [--json] FILE
exit 2
talentreg key show: too many arguments
usage: talentreg key show [--passphrase-file F] [--name NAME] [--json] FILE
exit 2
talentreg key show: unknown option '--out'
usage: talentreg key show [--passphrase-file F] [--name NAME] [--json] FILE
exit 2
--- stderr
