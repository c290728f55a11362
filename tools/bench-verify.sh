#!/usr/bin/env bash
# bench-verify.sh — talentreg's eddsa-jcs-2022 sign and verify rates on a typical record,
# beside `openssl speed ed25519` measured in the same run, on one core, with the ratios.
#
# usage: tools/bench-verify.sh [BUILD_DIR] [SECONDS]   (defaults: build, 3)
set -eu
build=${1:-build}
seconds=${2:-3}
make --no-print-directory -s "$build/tools/bench-proof" BUILD="$build" >/dev/null

speed=$(openssl speed -seconds "$seconds" ed25519 2>/dev/null | awk '/Ed25519/ {print $(NF-1), $NF}')
read -r ossl_sign ossl_verify <<<"$speed"
echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
echo "openssl speed ed25519: sign $ossl_sign/s, verify $ossl_verify/s"
"$build/tools/bench-proof" "$seconds" | tee /dev/stderr | awk -v s="$ossl_sign" -v v="$ossl_verify" '
    /^talentreg proof sign/ { printf "ratio to openssl speed: proof sign %.3f\n", $(NF-3) / s }
    /^talentreg proof verify/ { printf "ratio to openssl speed: proof verify %.3f (target >= 0.8)\n", $(NF-3) / v }
    /^talentreg parse \+ proof verify/ { printf "ratio to openssl speed: parse + verify %.3f\n", $(NF-3) / v }' 2>&1
