# a key file others may read, or a symbolic link to one, is refused before anything is signed
setup: $TOP/tests/cli/data/region.sh keys
setup: chmod 644 ningde.pem && ln -s minjiang.pem link.pem
run: $TR issue ex/dual-appointment.yaml --key ningde.pem; echo "exit $?"; $TR issue ex/dual-appointment.yaml --key link.pem; echo "exit $?"; $TR issue ex/dual-appointment.yaml 2>&1 | sed -n 1,1p; echo "exit ${PIPESTATUS[0]}"
--- stdout
exit 2
exit 2
talentreg issue: option '--key' is required
exit 2
--- stderr
talentreg: refusing key file 'ningde.pem': mode 0644 lets others read it (chmod 600)
talentreg: refusing key file 'link.pem': it is a symbolic link
