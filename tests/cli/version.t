run: $TR --version
--- stdout
talentreg 0.1.0
