# checkpoint needs --key, and takes no arguments
setup: $TR init --origin talentreg.example/test
run: $TR log checkpoint 2>&1 >/dev/null | sed -n 1,2p; $TR log checkpoint --key k extra 2>&1 >/dev/null | sed -n 1p; exit ${PIPESTATUS[0]}
exit: 2
--- stdout
talentreg log checkpoint: option '--key' is required
usage: talentreg log checkpoint --key FILE [--passphrase-file F] [--json]
talentreg log checkpoint: too many arguments
