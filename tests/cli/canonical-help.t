# `canonical --help` prints the usage on stdout, exit 0, like `help canonical`
run: $TR canonical --help && $TR help canonical | cmp - <($TR canonical --help) && echo same
--- stdout
usage: talentreg canonical [OPTIONS] FILE

Print the RFC 8785 canonical form of the JSON document in FILE ("-" reads standard
input), exactly the bytes that record ids hash and eddsa-jcs-2022 proofs sign, with no
final newline. The document must be strict JSON: no duplicate keys, valid UTF-8, no NUL.

Options:
  --max-bytes N    bytes in one document (default 1048576)
  --max-depth N    nesting depth (default 64)
  --max-nodes N    values in one document (default 100000)
  --max-scalar N   bytes in one string, key or number (default 65536)
same
--- stderr
