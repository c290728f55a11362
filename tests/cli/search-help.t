# search --help prints the usage on stdout; help search prints the same
run: $TR search --help > a; $TR help search > b; cmp a b && cat a
--- stdout
usage: talentreg search [OPTIONS] QUERY...
       talentreg search --reindex [--json]

Find the records whose text matches QUERY (all QUERY arguments, as one text): names of
people and organisations, roles, project titles, courses, contribution titles,
evaluation dimensions. Every word of QUERY must match, and every run of Chinese,
Japanese or Korean characters as written (李娜, 电池管理). Letters match in any case
and without accents; a word ending in '*' matches every word it begins (batt*).
Nothing in QUERY is an operator: quotes, AND, OR, NEAR, ':' and '-' are text. The best
matches come first, a match in a record's names before one in the rest of its text.

Each result is a line with the record's kind, date (or -), subject (or -) and record
id, then its names and the text around the match, each match in [brackets]. Exit
status: 0 with results, 1 with none, 2 for a bad query or any other error.

Options:
  --kind K          only records of kind K (Person, EnterprisePlacement, ...); repeat
                    it or give a comma-separated list for several kinds
  --org USCC        only records issued by the organisation USCC
  --person ID       only records about the person ID (p-zhang-wei-1984)
  --from DATE       only records dated DATE (YYYY-MM-DD) or later; a record's date is
                    its validFrom, else its earnedOn, decidedOn or achievedOn, and
                    records without one are left out
  --to DATE         only records dated DATE or earlier
  --verified-only   only records that count: every required signature valid, no key
                    revoked before it, not withdrawn or superseded
  --limit N         at most N results (default 20, at most 1000)
  --offset N        skip the first N results (default 0)
  --json            one JSON object: the query, its results and whether more follow
  --reindex         rebuild the index from the records in the log, and say how many
