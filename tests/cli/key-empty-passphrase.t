# an empty passphrase is refused before anything is written
setup: printf '\nsecond\n' > pass
run: $TR key generate --passphrase-file pass --out k.pem; s=$?; ls; exit $s
exit: 2
--- stdout
pass
--- stderr
talentreg: passphrase file 'pass' is empty
