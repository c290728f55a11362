# `help init` prints the usage of init
run: $TR help init
--- stdout
usage: talentreg init --origin NAME [--operator-key FILE [--passphrase-file F]]

Create a new, empty store at --db PATH (else $TALENTREG_DB, else ./talent.db) whose log
is called NAME. An existing file is never overwritten. The store is created with mode
0600: it holds the key that turns national id numbers into keyed hashes.

With --operator-key, the store trusts the registry operator's key in FILE: only it
registers organisations and signs checkpoints. FILE is loaded when it exists, else a new
key is generated into it (mode 0600). The operator's did:key and C2SP signed-note
verifier key (named NAME) are printed: they are all a verifier needs to trust.

Options:
  --origin NAME        the log's origin, the first line of every checkpoint: 1 to 255
                       printable ASCII characters without spaces or '+',
                       e.g. talentreg.example/jiangsu
  --operator-key FILE  the operator's key file, loaded or created
  --passphrase-file F  its passphrase, the first line of F (encrypts a new key)
--- stderr
