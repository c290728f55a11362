# a wrong passphrase is told apart from a damaged file (the file is encrypted by openssl here)
setup: printf '%s\n' '-----BEGIN PRIVATE KEY-----' 'MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W' '-----END PRIVATE KEY-----' > plain.pem
setup: echo right > right && echo wrong > wrong
setup: openssl pkcs8 -topk8 -scrypt -in plain.pem -passout file:right -out k.pem && chmod 600 k.pem
run: $TR key show --passphrase-file right k.pem | head -n 1; $TR key show --passphrase-file wrong k.pem
exit: 2
--- stdout
did: did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
--- stderr
talentreg: wrong passphrase for 'k.pem'
