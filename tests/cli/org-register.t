# the operator registers the sample organisations: one leaf each; registering them again
# changes nothing
setup: $TOP/tests/cli/data/region.sh keys
setup: $TR init --origin talentreg.example/test --operator-key op.pem > /dev/null
run: $TR org register ex/organizations.yaml --key op.pem && $TR org register --json ex/organizations.yaml --key op.pem | sed -n 1,8p && $TR log checkpoint --key op.pem | sed -n 2p
--- stdout
stored 9b80092354fb93d0e525d99bfc5aacd06a13f2122780a46c1112629aaef8b933 at leaf 0
stored 4fc8a59fc82b02d30e254400acc6d71fbc7546a11af18fc46b42e5f03bb660b2 at leaf 1
stored a8476372f4e091ac98da5fcba7927e743ade988ed29f303967425dbafcc54bbf at leaf 2
stored b0ab6ff584265fe8e5c29940a31f1f8d7ca208efd433f04a60a6dd5d219447ce at leaf 3
stored 369426ff66f8ff793e222e90fa76cd931a58208bd356b2bcef1ab10064a93bb6 at leaf 4
[
  {
    "file": "ex/organizations.yaml",
    "record": 1,
    "status": "duplicate",
    "recordId": "9b80092354fb93d0e525d99bfc5aacd06a13f2122780a46c1112629aaef8b933",
    "leaf": 0,
    "reasons": []
5
--- stderr
