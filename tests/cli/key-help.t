# `help key`, `key --help` and `key SUBCOMMAND --help` print usages on stdout, exit 0
run: $TR help key | cmp - <($TR key --help) && $TR key --help && $TR key generate --help && $TR key show --help && $TR key import --help
--- stdout
usage: talentreg key generate --out FILE [--passphrase-file F] [--force] [--name NAME]
                              [--json]
       talentreg key show [--passphrase-file F] [--name NAME] [--json] FILE
       talentreg key import --multibase SECRET --out FILE [--passphrase-file F] [--force]
                            [--name NAME] [--json]

Create, show and import Ed25519 signing keys. A key file is PEM PKCS#8 with mode 0600,
encrypted (scrypt, AES-256-CBC) when a passphrase file is given. Each subcommand prints
the key's did:key, verification method id, public key and C2SP signed-note verifier key
(named by --name NAME, default "talentreg"; name it after the log's origin).
Run 'talentreg key SUBCOMMAND --help' for the options of each.
usage: talentreg key generate --out FILE [--passphrase-file F] [--force] [--name NAME]
                              [--json]

Create a new Ed25519 key in FILE (PEM PKCS#8, mode 0600) and print its did:key,
verification method id, public key and verifier key. An existing FILE is never replaced
without --force.

Options:
  --out FILE           the key file to create
  --passphrase-file F  encrypt the key with the first line of F
  --force              replace FILE if it exists
  --name NAME          the key name of the verifier key (default talentreg)
  --json               print the report as JSON
usage: talentreg key show [--passphrase-file F] [--name NAME] [--json] FILE

Print the did:key, verification method id, public key and C2SP signed-note verifier key
of the key in FILE. FILE must be a regular file, not a symbolic link, that neither group
nor others may read or write.

Options:
  --passphrase-file F  the passphrase of an encrypted FILE: the first line of F
  --name NAME          the key name of the verifier key (default talentreg): the log's
                       origin for an operator key
  --json               print the report as JSON
usage: talentreg key import --multibase SECRET --out FILE [--passphrase-file F] [--force]
                            [--name NAME] [--json]

Write the Ed25519 key SECRET, a secretKeyMultibase ("z" + base58btc of 80 26 and the
32-byte seed, optionally followed by the 32-byte public key), to FILE as key generate
does, and print its report. Other users of the machine can see a command line (ps,
/proc): import a secret key only where no one else can.

Options:
  --multibase SECRET   the secret key
  --out FILE           the key file to create
  --passphrase-file F  encrypt the key with the first line of F
  --force              replace FILE if it exists
  --name NAME          the key name of the verifier key (default talentreg)
  --json               print the report as JSON
--- stderr
