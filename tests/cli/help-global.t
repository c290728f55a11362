# `talentreg --help` lists the commands and the exit codes
run: $TR --help
--- stdout
usage: talentreg [--db PATH] COMMAND [OPTIONS] [ARGS]
       talentreg --help | --version | help COMMAND

A regional talent archive and credit mutual-recognition registry.

Commands:
  audit        check every leaf, node, checkpoint and record of the store
  canonical    print the RFC 8785 canonical form of a JSON document
  cosign       add a co-signer's proof to a signed credential
  dossier      show a person's records, their status and the metrics
  eligible     list who meets a policy, and what the others lack
  export       write a record as its credential, an offline bundle or an Open Badge
  help         show help for talentreg or one command
  import       verify and store many records: JSON lines, YAML streams, CSV files
  init         create a new store
  issue        sign YAML records and print their credentials
  key          create, show and import Ed25519 signing keys
  log          sign checkpoints; prove records and tree sizes against them
  org          register organisations, list them, revoke their keys
  proof        sign and verify W3C Data Integrity proofs on JSON documents
  search       find records by their text
  submit       verify signed credentials and add those that count to the log
  transcript   show the credits a learner earned and their recognitions
  validate     check YAML records and print their unsigned credentials
  verify       say whether a record counts, with every reason why not

The store is --db PATH, else $TALENTREG_DB, else ./talent.db.
Every command takes --help. Reports take --json.

Exit status:
  0  ok
  1  a negative verdict: does not verify, not eligible, not found
  2  usage or operational error
--- stderr
