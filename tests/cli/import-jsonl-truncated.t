# import: a JSON-lines file whose last line was cut short (no line feed, not whole JSON) is
# imported but for that line, which is reported with its number
setup: $(dirname $TR)/tools/gen-region --out r --orgs 6 --people 10 --records 30 --seed 2 > /dev/null
setup: $TR init --origin talentreg.example/region --operator-key r/keys/operator.pem > /dev/null
setup: head -n 29 r/records.jsonl > cut.jsonl && sed -n 30p r/records.jsonl | head -c 250 >> cut.jsonl
run: $TR import cut.jsonl; echo "exit $?"
exit: 0
--- stdout
rejected 'cut.jsonl' line 19: signer-not-permitted: 913502005000D9LNJ5 may not issue Credit records: its Organization record at leaf 5 does not permit them
rejected 'cut.jsonl' line 25: revocation-not-permitted: 913502005000D9LNJ5 did not issue record b690cede9774449ffc840b245135ae6c74c4bb45430ec81a181c0e21ae8d4ec9 (its issuer is 91350900400060RL7Y); only the issuer or the registry operator may revoke it
rejected 'cut.jsonl' line 29: schema-invalid: line 29 column 431: field 'credentialSubject.fte' must be between 0 and 1
rejected 'cut.jsonl' line 30: truncated-line: the last line ends without a line feed and is not a whole JSON text: line 30 column 248: unterminated string
import: 30 records: 26 stored, 0 already stored, 0 merged, 4 rejected
import: rejected by reason: schema-invalid 1, signer-not-permitted 1, revocation-not-permitted 1, truncated-line 1
import: the log has 26 leaves
exit 1
--- stderr
