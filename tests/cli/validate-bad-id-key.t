# an id key file that does not hold 64 hex digits: exit 2 before any record is read
setup: printf 'not a key\n' > bad.key
run: $TR validate --id-key bad.key $TOP/docs/examples/persons.yaml
exit: 2
--- stdout
--- stderr
talentreg: 'bad.key': an id key must be 64 hex digits on one line
