# init takes no positional arguments
run: $TR init --origin o stray 2>&1 >/dev/null | sed -n 1p; rc=${PIPESTATUS[0]}; ls; exit $rc
exit: 2
--- stdout
talentreg init: unexpected argument 'stray'
