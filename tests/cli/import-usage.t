# import: usage errors and an input that cannot be opened are errors (exit 2) before anything
# is read or stored
setup: $TOP/tests/cli/data/region.sh
run: for a in "" "--threads 17 x" "--format xml x" "--batch 0 x"; do $TR import $a 2>&1 | sed -n 1p; echo "exit ${PIPESTATUS[0]}"; done; $TR import missing.jsonl; echo "exit $?"
exit: 0
--- stdout
talentreg import: no FILE given
exit 2
talentreg import: option '--threads' takes at most 16, not 17
exit 2
talentreg import: option '--format' takes jsonl, yaml or csv, not 'xml'
exit 2
talentreg import: option '--batch' needs a positive number, not '0'
exit 2
exit 2
--- stderr
talentreg: cannot open 'missing.jsonl': No such file or directory
