# generate never replaces an existing file without --force
setup: $TR key import --multibase z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq --out k.pem >/dev/null
run: $TR key generate --out k.pem; s=$?; $TR key show k.pem | head -n 1; exit $s
exit: 2
--- stdout
did: did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
--- stderr
talentreg: key file 'k.pem' already exists (--force replaces it)
