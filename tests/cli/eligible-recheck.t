# eligible --recheck judges every record in full and prints the same list as the trust
# index does, also as of an older log size and after a checkpoint
setup: $TOP/tests/cli/data/records.sh
setup: $TR log checkpoint --key op.pem > /dev/null
run: for p in engineering-doctorate-credits industrial-professor-duties; do for n in 14 17 19 22; do cmp <($TR eligible --policy $p --as-of 2025-12-31 --log-size $n --json) <($TR eligible --policy $p --as-of 2025-12-31 --log-size $n --json --recheck) && echo "$p $n same"; done; done; $TR eligible --policy industrial-professor-duties --as-of 2025-12-31 --log-size 12 | sed -E 's/(root |"root": ")[0-9a-f]{64}/\1<root>/g'
--- stdout
engineering-doctorate-credits 14 same
engineering-doctorate-credits 17 same
engineering-doctorate-credits 19 same
engineering-doctorate-credits 22 same
industrial-professor-duties 14 same
industrial-professor-duties 17 same
industrial-professor-duties 19 same
industrial-professor-duties 22 same
policy industrial-professor-duties version 1, as of 2025-12-31, from log size 12 (root <root>), checkpoint of size 22 (root <root>)
p-li-na-1999  not eligible: appointment 0 of 1 appointments; teaching 0 of 36 hours a year; supervision 0 of 1 appointments
p-liu-qiang-1965  not eligible: appointment 0 of 1 appointments; teaching 0 of 36 hours a year; supervision 0 of 1 appointments
p-thomas-weber-1976  not eligible: appointment 0 of 1 appointments; teaching 0 of 36 hours a year; supervision 0 of 1 appointments
p-wang-jianguo-1970  not eligible: appointment 0 of 1 appointments; teaching 0 of 36 hours a year; supervision 0 of 1 appointments
p-zhang-wei-1984  not eligible: appointment 0 of 1 appointments; teaching 0 of 36 hours a year; supervision 0 of 1 appointments
p-zhao-min-1968  not eligible: appointment 0 of 1 appointments; teaching 0 of 36 hours a year; supervision 0 of 1 appointments
6 people: 0 eligible, 6 not eligible
--- stderr
