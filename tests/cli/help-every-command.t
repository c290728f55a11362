# every command and subcommand prints its usage for --help on stdout and does nothing else:
# exit 0, nothing on stderr, no store needed (none exists here)
run: for c in audit canonical cosign dossier eligible export help import init issue transcript search submit validate verify "key generate" "key show" "key import" "log checkpoint" "log show" "log prove" "log consistency" "org register" "org list" "org revoke-key" "proof sign" "proof verify"; do $TR $c --help > out 2> err; s=$?; [ $s = 0 ] && [ ! -s err ] && head -n 1 out | grep -q '^usage: talentreg' || echo "$c: exit $s: $(head -c 200 err)"; done; ls
--- stdout
err
out
--- stderr
