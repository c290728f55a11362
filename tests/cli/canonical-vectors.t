# every RFC 8785 vector canonicalises to its expected bytes
run: export LC_ALL=C; for f in $VEC/jcs/*.input.json; do n=${f%.input.json}; $TR canonical "$f" | cmp - "$n.output.json" && echo "${n##*/} ok"; done
--- stdout
arrays ok
french ok
rfc8785-sorting ok
structures ok
unicode ok
values ok
weird ok
--- stderr
