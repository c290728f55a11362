# an origin with a space is a usage error (the usage follows the message), and no file is
# created
run: $TR init --origin 'talentreg example' 2>&1 >/dev/null | sed -n 1,2p; rc=${PIPESTATUS[0]}; ls; exit $rc
exit: 2
--- stdout
talentreg init: origin 'talentreg example' contains a space
usage: talentreg init --origin NAME [--operator-key FILE [--passphrase-file F]]
