# a key file others may read, a symbolic link, or a wrong passphrase: refused before any
# store is created; --passphrase-file alone is a usage error
setup: printf '%s\n' '-----BEGIN PRIVATE KEY-----' 'MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W' '-----END PRIVATE KEY-----' > k.pem
setup: chmod 600 k.pem
setup: cp k.pem open.pem && chmod 644 open.pem && ln -s k.pem link.pem
setup: echo wrong > pass && echo right > right && $TR key generate --out enc.pem --passphrase-file right > /dev/null
run: $TR init --origin o --operator-key open.pem; $TR init --origin o --operator-key link.pem; $TR init --origin o --operator-key enc.pem --passphrase-file pass; $TR init --origin o --passphrase-file pass 2>&1 | sed -n 1,1p; ls
--- stdout
talentreg init: option '--passphrase-file' needs '--operator-key'
enc.pem
k.pem
link.pem
open.pem
pass
right
--- stderr
talentreg: refusing key file 'open.pem': mode 0644 lets others read it (chmod 600)
talentreg: refusing key file 'link.pem': it is a symbolic link
talentreg: wrong passphrase for 'enc.pem'
