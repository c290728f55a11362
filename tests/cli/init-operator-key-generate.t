# init --operator-key FILE creates FILE (mode 0600) when it does not exist, encrypted with
# --passphrase-file; key show prints the same did:key
setup: echo secret > pass
run: $TR init --origin o --operator-key op.key --passphrase-file pass > out && stat -c %a op.key && head -n 1 op.key && sed -n 2p out && [ "$(sed -n 3p out)" = "operator did:key: $($TR key show --passphrase-file pass op.key | sed -n 's/^did: //p')" ] && [ "$(sed -n 4p out)" = "operator verifier key: $($TR key show --name o --passphrase-file pass op.key | sed -n 's/^verifierKey: //p')" ]
--- stdout
600
-----BEGIN ENCRYPTED PRIVATE KEY-----
generated operator key 'op.key'
--- stderr
