# an encrypted key needs its passphrase file; a wrong one is refused before anything is signed
setup: $TR init --origin talentreg.example/test
setup: echo right > right && echo wrong > wrong
setup: $TR key generate --out op.key --passphrase-file right > /dev/null
run: $TR log checkpoint --key op.key; $TR log checkpoint --key op.key --passphrase-file wrong; $TR log checkpoint --key op.key --passphrase-file right; exit $?
exit: 2
--- stdout
--- stderr
talentreg: key file 'op.key' is encrypted and no passphrase was given
talentreg: wrong passphrase for 'op.key'
talentreg: store './talent.db' has no operator key
