# without --id-key the store's id key hashes national ids; with neither, issue says so
setup: $TOP/tests/cli/data/region.sh keys
setup: sed -n '/^kind: Person/,/^home/p' ex/persons.yaml | head -n 8 > zhang.yaml
run: $TR issue zhang.yaml --key minjiang.pem; echo "exit $?"; $TR init --origin o > /dev/null && $TR issue zhang.yaml --key minjiang.pem | grep -c '"nationalIdHash": "[0-9a-f]\{64\}"'
--- stdout
exit 1
1
--- stderr
talentreg: 'zhang.yaml' record 1: no id key to hash its nationalId: no --id-key FILE, and no store './talent.db' (No such file or directory)
talentreg: 'zhang.yaml' line 6 column 13: field 'credentialSubject.nationalId' needs an id key to be hashed: pass --id-key FILE
