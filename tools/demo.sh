#!/usr/bin/env bash
# demo.sh — the main job end to end on the sample region in docs/examples: records written
# by HR offices are validated and turned into credentials, signed by their organisations,
# verified and stored in a tamper-evident log under a checkpoint the operator signs; a
# tampered copy and a record signed by the wrong organisation fail, with the reason.
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

import_key() { "$TR" key import --multibase "$2" --out "$1" >/dev/null; }
# A fixed test key for the operator (never for real), so that every run prints the same roots.
import_key operator.pem z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMj4

step "the registry operator creates the store; its verifier key is all a reader needs to trust"
run init --origin fujian.talentreg.example --operator-key operator.pem
vkey=$("$TR" key show --name fujian.talentreg.example operator.pem | sed -n 's/^verifierKey: //p')

step "the operator registers the region's organisations, their keys and what each may issue"
run org register "$ex/organizations.yaml" --key operator.pem --created 2025-09-01T08:00:00Z
run org list

step "each organisation's HR office signs its records with its own key"
# The sample organisations' keys are the test keys of the did:key vectors (never for real).
declare -A key_of=(
    [12350100488101234T]=minjiang.pem [91350900MA2Y8K3Q1U]=ningde.pem
    [91350100MA31XR6T22]=fuzhou.pem [113500000035912489]=board.pem
    [52350100MJD4C28059]=sino.pem)
import_key minjiang.pem z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMiw
import_key ningde.pem z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMix
import_key fuzhou.pem z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMiy
import_key board.pem z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMj2
import_key sino.pem z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq
n=0
# sign FILE: issue every record of the YAML stream FILE with the key of its issuer.
sign() {
    awk -v base="doc" '/^---$/ { n++; next } { print > (base sprintf("%03d", n) ".yaml") }' "$1"
    for d in doc*.yaml; do
        local issuer
        issuer=$(sed -n 's/^issuer: *"\{0,1\}\([0-9A-Z]*\)"\{0,1\}.*/\1/p' "$d")
        n=$((n + 1))
        "$TR" issue "$d" --key "${key_of[$issuer]}" --id-key "$ex/id.key" \
            --created 2025-09-10T08:00:00Z --out "$(printf 'rec%02d' $n)-$(basename "$1" .yaml).json"
        rm "$d"
    done
}
for f in persons enterprise-placement contribution credits evaluations recognition-agreement \
    dual-appointment; do
    sign "$ex/$f.yaml"
done
ls rec*.json

step "a dual appointment and a recognition agreement need both parties: the other side co-signs"
run cosign rec*-dual-appointment.json --key ningde.pem --created 2025-09-11T08:00:00Z --out dual.json
run cosign rec*-recognition-agreement.json --key sino.pem --created 2025-09-11T08:00:00Z --out agreement.json
sign "$ex/credit-recognition.yaml"
sign "$ex/revocation.yaml"

step "submit: every proof, signer, permission and key is checked before a record is stored"
run submit $(ls rec*.json | grep -v -e dual-appointment -e recognition-agreement) dual.json agreement.json

step "submitting the same record again changes nothing"
run submit rec*-enterprise-placement.json | tee again.txt
placement=$(sed -n 's/^already stored \([0-9a-f]*\).*/\1/p' again.txt)

step "one record as a verifier sees it"
run verify "$placement"

step "a placement signed by the university instead of the host enterprise is refused"
"$TR" issue "$ex/enterprise-placement.yaml" --key minjiang.pem --out forged.json
run submit forged.json || echo "(exit $?: rejected, nothing stored)"

step "the operator signs a checkpoint of the log; an inclusion proof ties the placement to it"
run log checkpoint --key operator.pem
run log prove "$placement" --json

step "search in Chinese and in English"
run search 电池
run search 'Industrial Automation'

step "the audit recomputes every hash, checkpoint and verdict from the stored records"
run audit

step "an offline bundle: the record, the Organization records of its signers, their proofs"
run export "$placement" --bundle --out bundle.json
echo "operator's verifier key: $vkey"
mkdir offline && cd offline   # no store here: only the bundle and the operator's key
run verify --bundle ../bundle.json --operator "$vkey"
sed 's/"fte": 1,/"fte": 0.5,/' "$work/bundle.json" >"$work/bundle-tampered.json"
run verify --bundle ../bundle-tampered.json --operator "$vkey" ||
    echo "(exit $?: a changed byte is caught offline too)"
cd "$work"

step "Zhang Wei's dossier under the 2016 teacher-practice rules"
run dossier p-zhang-wei-1984 --as-of 2025-12-31 --policy cn-vocational-teacher-practice-2016

step "who meets the teacher-practice policy"
run eligible --policy cn-vocational-teacher-practice-2016 --as-of 2025-12-31
