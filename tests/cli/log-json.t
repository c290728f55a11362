# log checkpoint, show, prove and consistency with --json: one object each, member names in
# camelCase like every other --json output (talentreg(1), JSON OUTPUT); the store is made
# with a fixed proof time so its root is the same on every run
setup: $TOP/tests/cli/data/region.sh keys
setup: $TR init --origin talentreg.example/test --operator-key op.pem > /dev/null
setup: $TR org register ex/organizations.yaml --key op.pem --created 2025-09-01T08:00:00Z > /dev/null
run: $TR log checkpoint --key op.pem --json && $TR log show --json && $TR log prove --json 2 && $TR log consistency --json 2 5
--- stdout
{"origin":"talentreg.example/test","treeSize":5,"rootHash":"076f174dd2aa192073f500fea5bd26e2407ffc4dc334435ecde3ec5360ff6da0","note":"talentreg.example/test\n5\nB28XTdKqGSBz9QD+pb0m4kB//E3DNENezePsU2D/baA=\n\n— talentreg.example/test P2hXe3siNRDqiGr0i8DuHBwCj0XkpzniQtbpo6SF1d81tZAhJGck0dYmBM1IG04CymbCiIhjgDHOpXVnCjlLdemORgk=\n"}
{"origin":"talentreg.example/test","treeSize":5,"rootHash":"076f174dd2aa192073f500fea5bd26e2407ffc4dc334435ecde3ec5360ff6da0","note":"talentreg.example/test\n5\nB28XTdKqGSBz9QD+pb0m4kB//E3DNENezePsU2D/baA=\n\n— talentreg.example/test P2hXe3siNRDqiGr0i8DuHBwCj0XkpzniQtbpo6SF1d81tZAhJGck0dYmBM1IG04CymbCiIhjgDHOpXVnCjlLdemORgk=\n"}
{"treeSize":5,"leafIndex":2,"leafHash":"05f1cf0da0020d9a3eb1ba67096044bb4adf962dc75aa6faf359c9b1fab7697e","rootHash":"076f174dd2aa192073f500fea5bd26e2407ffc4dc334435ecde3ec5360ff6da0","proof":["844818defc54fd27c56b9b7a7385e5d62800d72c4aeae2a7d8fbc51fb147eb99","3a79e6d78ac302d877baa17776d0987dd08f7b58336df4861e19afef757c820f","13bf114c7d9ad0f048bf47c1c1d8b15bf3507acd3df3efb26fe104430b988540"]}
{"oldSize":2,"newSize":5,"oldRoot":"3a79e6d78ac302d877baa17776d0987dd08f7b58336df4861e19afef757c820f","newRoot":"076f174dd2aa192073f500fea5bd26e2407ffc4dc334435ecde3ec5360ff6da0","proof":["148d7fb5e335e458a657c85b72f28db11596d27847e89c44329ade562381b547","13bf114c7d9ad0f048bf47c1c1d8b15bf3507acd3df3efb26fe104430b988540"]}
--- stderr
