# a key from `openssl genpkey`: key show gives the public key openssl derives
setup: openssl genpkey -algorithm ed25519 -out k.pem && chmod 600 k.pem
run: $TR key show k.pem | sed -n 's/^publicKeyHex: //p' > a && openssl pkey -in k.pem -pubout -outform DER | tail -c 32 | od -An -v -tx1 | tr -d ' \n' > b && echo >> b && cmp a b && wc -c < a
--- stdout
65
--- stderr
