# the store is --db (after the command or before it), else $TALENTREG_DB, else ./talent.db
run: TALENTREG_DB=env.db $TR init --origin o --db flag.db && TALENTREG_DB=env.db $TR init --origin o && $TR --db global.db init --origin o && TALENTREG_DB=env2.db $TR --db global2.db init --origin o && TALENTREG_DB= $TR init --origin o && ls
--- stdout
initialised store 'flag.db' with origin 'o'
initialised store 'env.db' with origin 'o'
initialised store 'global.db' with origin 'o'
initialised store 'global2.db' with origin 'o'
initialised store './talent.db' with origin 'o'
env.db
flag.db
global.db
global2.db
talent.db
--- stderr
