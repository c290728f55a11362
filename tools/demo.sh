#!/usr/bin/env bash
# demo.sh — the main job end to end on the sample region in docs/examples: records written
# by HR offices are validated and turned into credentials, signed by their organisations,
# and verified; a tampered copy fails, with the reason.
#
# usage: tools/demo.sh TALENTREG
# Runs in a fresh temporary directory, which it removes at the end.
set -euo pipefail
TR=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
top=$(cd "$(dirname "$0")/.." && pwd)
ex=$top/docs/examples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

step() { printf '\n== %s\n' "$*"; }
run() {
    printf '$ talentreg %s\n' "$*" >&2
    "$TR" "$@"
}

step "talentreg $("$TR" --version | cut -d' ' -f2): the sample region's records (docs/examples)"
ls "$ex"

step "every example validates; one placement as its unsigned W3C credential"
run validate --id-key "$ex/id.key" "$ex"/*.yaml >all.json
echo "$(grep -c '^{' all.json) credentials"
run validate "$ex/enterprise-placement.yaml" | sed -n '1,/^}/p'

step "a record with a wrong check character in its USCC and an impossible date is refused"
cat >bad.yaml <<'EOF'
kind: EnterprisePlacement
issuer: 91350900MA2Y8K3Q1Y
subject: p-zhang-wei-1984
validFrom: 2025-02-30
validUntil: 2025-08-31
host: 91350900MA2Y8K3Q1Y
home: 12350100488101234T
fte: 1.5
form: rnd_project
EOF
run validate bad.yaml || echo "(exit $?)"

step "organisation keys (the sample's test keys) and a signed credential"
# Test keys of the did:key vectors: the sample organisations name them in docs/examples.
run key import --multibase z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMix --out enterprise.pem
run key import --multibase z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMiw --out university.pem
"$TR" validate --json "$ex/enterprise-placement.yaml" | head -n 1 >placement.json
run proof sign --key enterprise.pem --created 2024-09-01T08:00:00Z placement.json >signed.json
sed -n '/"proof"/,$p' signed.json

step "the home university co-signs: a proof set of two, both verify"
run proof sign --key university.pem --created 2024-09-02T08:00:00Z signed.json >cosigned.json
run proof verify cosigned.json

step "the canonical bytes that were signed (RFC 8785)"
run canonical placement.json
echo

step "someone raises the FTE in the signed copy: verification fails, with the reason"
sed 's/"fte": 1,/"fte": 2,/' cosigned.json >tampered.json
run proof verify tampered.json || echo "(exit $?: does not verify)"
