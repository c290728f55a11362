# --json: one object a query, results best first, the snippet as pieces marked as matches
setup: $(dirname $TR)/tools/bench-search fill talent.db 60 >/dev/null
run: $TR search teacher --limit 2 --json; echo "exit $?"; $TR search --json 'lithium batt*'; echo "exit $?"
--- stdout
{"query":"teacher","offset":0,"results":[{"recordId":"61d2ab7bcaa5ab78597f05a26906be61bd98b48b294bb9ff0f5f5a2b3916cdd6","leaf":11,"kind":"Person","issuer":"12350100YA5J4UYLW5","subject":"urn:talentreg:person:p-liang-guojun-1","date":null,"score":3.714,"title":"梁国军 · Liang Guojun","snippet":[{"text":"teacher","match":true}]},{"recordId":"d8a5c0979e45aa661cf712dd94b8e6c1f3cbaf99f6b8b7ec1689e161ac4e899c","leaf":22,"kind":"Person","issuer":"12350100CG427MHW3J","subject":"urn:talentreg:person:p-xu-xiuxia-4","date":null,"score":3.714,"title":"徐秀霞 · Xu Xiuxia","snippet":[{"text":"teacher","match":true}]}],"more":true}
exit 0
{"query":"lithium batt*","offset":0,"results":[{"recordId":"2b92a1f9cf358d50c6dd682efef78589659b337deadc931ec74eff0d14e47b04","leaf":14,"kind":"EnterprisePlacement","issuer":"91350100G826325KEL","subject":"urn:talentreg:person:p-luo-wenyu-0","date":"2019-06-28","score":9.5432,"title":"锂电材料运维 (lithium battery materials maintenance)","snippet":[{"text":"锂电材料运维 (","match":false},{"text":"lithium","match":true},{"text":" ","match":false},{"text":"battery","match":true},{"text":" materials maintenance)","match":false}]}],"more":false}
exit 0
