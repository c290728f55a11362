# '+' cannot be in a signed-note key name, so not in an origin
run: $TR init --origin 'a+b' 2>&1 >/dev/null | sed -n 1p; exit ${PIPESTATUS[0]}
exit: 2
--- stdout
talentreg init: origin 'a+b' contains '+'
