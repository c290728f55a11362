# log without a subcommand, or with an unknown one, is a usage error (exit 2)
run: $TR log 2>&1 >/dev/null | sed -n 1,2p; $TR log frobnicate 2>&1 >/dev/null | sed -n 1,2p; exit ${PIPESTATUS[0]}
exit: 2
--- stdout
talentreg log: no subcommand given
usage: talentreg log checkpoint --key FILE [--passphrase-file F] [--json]
talentreg log: unknown subcommand 'frobnicate'
usage: talentreg log checkpoint --key FILE [--passphrase-file F] [--json]
