# raised limits let the large hostile inputs through, up to the hard ceilings
setup: cp "$TOP"/tests/hostile/many-values.json "$TOP"/tests/hostile/long-string.json .
run: $TR canonical --max-nodes 100002 many-values.json | wc -c && $TR canonical --max-scalar 65537 long-string.json | wc -c && $TR canonical --max-nodes 100001 many-values.json
exit: 2
--- stdout
200003
65539
--- stderr
talentreg: 'many-values.json' line 1 column 200002: more than 100001 values
