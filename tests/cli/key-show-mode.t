# a key file that others may read is refused
setup: $TR key import --multibase z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq --out k.pem >/dev/null
setup: chmod 644 k.pem
run: $TR key show k.pem
exit: 2
--- stdout
--- stderr
talentreg: refusing key file 'k.pem': mode 0644 lets others read it (chmod 600)
