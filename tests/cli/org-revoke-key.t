# an organisation revokes a key with another of its keys, never with the key itself; the
# operator may revoke any; a key of another organisation is not the organisation's to revoke
setup: $TOP/tests/cli/data/region.sh
run: D=did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf; $TR org revoke-key 91350100MA31XR6T22 $D --key fuzhou.pem; echo "exit $?"; $TR org revoke-key 91350100MA31XR6T22 $D --key fuzhou2.pem --reason 'laptop lost' --compromised-since 2; echo "exit $?"; $TR org revoke-key 91350100MA31XR6T22 did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG --key op.pem; echo "exit $?"; $TR org revoke-key 91350900MA2Y8K3Q1U did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG --key op.pem --json; echo "exit $?"; $TR org revoke-key 91350100MA31XR6T22 $D --key op.pem --compromised-since x; echo "exit $?"; $TR org revoke-key 91350100MA31XR6T2X did:key:zzz --key op.pem; echo "exit $?"
--- stdout
rejected 'did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf': self-revocation: proof 1: key did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf cannot sign its own revocation
exit 1
stored a9338e21bc3b24cb8657ec74f6ba47e6f58a2b075a3b2162ef2bae367be90248 at leaf 5
exit 0
rejected 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG': unknown-target: key did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG is not a key of 91350100MA31XR6T22
exit 1
[
  {
    "file": "did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG",
    "status": "stored",
    "recordId": "eb5785fe6b94687429fd3e716480aaaa35db341221b39e887cef576701d1360d",
    "leaf": 6,
    "reasons": []
  }
]
exit 0
exit 2
exit 1
--- stderr
talentreg: option '--compromised-since' needs a leaf index, not 'x'
talentreg: 'the key revocation': field 'credentialSubject.id' is not a valid unified social credit code: the check character must be '2', not 'X'
talentreg: 'the key revocation': field 'credentialSubject.key' is not a valid Ed25519 did:key: it must be 56 characters long
