# audit --json: the findings (none) and the summary as one JSON document
setup: $TR init --origin talentreg.example/test >/dev/null
run: $TR audit --json
--- stdout
{"findings":[],"summary":{"treeSize":0,"leaves":0,"erased":0,"nodes":0,"checkpoints":0,"records":0,"errors":0,"notices":0,"clean":true,"codes":{}}}
--- stderr
