#!/usr/bin/env bash
# demo.sh — the main job end to end on the sample data in docs/examples.
# usage: tools/demo.sh TALENTREG
set -eu
TR=$1
echo "== talentreg $($TR --version | cut -d' ' -f2)"
$TR --help
