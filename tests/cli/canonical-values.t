# the RFC 8785 section 3.2.2 example: numbers, escapes and member order; no final newline
run: $TR canonical $VEC/jcs/values.input.json
--- stdout -n
{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}
--- stderr
