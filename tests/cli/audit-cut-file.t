# a store file cut short is a clean error, never a crash
setup: $TR init --origin talentreg.example/test >/dev/null && head -c 4096 talent.db > cut.db && rm -f talent.db-wal talent.db-shm
run: $TR audit --db cut.db
exit: 2
--- stdout
--- stderr
talentreg: store 'cut.db' is damaged
