# a limit of 0 is a usage error
run: $TR validate --max-nodes 0 x.yaml 2>&1 >/dev/null | sed -n 1,2p; exit ${PIPESTATUS[0]}
exit: 2
--- stdout
talentreg validate: option '--max-nodes' needs a positive number, not '0'
usage: talentreg validate [OPTIONS] FILE...
