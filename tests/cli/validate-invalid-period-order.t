# a period that ends before it starts
run: cd $TOP && $TR validate tests/hostile/invalid-period-order.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-period-order.yaml' line 6 column 13: field 'validUntil' must not be before 'validFrom'
