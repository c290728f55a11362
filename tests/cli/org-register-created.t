# org register --created fixes the proofs' creation time: two stores given the same records,
# key and time hold the same log, leaf for leaf; a malformed time is refused before anything
# is stored, once, as issue refuses it
setup: $TOP/tests/cli/data/region.sh keys
setup: for s in a b c; do $TR --db $s.db init --origin talentreg.example/test --operator-key op.pem > /dev/null; done
setup: for s in a b; do $TR --db $s.db org register ex/organizations.yaml --key op.pem --created 2025-09-01T08:00:00Z > /dev/null; done
run: for s in a b; do $TR --db $s.db log checkpoint --key op.pem | sed -n 2,3p; done; $TR --db a.db export 9b80092354fb93d0e525d99bfc5aacd06a13f2122780a46c1112629aaef8b933 | grep '"created"'; $TR --db c.db org register ex/organizations.yaml --key op.pem --created 2025-09-01T08:00:00; echo "exit $?"; $TR --db c.db org list | wc -l
--- stdout
5
B28XTdKqGSBz9QD+pb0m4kB//E3DNENezePsU2D/baA=
5
B28XTdKqGSBz9QD+pb0m4kB//E3DNENezePsU2D/baA=
    "created": "2025-09-01T08:00:00Z",
exit 2
0
--- stderr
talentreg: created '2025-09-01T08:00:00' is not a UTC date-time like 2024-05-01T08:00:00Z
