# the 66-byte secretKeyMultibase form (seed and public key) of the digitalbazaar vector, --json
run: $TR key import --json --out k.pem --multibase zrv3rbPamVDGvrm7LkYPLWYJ35P9audujKKsWn3x29EUiGwwhdZQd1iHhrsmZidtVALBQmhX3j9E5Fvx6Kr29DPt6LH
--- stdout
{
  "did": "did:key:z6MkwXG2WjeQnNxSoynSGYU8V9j3QzP3JSqhdmkHc6SaVWoT",
  "verificationMethod": "did:key:z6MkwXG2WjeQnNxSoynSGYU8V9j3QzP3JSqhdmkHc6SaVWoT#z6MkwXG2WjeQnNxSoynSGYU8V9j3QzP3JSqhdmkHc6SaVWoT",
  "publicKeyMultibase": "z6MkwXG2WjeQnNxSoynSGYU8V9j3QzP3JSqhdmkHc6SaVWoT",
  "publicKeyHex": "fd9cfadf88d8244bda70f0ec443f5454cf8321a15160676854ec556ae8d31c6a",
  "verifierKey": "talentreg+4dd738c0+Af2c+t+I2CRL2nDw7EQ/VFTPgyGhUWBnaFTsVWro0xxq"
}
--- stderr
