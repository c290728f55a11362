# "-" reads standard input; non-BMP keys sort by UTF-16 code units (U+1F600 before U+FB33)
run: $TR canonical -
--- stdin
{ "\ufb33": 1, "\ud83d\ude00": 2, "b": [1.50, -0, 1E21, 1e-7, 0.000001],
  "a": {"z": null, "y": "tab\there"} }
--- stdout -n
{"a":{"y":"tab\there","z":null},"b":[1.5,0,1e+21,1e-7,0.000001],"😀":2,"דּ":1}
--- stderr
