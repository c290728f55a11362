# --origin is required
run: $TR init 2>&1 >/dev/null | sed -n 1,2p; exit ${PIPESTATUS[0]}
exit: 2
--- stdout
talentreg init: option '--origin' is required
usage: talentreg init --origin NAME [--operator-key FILE [--passphrase-file F]]
