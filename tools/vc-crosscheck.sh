#!/usr/bin/env bash
# vc-crosscheck.sh — check talentreg's credentials with an independent implementation of W3C
# Verifiable Credentials 2.0 and Data Integrity eddsa-jcs-2022: Digital Bazaar's JavaScript
# libraries (@digitalbazaar/vc, data-integrity, eddsa-jcs-2022-cryptosuite, ed25519-multikey,
# did-method-key), in both directions.
#
# usage: tools/vc-crosscheck.sh [TALENTREG]
#
# A developer tool, not part of `make check` (it needs node, npm and the npm registry).
# It installs the packages into a temporary directory, builds a registry from the sample
# records of docs/examples as tools/demo.sh does (every kind, single proofs and proof sets),
# then runs tools/vc-crosscheck.mjs, which
#   - verifies every credential talentreg signed, and tampered copies, with the libraries;
#   - expands every credential as JSON-LD (safe mode) with schemas/context-v1.jsonld and
#     reports any term the contexts leave undefined;
#   - signs talentreg-shaped credentials with the libraries (the same keys) and runs
#     `talentreg proof verify` and `talentreg verify` on them and on tampered copies.
# Documents are loaded only from the installed packages, schemas/context-v1.jsonld and a
# local did:key resolver; any other URL is an error. It prints a table of verdicts
# (docs/interop.md) and exits 0 when every verdict is the expected one, 1 otherwise.
# VC_CROSSCHECK_KEEP=DIR keeps the credentials and the registry in DIR.
set -euo pipefail

TR=${1:-build/talentreg}
TR=$(cd "$(dirname "$TR")" && pwd)/$(basename "$TR")
top=$(cd "$(dirname "$0")/.." && pwd)
ex=$top/docs/examples
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The major versions checked (docs/interop.md); the script prints the exact ones installed.
packages=(
    @digitalbazaar/vc@7
    @digitalbazaar/data-integrity@2
    @digitalbazaar/eddsa-jcs-2022-cryptosuite@1
    @digitalbazaar/ed25519-multikey@1
    @digitalbazaar/did-method-key@5
    @digitalbazaar/credentials-context@3
    @digitalbazaar/data-integrity-context@2
    jsonld-signatures@11
    jsonld@9
)
npm install --silent --no-audit --no-fund --prefix "$work/npm" "${packages[@]}" >/dev/null

# The registry and its credentials, as tools/demo.sh makes them.
mkdir "$work/reg"
cd "$work/reg"
"$TR" init --origin crosscheck.talentreg.example --operator-key operator.pem >/dev/null
# The sample organisations' keys are the test keys of the did:key vectors (never for real).
declare -A secret_of=(
    [minjiang]=z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMiw
    [ningde]=z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMix
    [fuzhou]=z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMiy
    [fuzhou2]=z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMiz
    [board]=z3u2RDonZ81AFKiw8QCPKcsyg8Yy2MmYQNxfBn51SS2QmMj2
    [sino]=z3u2en7t5LR2WtQH5PfFqMqwVHBeXouLzo6haApm8XHqvjxq
)
for k in "${!secret_of[@]}"; do
    "$TR" key import --multibase "${secret_of[$k]}" --out "$k.pem" >/dev/null
done
declare -A key_of=(
    [operator]=operator.pem
    [12350100488101234T]=minjiang.pem [91350900MA2Y8K3Q1U]=ningde.pem
    [91350100MA31XR6T22]=fuzhou.pem [113500000035912489]=board.pem
    [52350100MJD4C28059]=sino.pem)
n=0
# sign FILE [KEY]: issue every record of the YAML stream FILE with KEY, or its issuer's key,
# into recNN-NAME.json.
sign() {
    awk '/^---$/ { n++; next } { print > ("doc" sprintf("%03d", n) ".yaml") }' "$1"
    for d in doc*.yaml; do
        local issuer key
        issuer=$(sed -n 's/^issuer: *"\{0,1\}\([0-9A-Za-z]*\)"\{0,1\}.*/\1/p' "$d")
        key=${2:-${key_of[$issuer]}}
        n=$((n + 1))
        "$TR" issue "$d" --key "$key" --id-key "$ex/id.key" --created 2025-09-10T08:00:00Z \
            --out "$(printf 'rec%02d' $n)-$(basename "$1" .yaml).json"
        rm "$d"
    done
}
sign "$ex/organizations.yaml"
"$TR" submit rec*-organizations.json >/dev/null
for f in persons enterprise-placement contribution credits evaluations recognition-agreement \
    dual-appointment; do
    sign "$ex/$f.yaml"
done
# The other party co-signs: proof sets of two.
cosign() {
    "$TR" cosign "$1" --key "$2" --created 2025-09-11T08:00:00Z --out "$1.tmp"
    mv "$1.tmp" "$1"
}
cosign rec*-dual-appointment.json ningde.pem
cosign rec*-recognition-agreement.json sino.pem
cosign rec*-contribution.json ningde.pem
sign "$ex/credit-recognition.yaml"
sign "$ex/revocation.yaml"
# Fuzhou revokes its first key with its second.
sign "$ex/key-revocation.yaml" fuzhou2.pem
others=()
for f in rec*.json; do
    case $f in *-organizations.json) ;; *) others+=("$f") ;; esac
done
"$TR" submit "${others[@]}" >/dev/null

cp "$top/tools/vc-crosscheck.mjs" "$work/npm/"
status=0
TR=$TR CONTEXT=$top/schemas/context-v1.jsonld EXAMPLES=$ex \
    node "$work/npm/vc-crosscheck.mjs" "$work/reg" || status=$?
if [ -n "${VC_CROSSCHECK_KEEP:-}" ]; then
    cp -r "$work/reg/." "$VC_CROSSCHECK_KEEP"
fi
exit $status
