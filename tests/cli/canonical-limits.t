# the input-limit options bound the document; at the limit it passes, one over it fails
setup: printf '[[1,{"k":"abcd"}]]' > doc.json
run: for o in "--max-depth 3" "--max-depth 2" "--max-nodes 5" "--max-nodes 4" "--max-scalar 4" "--max-scalar 3" "--max-bytes 18" "--max-bytes 17"; do echo "$o:"; $TR canonical $o doc.json 2>&1; echo " exit $?"; done
--- stdout
--max-depth 3:
[[1,{"k":"abcd"}]] exit 0
--max-depth 2:
talentreg: 'doc.json' line 1 column 5: nesting deeper than 2
 exit 2
--max-nodes 5:
[[1,{"k":"abcd"}]] exit 0
--max-nodes 4:
talentreg: 'doc.json' line 1 column 10: more than 4 values
 exit 2
--max-scalar 4:
[[1,{"k":"abcd"}]] exit 0
--max-scalar 3:
talentreg: 'doc.json' line 1 column 10: string longer than 3 bytes
 exit 2
--max-bytes 18:
[[1,{"k":"abcd"}]] exit 0
--max-bytes 17:
talentreg: 'doc.json' is larger than 17 bytes
 exit 2
