# values outside a kind's lists
run: cd $TOP && $TR validate tests/hostile/invalid-enum.yaml
exit: 1
--- stdout
--- stderr
talentreg: 'tests/hostile/invalid-enum.yaml' line 10 column 7: field 'credentialSubject.form' must be one of site_visit, training, post, rnd_project
talentreg: 'tests/hostile/invalid-enum.yaml' line 16 column 12: field 'credentialSubject.framework' must be one of cn-credit, ects, uk-cats, us-credit-hour
