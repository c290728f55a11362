# the published W3C secured document verifies
run: $TR proof verify $TOP/tests/cli/data/w3c-signed.json
--- stdout
proof 1: ok did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
verified
--- stderr
