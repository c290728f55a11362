# show a key file written by another tool (the seed of the W3C test key, as openssl writes it)
setup: printf '%s\n' '-----BEGIN PRIVATE KEY-----' 'MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W' '-----END PRIVATE KEY-----' > k.pem
setup: chmod 600 k.pem
run: $TR key show k.pem && $TR key show --json k.pem
--- stdout
did: did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
verificationMethod: did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
publicKeyMultibase: z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
publicKeyHex: b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f
verifierKey: talentreg+9504fc3a+AbANjZOOf3c9UVZarTamI/U0T39dGWD5zz6OEmIOooEP
{
  "did": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
  "verificationMethod": "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
  "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
  "publicKeyHex": "b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f",
  "verifierKey": "talentreg+9504fc3a+AbANjZOOf3c9UVZarTamI/U0T39dGWD5zz6OEmIOooEP"
}
--- stderr
