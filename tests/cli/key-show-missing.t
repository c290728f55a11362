run: $TR key show nope.pem
exit: 2
--- stdout
--- stderr
talentreg: cannot open key file 'nope.pem': No such file or directory
