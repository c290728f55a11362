# import: a CSV file of placements as a spreadsheet saves it (byte order mark, CR LF, quoted
# fields with commas and quotes, Chinese text), signed with the host's key; each bad row is
# reported with its line (and column), the good rows are stored; imported again (signed at
# another time) nothing changes
setup: $TOP/tests/cli/data/region.sh
setup: printf '\xef\xbb\xbfkind,issuer,subject,validFrom,validUntil,host,home,fte,form,hours,project\r\n' > p.csv
setup: printf 'EnterprisePlacement,91350900MA2Y8K3Q1U,p-zhang-wei-1984,2024-03-01,2024-08-31,91350900MA2Y8K3Q1U,12350100488101234T,1,rnd_project,1000,"电池管理系统研发, ""BMS"""\r\n' >> p.csv
setup: printf 'EnterprisePlacement,91350900MA2Y8K3Q1U,p-li-na-1999,2024-07-01,2024-08-31,91350900MA2Y8K3Q1U,12350100488101234T,1.5,internship,300,\r\n' >> p.csv
setup: printf 'EnterprisePlacement,91350900MA2Y8K3Q1U,p-li-na-1999,2024-07-01\r\n' >> p.csv
setup: printf 'EnterprisePlacement,91350900MA2Y8K3Q1U,p-li-na-1999,2024-07-01,2024-08-31,91350900MA2Y8K3Q1U,12350100488101234T,0.5,post,"300"h,\r\n' >> p.csv
setup: printf '\r\nEnterprisePlacement,91350900MA2Y8K3Q1U,p-li-na-1999,2024-02-01,2024-02-30,91350900MA2Y8K3Q1U,12350100488101234T,0.5,post,80,\r\n' >> p.csv
setup: printf 'EnterprisePlacement,91350900MA2Y8K3Q1U,p-li-na-1999,2024-07-01,2024-08-31,91350900MA2Y8K3Q1U,12350100488101234T,0.5,training,"160","企业培训\n(二期)"\r\n' >> p.csv
run: $TR import --key ningde.pem --created 2025-01-01T08:00:00Z p.csv; echo "exit $?"; $TR import --key ningde.pem p.csv | tail -n 3
exit: 0
--- stdout
rejected 'p.csv' line 3: schema-invalid: line 3 column 113: field 'credentialSubject.fte' must be between 0 and 1
rejected 'p.csv' line 3: schema-invalid: line 3 column 117: field 'credentialSubject.form' must be one of site_visit, training, post, rnd_project
rejected 'p.csv' line 4: malformed-input: line 4: the row has 4 fields, the header 11
rejected 'p.csv' line 5: malformed-input: line 5 column 127: a closing quote must be followed by a comma or the end of the row
rejected 'p.csv' line 7: schema-invalid: line 7 column 64: field 'validUntil' is not a valid date-time: 2024-02 has no day 30
import: 6 records: 2 stored, 0 already stored, 0 merged, 4 rejected
import: rejected by reason: schema-invalid 2, malformed-input 2
import: the log has 7 leaves
exit 1
import: 6 records: 0 stored, 2 already stored, 0 merged, 4 rejected
import: rejected by reason: schema-invalid 2, malformed-input 2
import: the log has 7 leaves
--- stderr
