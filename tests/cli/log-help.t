# `help log`, `log --help` and `log SUBCOMMAND --help` print usages on stdout, exit 0
run: $TR help log | cmp - <($TR log --help) && $TR log --help && $TR log checkpoint --help && $TR log show --help && $TR log prove --help && $TR log consistency --help
--- stdout
usage: talentreg log checkpoint --key FILE [--passphrase-file F] [--json]
       talentreg log show [--json]
       talentreg log prove [--size N] [--json] ID|LEAF
       talentreg log consistency [--json] OLD NEW

The log holds every accepted record as a leaf of an RFC 9162 Merkle tree. The operator
signs checkpoints of it (C2SP tlog-checkpoint notes); proofs tie a record to a tree
size, and a smaller tree size to a larger one.
Run 'talentreg log SUBCOMMAND --help' for the options of each.
usage: talentreg log checkpoint --key FILE [--passphrase-file F] [--json]

Sign a checkpoint of the whole log with the operator key in FILE, store it, and print
the signed note. It is refused when FILE is not the store's operator key or when the log
is not consistent with a checkpoint signed before. When the log has not grown since the
last checkpoint, that checkpoint is printed again.

Options:
  --key FILE           the operator's key file
  --passphrase-file F  the passphrase of an encrypted FILE: the first line of F
  --json               print origin, treeSize, rootHash and note as JSON
usage: talentreg log show [--json]

Print the latest signed checkpoint, checked again against the operator key.

Options:
  --json    print origin, treeSize, rootHash and note as JSON
usage: talentreg log prove [--size N] [--json] ID|LEAF

Print the inclusion proof of a leaf in the tree of size N: the latest leaf of the record
ID (its 64-hex record id) within that tree, or the leaf number LEAF (counted from 0).

Options:
  --size N  the tree size (default: the whole log)
  --json    print treeSize, leafIndex, leafHash, rootHash and proof as JSON
usage: talentreg log consistency [--json] OLD NEW

Print the consistency proof between the trees of sizes OLD and NEW of the log
(1 <= OLD <= NEW <= the log's size): the hashes that show the older tree is a prefix
of the newer one.

Options:
  --json    print oldSize, newSize, oldRoot, newRoot and proof as JSON
--- stderr
