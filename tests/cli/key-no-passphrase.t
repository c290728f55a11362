# an encrypted key file without --passphrase-file
setup: printf '%s\n' '-----BEGIN PRIVATE KEY-----' 'MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W' '-----END PRIVATE KEY-----' > plain.pem
setup: openssl pkcs8 -topk8 -scrypt -in plain.pem -passout pass:pw -out k.pem && chmod 600 k.pem
run: $TR key show k.pem
exit: 2
--- stdout
--- stderr
talentreg: key file 'k.pem' is encrypted and no passphrase was given (--passphrase-file F gives it)
