# org: subcommands, their help and their usage errors
setup: $TR init --origin o > /dev/null
run: $TR org --help | sed -n 1,5p; $TR org; echo "exit $?"; $TR org frob 2>&1 | sed -n 1,1p; $TR org list extra 2>&1 | sed -n 1,2p; $TR org register 2>&1 | sed -n 1,1p; $TR org register x.yaml 2>&1 | sed -n 1,1p; $TR org revoke-key A 2>&1 | sed -n 1,1p; $TR org list --help | sed -n 1,1p
--- stdout
usage: talentreg org register FILE --key OPERATOR_KEY [--passphrase-file F]
                              [--created DATETIME] [--json]
       talentreg org list [--json]
       talentreg org revoke-key USCC DID --key KEY [--compromised-since N]
                                [--reason TEXT] [--passphrase-file F] [--json]
exit 2
talentreg org: unknown subcommand 'frob'
talentreg org list: too many arguments
usage: talentreg org list [--json]
talentreg org register: too few arguments
talentreg org register: option '--key' is required
talentreg org revoke-key: too few arguments
usage: talentreg org list [--json]
--- stderr
talentreg org: no subcommand given
usage: talentreg org register FILE --key OPERATOR_KEY [--passphrase-file F]
                              [--created DATETIME] [--json]
       talentreg org list [--json]
       talentreg org revoke-key USCC DID --key KEY [--compromised-since N]
                                [--reason TEXT] [--passphrase-file F] [--json]

Organisations exist only through Organization records signed by the registry operator;
their keys and the record kinds they may issue come from those records. A key counts
from the leaf of its registration to the leaf of its revocation.
Run 'talentreg org SUBCOMMAND --help' for the options of each.
