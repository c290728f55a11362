# import --ack with --dry-run: nothing is committed, so nothing could be acknowledged
setup: $TR init --origin talentreg.example/t > /dev/null
run: $TR import --dry-run --ack acks r.jsonl 2>&1 | head -1; test -e acks || echo "no acks"
--- stdout
talentreg import: option '--ack' cannot be used with '--dry-run'
no acks
