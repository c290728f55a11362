# the usage of each verification command, as `help NAME` and `NAME --help` print it
run: for c in issue cosign submit verify org; do $TR help $c | cmp - <($TR $c --help) || exit 1; done; $TR help submit; $TR help verify
--- stdout
usage: talentreg submit [--json] FILE...

Submit each FILE, one signed credential in JSON ("-" reads standard input), to the
store. A record is verified as if logged now (talentreg verify explains the rules) and
stored only when it counts; its record id is the SHA-256 of its RFC 8785 form without
its proofs. Each file gets one line:
  stored RECORD_ID at leaf N
  already stored RECORD_ID, nothing changed      (a replay adds nothing)
  merged a co-signature into RECORD_ID at leaf N (new proofs join the stored ones)
  rejected 'FILE': CODE: DETAIL                  (one line per reason)
A rejected record changes nothing and does not stop the others; what was accepted is
committed. Exit status: 0 when every record was accepted (or already stored), 1 when one
was rejected or a file is not JSON, 2 when a file cannot be read or the store fails.

Options:
  --json           one JSON array of results (file, status, recordId, leaf, reasons)
  --max-bytes N    bytes in one document (default 1048576)
  --max-depth N    nesting depth (default 64)
  --max-nodes N    values in one document (default 100000)
  --max-scalar N   bytes in one string, key or number (default 65536)
usage: talentreg verify [--json] [--log-size N] ID|FILE
       talentreg verify --bundle FILE --operator VKEY [--checkpoint F] [--json]

Say whether a record counts: the stored record ID (its 64-hex record id), or the signed
credential in FILE (JSON, "-" reads standard input) as if it were submitted now. A
record counts when it passes its schema, every proof verifies by a key that was valid
at the proof's position in the log, every organisation its kind requires signed, no one
else did, each signer may issue the kind, and no Revocation withdrew or superseded it.
Trusted time is the log position, never a date in the record. Every reason a record
does not count is printed as a stable code and a detail (docs/verification.md).

Exit status: 0 the record counts; 1 it does not, or ID is not in the log; 2 an error.

Options:
  --log-size N     judge as the archive stood when the log had N leaves: later leaves,
                   and the revocations they hold, are not seen (default: the whole log)
  --json           print the verdict as JSON
  --bundle FILE    check the offline bundle in FILE (talentreg export --bundle) with no
                   store, trusting only the operator key VKEY; it cannot see revocations
                   logged after the bundle's checkpoint (docs/bundle.md)
  --operator VKEY  the operator's C2SP verifier key, NAME+KEYID+BASE64
  --checkpoint F   a checkpoint seen before (a signed note in F): a bundle whose checkpoint
                   is older, forks from it or cannot prove it extends it does not verify
  --max-bytes N    bytes in one document (default 1048576)
  --max-depth N    nesting depth (default 64)
  --max-nodes N    values in one document (default 100000)
  --max-scalar N   bytes in one string, key or number (default 65536)
--- stderr
