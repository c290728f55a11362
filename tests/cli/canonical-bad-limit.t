# a limit of 0, over its ceiling, or not a number is a usage error (message, then the usage)
run: for o in --max-depth=0 --max-depth=4097 --max-nodes=lots; do $TR canonical $o x.json 2>&1 | sed -n 1,2p; echo "exit ${PIPESTATUS[0]}"; done
--- stdout
talentreg canonical: option '--max-depth' needs a positive number, not '0'
usage: talentreg canonical [OPTIONS] FILE
exit 2
talentreg canonical: limit 'max-depth' must be between 1 and 4096
usage: talentreg canonical [OPTIONS] FILE
exit 2
talentreg canonical: option '--max-nodes' needs a positive number, not 'lots'
usage: talentreg canonical [OPTIONS] FILE
exit 2
--- stderr
