# one changed value in the document: exit 1 and the reason
run: $TR proof verify --json $TOP/tests/cli/data/w3c-signed-tampered.json
exit: 1
--- stdout
{
  "verified": false,
  "proofs": [
    {
      "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
      "verified": false,
      "reason": "bad-signature",
      "detail": "the signature does not verify"
    }
  ]
}
--- stderr
