# a limit of 0, over its ceiling, or not a number is a usage error
run: $TR canonical --max-depth 0 x.json; echo "exit $?"; $TR canonical --max-depth 4097 x.json; echo "exit $?"; $TR canonical --max-nodes=lots x.json; echo "exit $?"
--- stdout
exit 2
exit 2
exit 2
--- stderr
talentreg canonical: option '--max-depth' needs a positive number, not '0'
usage: talentreg canonical [OPTIONS] FILE

Print the RFC 8785 canonical form of the JSON document in FILE ("-" reads standard
input), exactly the bytes that record ids hash and eddsa-jcs-2022 proofs sign, with no
final newline. The document must be strict JSON: no duplicate keys, valid UTF-8, no NUL.

Options:
  --max-bytes N    bytes in one document (default 1048576)
  --max-depth N    nesting depth (default 64)
  --max-nodes N    values in one document (default 100000)
  --max-scalar N   bytes in one string, key or number (default 65536)
talentreg canonical: limit 'max-depth' must be between 1 and 4096
usage: talentreg canonical [OPTIONS] FILE

Print the RFC 8785 canonical form of the JSON document in FILE ("-" reads standard
input), exactly the bytes that record ids hash and eddsa-jcs-2022 proofs sign, with no
final newline. The document must be strict JSON: no duplicate keys, valid UTF-8, no NUL.

Options:
  --max-bytes N    bytes in one document (default 1048576)
  --max-depth N    nesting depth (default 64)
  --max-nodes N    values in one document (default 100000)
  --max-scalar N   bytes in one string, key or number (default 65536)
talentreg canonical: option '--max-nodes' needs a positive number, not 'lots'
usage: talentreg canonical [OPTIONS] FILE

Print the RFC 8785 canonical form of the JSON document in FILE ("-" reads standard
input), exactly the bytes that record ids hash and eddsa-jcs-2022 proofs sign, with no
final newline. The document must be strict JSON: no duplicate keys, valid UTF-8, no NUL.

Options:
  --max-bytes N    bytes in one document (default 1048576)
  --max-depth N    nesting depth (default 64)
  --max-nodes N    values in one document (default 100000)
  --max-scalar N   bytes in one string, key or number (default 65536)
