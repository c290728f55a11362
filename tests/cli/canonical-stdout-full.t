# a full disk under standard output is an error (exit 2), never a silent success: whether the
# write fails at once (a large document) or when the output is flushed at exit (a small one)
setup: printf '{"b":[1,2],"a":"x"}' > small.json
setup: { printf '['; for i in $(seq 1 20000); do printf '"%05d",' $i; done; printf '0]'; } > large.json
run: for f in small large; do $TR canonical $f.json > /dev/full; echo "exit $?"; done 2>&1
--- stdout
talentreg: cannot write standard output: No space left on device
exit 2
talentreg: cannot write standard output: No space left on device
exit 2
--- stderr
