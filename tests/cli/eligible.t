# eligible: every person the log holds a record about, with the verdict and what they lack
setup: $TOP/tests/cli/data/records.sh
run: $TR eligible --policy cn-vocational-teacher-practice-2016 --as-of 2025-12-31 | sed -E 's/(root |"root": ")[0-9a-f]{64}/\1<root>/g'
--- stdout
policy cn-vocational-teacher-practice-2016 version 1, as of 2025-12-31, from log size 22 (root <root>), no checkpoint covers it yet
p-li-na-1999  not eligible: enterprise-practice 0 of 6 months
p-liu-qiang-1965  not eligible: enterprise-practice 0 of 6 months
p-thomas-weber-1976  not eligible: enterprise-practice 0 of 6 months
p-wang-jianguo-1970  not eligible: enterprise-practice 0 of 6 months
p-zhang-wei-1984  eligible
p-zhao-min-1968  not eligible: enterprise-practice 0 of 6 months
6 people: 1 eligible, 5 not eligible
--- stderr
