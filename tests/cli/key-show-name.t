# --name names the verifier key (an operator key is named after the log's origin); a name a
# signed note cannot carry is a usage error
setup: printf '%s\n' '-----BEGIN PRIVATE KEY-----' 'MC4CAQAwBQYDK2VwBCIEIMlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W' '-----END PRIVATE KEY-----' > k.pem
setup: chmod 600 k.pem
run: $TR key show --name talentreg.example/test k.pem | tail -n 1; $TR key show --name 'a b' k.pem 2>&1 | sed -n 1,1p; exit ${PIPESTATUS[0]}
exit: 2
--- stdout
verifierKey: talentreg.example/test+16c5177c+AbANjZOOf3c9UVZarTamI/U0T39dGWD5zz6OEmIOooEP
talentreg key show: option '--name': key name has a space, '+' or control character at byte 1
--- stderr
