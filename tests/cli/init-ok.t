# init creates ./talent.db, mode 0600, and says so on stdout
run: $TR init --origin talentreg.example/test && stat -c '%a %n' talent.db
--- stdout
initialised store './talent.db' with origin 'talentreg.example/test'
600 talent.db
--- stderr
