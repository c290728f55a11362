# import the W3C eddsa-jcs-2022 test key: the report, mode 0600, and the PKCS#8 PEM that
# `openssl genpkey` would write for that seed
run: $TR key import --multibase z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq --out k.pem && stat -c %a k.pem && cat k.pem
--- stdout
did: did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
verificationMethod: did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
publicKeyMultibase: z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2
publicKeyHex: b00d8d938e7f773d51565aad36a623f5344f7f5d1960f9cf3e8e12620ea2810f
verifierKey: talentreg+9504fc3a+AbANjZOOf3c9UVZarTamI/U0T39dGWD5zz6OEmIOooEP
600
-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W
-----END PRIVATE KEY-----
--- stderr
