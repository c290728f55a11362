# a key file reached through a symbolic link is refused
setup: $TR key import --multibase z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq --out k.pem >/dev/null
setup: ln -s k.pem link.pem
run: $TR key show link.pem
exit: 2
--- stdout
--- stderr
talentreg: refusing key file 'link.pem': it is a symbolic link
