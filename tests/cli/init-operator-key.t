# init --operator-key loads an existing key file and stores its public key; the did:key and
# the verifier key named by the origin are printed, and log checkpoint accepts that key
setup: printf '%s\n' '-----BEGIN PRIVATE KEY-----' 'MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W' '-----END PRIVATE KEY-----' > k.pem
setup: chmod 600 k.pem
run: $TR init --origin talentreg.example/test --operator-key k.pem && $TR log checkpoint --key k.pem | sed -n 1,2p
--- stdout
initialised store './talent.db' with origin 'talentreg.example/test'
operator did:key: did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
operator verifier key: talentreg.example/test+16c5177c+AbANjZOOf3c9UVZarTamI/U0T39dGWD5zz6OEmIOooEP
talentreg.example/test
0
--- stderr
