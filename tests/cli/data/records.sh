#!/usr/bin/env bash
# records.sh — the sample region of region.sh with every record of docs/examples issued by
# its organisations (and co-signed where its kind needs two), submitted in this order:
#   leaves 0-4    the organisations (region.sh)
#   leaves 5-10   the six people of persons.yaml
#   leaf 11       Zhang Wei's placement at Ningde (enterprise-placement.yaml)
#   leaf 12       Wang Jianguo's industrial professorship (dual-appointment.yaml, both sign)
#   leaves 13-15  Li Na's three credits (credits.yaml)
#   leaf 16       the Minjiang–Sino-German agreement (recognition-agreement.yaml, both sign)
#   leaf 17       the recognition of Li Na's 5 ECTS (credit-recognition.yaml)
#   leaf 18       the Revocation superseding the mistaken 6 ECTS credit (revocation.yaml)
#   leaf 19       Zhang Wei's patent transfer (contribution.yaml)
#   leaves 20-21  Zhang Wei's two cross-evaluations (evaluations.yaml)
# Proofs are dated so the credentials, and so the golden outputs, never change.
set -eu
"$TOP/tests/cli/data/region.sh"
# The n-th YAML document (from 1) of a file.
doc() {
    awk -v n="$2" 'BEGIN { i = 1 } /^---$/ { i++; next } i == n' "$1"
}
# issue NAME FILE N KEY [COSIGNER]: sign the N-th record of ex/FILE into NAME.json.
issue() {
    doc "ex/$2" "$3" > "$1.yaml"
    "$TR" issue "$1.yaml" --id-key ex/id.key --key "$4" --created 2025-06-01T08:00:00Z \
        --out "$1.json"
    if [ $# -ge 5 ]; then
        "$TR" cosign "$1.json" --key "$5" --created 2025-06-02T08:00:00Z --out "$1.co.json"
        mv "$1.co.json" "$1.json"
    fi
}
issue person1 persons.yaml 1 minjiang.pem
issue person2 persons.yaml 2 minjiang.pem
issue person3 persons.yaml 3 minjiang.pem
issue person4 persons.yaml 4 ningde.pem
issue person5 persons.yaml 5 ningde.pem
issue person6 persons.yaml 6 sino.pem
issue placement enterprise-placement.yaml 1 ningde.pem
issue appointment dual-appointment.yaml 1 minjiang.pem ningde.pem
issue credit1 credits.yaml 1 minjiang.pem
issue credit2 credits.yaml 2 sino.pem
issue credit3 credits.yaml 3 sino.pem
issue agreement recognition-agreement.yaml 1 minjiang.pem sino.pem
issue recognition credit-recognition.yaml 1 minjiang.pem
issue revocation revocation.yaml 1 sino.pem
issue contribution contribution.yaml 1 minjiang.pem
issue evaluation1 evaluations.yaml 1 board.pem
issue evaluation2 evaluations.yaml 2 board.pem
"$TR" submit person1.json person2.json person3.json person4.json person5.json person6.json \
    placement.json appointment.json credit1.json credit2.json credit3.json agreement.json \
    recognition.json revocation.json contribution.json evaluation1.json evaluation2.json \
    > /dev/null
