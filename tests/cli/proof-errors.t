# usage errors exit 2; a document without a proof does not verify (exit 1)
run: $TR proof sign $TOP/tests/cli/data/w3c-unsigned.json; echo "exit $?"; $TR proof verify $TOP/tests/cli/data/w3c-unsigned.json; echo "exit $?"; $TR proof frob 2>&1 | sed -n 1p; $TR proof verify --key x f 2>&1 | sed -n 1p
--- stdout
exit 2
not verified: the document has no proof
exit 1
talentreg proof: unknown subcommand 'frob'
talentreg proof verify: 'proof verify' takes only --json and limits
--- stderr
talentreg proof sign: 'proof sign' needs --key KEY
usage: talentreg proof sign [options] FILE --key KEY
       talentreg proof verify [--json] FILE

Create or check W3C Data Integrity proofs (eddsa-jcs-2022) on any JSON document.
'sign' prints the document with a new proof added (a proof set when it already has
one); the signature is verified again before anything is printed. 'verify' checks
every proof, resolving did:key verification methods; it exits 0 when all verify and
1 when any does not.

Options of sign:
  --key KEY                    the signing key file
  --passphrase-file F          read the key's passphrase from the first line of F
  --created DATETIME           the proof's creation time (default: now, UTC)
  --verification-method VM     the method id to name (default: the key's did:key)
Options of verify:
  --json                       print the verdict of every proof as JSON
Both read FILE ("-" = standard input) under the input limits:
  --max-bytes N    bytes in one document (default 1048576)
  --max-depth N    nesting depth (default 64)
  --max-nodes N    values in one document (default 100000)
  --max-scalar N   bytes in one string, key or number (default 65536)
