# a passphrase file encrypts the key (PBES2, scrypt, AES-256-CBC); key show and openssl read it
setup: printf '%s\n' '-----BEGIN PRIVATE KEY-----' 'MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W' '-----END PRIVATE KEY-----' > want.pem
setup: printf 'correct horse battery staple\nsecond line is ignored\n' > pass
run: $TR key import --multibase z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq --passphrase-file pass --out k.pem >/dev/null && head -n 1 k.pem && $TR key show --passphrase-file pass k.pem | head -n 1 && head -n 1 pass > pass1 && openssl pkey -in k.pem -passin file:pass1 | cmp - want.pem && openssl asn1parse -in k.pem | sed -n 's/^ *[0-9]*:d=[0-9]* *hl=[0-9] l= *[0-9]* \(prim\|cons\): \(OBJECT\|INTEGER\) *://p'
--- stdout
-----BEGIN ENCRYPTED PRIVATE KEY-----
did: did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
PBES2
scrypt
4000
08
08
aes-256-cbc
--- stderr
