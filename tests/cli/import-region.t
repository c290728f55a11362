# import: a generated region (12 organisations, 50 people, 400 signed records of every kind)
# is imported as its manifest expects, each rejected record reported with its line; the store
# audits clean; the same import again, without worker threads, changes nothing (same log and
# root, so the same checkpoint)
setup: $(dirname $TR)/tools/gen-region --out r --orgs 12 --people 50 --records 400 --seed 5 > /dev/null
setup: $TR init --origin talentreg.example/region --operator-key r/keys/operator.pem > /dev/null
run: $TR import r/records.jsonl; echo "exit $?"; sed -n '/"expect"/,/"rejectedByCase"/p' r/manifest.json; $TR audit; $TR log checkpoint --key r/keys/operator.pem > c1; $TR import --threads 0 r/records.jsonl | grep -v '^rejected'; $TR log checkpoint --key r/keys/operator.pem > c2; cmp c1 c2 && echo "same checkpoint"
exit: 0
--- stdout
rejected 'r/records.jsonl' line 119: bad-signature: proof 1: the signature does not verify
rejected 'r/records.jsonl' line 120: unknown-key: proof 1: key did:key:z6MkiyCfoHeg3jExit2et2YaPuT1UeaLje7Ajh4E7CzsKPp8 is not a key of a registered organisation
rejected 'r/records.jsonl' line 120: issuer-mismatch: the issuer 1235060010002QDMWY has no valid proof
rejected 'r/records.jsonl' line 124: signer-not-permitted: 91350500300046KJ14 may not issue Credit records: its Organization record at leaf 3 does not permit them
rejected 'r/records.jsonl' line 177: bad-signature: proof 1: the signature does not verify
rejected 'r/records.jsonl' line 182: unknown-key: proof 1: key did:key:z6MkiyCfoHeg3jExit2et2YaPuT1UeaLje7Ajh4E7CzsKPp8 is not a key of a registered organisation
rejected 'r/records.jsonl' line 182: issuer-mismatch: the issuer 123501009000QM9YW7 has no valid proof
rejected 'r/records.jsonl' line 208: schema-invalid: line 208 column 435: field 'credentialSubject.fte' must be between 0 and 1
rejected 'r/records.jsonl' line 235: schema-invalid: line 235 column 437: field 'credentialSubject.fte' must be between 0 and 1
rejected 'r/records.jsonl' line 293: bad-signature: proof 1: the signature does not verify
rejected 'r/records.jsonl' line 308: missing-cosigner: the enterprise 9137060040007TGH62 has no valid proof
import: 400 records: 385 stored, 2 already stored, 4 merged, 9 rejected
import: rejected by reason: schema-invalid 2, bad-signature 3, unknown-key 2, missing-cosigner 1, signer-not-permitted 1
import: the log has 389 leaves
exit 1
  "expect": {
    "stored": 385,
    "duplicates": 2,
    "merged": 4,
    "rejected": 9,
    "logSize": 389,
    "storedByKind": {
      "Organization": 12,
      "Person": 50,
      "DualAppointment": 22,
      "EnterprisePlacement": 106,
      "Credit": 85,
      "RecognitionAgreement": 9,
      "CreditRecognition": 22,
      "Contribution": 47,
      "Evaluation": 25,
      "Revocation": 7
    },
    "rejectedByReason": {
      "schema-invalid": 2,
      "bad-signature": 3,
      "unknown-key": 2,
      "missing-cosigner": 1,
      "signer-not-permitted": 1
    },
    "rejectedByCase": {
audit: tree size 389: leaves 389, erased 0, nodes 774, checkpoints 0, records verified 389
audit: clean
import: 400 records: 0 stored, 391 already stored, 0 merged, 9 rejected
import: rejected by reason: schema-invalid 2, bad-signature 3, unknown-key 2, missing-cosigner 1, signer-not-permitted 1
import: the log has 389 leaves
same checkpoint
--- stderr
