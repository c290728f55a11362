#!/usr/bin/env bash
# region.sh [keys] — the sample region of docs/examples for golden tests, in the current
# directory: a copy of docs/examples in ex/ (so messages name relative paths), the key files
# of the operator and of the organisations of ex/organizations.yaml (the test seeds of
# tests/vectors/didkey; never use them for real), and, unless only "keys" is asked for, a
# store whose operator key is op.pem with those organisations registered at leaves 0 to 4.
#   op.pem        operator (seed 0f…0f)
#   minjiang.pem  12350100488101234T (seed 00…00)
#   ningde.pem    91350900MA2Y8K3Q1U (seed 00…01)
#   fuzhou.pem    91350100MA31XR6T22 (seed 00…02), fuzhou2.pem its second key (00…03)
#   board.pem     113500000035912489 (seed 00…05)
#   sino.pem      52350100MJD4C28059 (the W3C eddsa-jcs-2022 test key)
#   stranger.pem  a key nobody registered (seed 5a…5a)
set -eu
key() {
    printf '%s\n' '-----BEGIN PRIVATE KEY-----' "MC4CAQAwBQYDK2VwBCIEI$2" '-----END PRIVATE KEY-----' > "$1"
    chmod 600 "$1"
}
key op.pem A8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8PDw8P
key minjiang.pem AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA
key ningde.pem AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB
key fuzhou.pem AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAC
key fuzhou2.pem AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAD
key board.pem AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAF
key sino.pem Mlu+eoQxeQUxHFyOv+d5yw1+ltw+ul+iDLsrH0uK47W
key stranger.pem FpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpa
cp -R "$TOP/docs/examples" ex
if [ "${1:-}" = keys ]; then
    exit 0
fi
"$TR" init --origin talentreg.example/test --operator-key op.pem > /dev/null
"$TR" org register ex/organizations.yaml --key op.pem > /dev/null
