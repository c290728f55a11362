# usage errors: exit 2, the message and the first line of the usage on stderr
setup: $TR init --origin talentreg.example/test
run: for a in "" "--kind" "--kind Pet x" "--kind Person,,Credit x" "--limit 0 x" "--limit 1001 x" "--limit ten x" "--offset -1 x" "--frob x" "--reindex x" "--reindex --kind Person" "--reindex --limit 5"; do $TR search $a 2>err >/dev/null; s=$?; head -n 2 err; echo "exit $s"; done
--- stdout
talentreg search: no QUERY given
usage: talentreg search [OPTIONS] QUERY...
exit 2
talentreg search: option '--kind' needs a value
usage: talentreg search [OPTIONS] QUERY...
exit 2
talentreg search: unknown record kind 'Pet'
usage: talentreg search [OPTIONS] QUERY...
exit 2
talentreg search: unknown record kind ''
usage: talentreg search [OPTIONS] QUERY...
exit 2
talentreg search: option '--limit' needs a positive number, not '0'
usage: talentreg search [OPTIONS] QUERY...
exit 2
talentreg search: option '--limit' must be at most 1000
usage: talentreg search [OPTIONS] QUERY...
exit 2
talentreg search: option '--limit' needs a positive number, not 'ten'
usage: talentreg search [OPTIONS] QUERY...
exit 2
talentreg search: option '--offset' needs a number, not '-1'
usage: talentreg search [OPTIONS] QUERY...
exit 2
talentreg search: unknown option '--frob'
usage: talentreg search [OPTIONS] QUERY...
exit 2
talentreg search: --reindex takes no query and no option but --json
usage: talentreg search [OPTIONS] QUERY...
exit 2
talentreg search: --reindex takes no query and no option but --json
usage: talentreg search [OPTIONS] QUERY...
exit 2
talentreg search: --reindex takes no query and no option but --json
usage: talentreg search [OPTIONS] QUERY...
exit 2
