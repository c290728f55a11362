# a public key given as the secret: refused, the secret is never echoed, no file is written
run: $TR key import --multibase z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2 --out k.pem; s=$?; ls; exit $s
exit: 2
--- stdout
--- stderr
talentreg: secret key multibase: multicodec 0xed is not ed25519-priv (0x1300)
