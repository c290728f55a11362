# dossier --format html: one self-contained file; record text that holds markup and URLs is
# escaped and stays text (no tag of the file loads or runs anything)
setup: $TOP/tests/cli/data/records.sh
setup: printf '%s\n' 'kind: Person' 'issuer: 12350100488101234T' 'subject: p-mallory-2000' 'name: <script src="https://evil.example/x.js">alert(1)</script>' 'alternateName: <img src=http://evil.example/p.png onerror=alert(2)>' 'categories: [teacher]' 'home: 12350100488101234T' > m1.yaml
setup: printf '%s\n' 'kind: EnterprisePlacement' 'issuer: 91350900MA2Y8K3Q1U' 'subject: p-mallory-2000' 'validFrom: 2024-03-01' 'validUntil: 2024-05-31' 'host: 91350900MA2Y8K3Q1U' 'home: 12350100488101234T' 'fte: 0.5' 'form: post' 'project: "</title></rect><style>@import url(https://evil.example/a.css)</style>"' > m2.yaml
setup: $TR issue m1.yaml --key minjiang.pem --created 2025-06-01T08:00:00Z --out m1.json
setup: $TR issue m2.yaml --key ningde.pem --created 2025-06-01T08:00:00Z --out m2.json
setup: $TR submit m1.json m2.json
run: $TR dossier p-mallory-2000 --as-of 2025-12-31 --format html --out m.html && $TOP/tests/cli/data/html-check.sh m.html && grep -c '<svg class="timeline"' m.html && grep -o '<title>Dossier of [^<]*</title>' m.html && grep -o 'alternateName\|&lt;img src=http://evil.example/p.png onerror=alert(2)&gt;' m.html | sort | uniq -c
--- stdout
doctype: <!DOCTYPE html>
tags: 620
tags that load or run something: 0
tags naming a URL: 0
event handlers: 0
stylesheet lines that fetch: 0
escaped script tags in the text: 2
1
<title>Dossier of p-mallory-2000</title>
      2 &lt;img src=http://evil.example/p.png onerror=alert(2)&gt;
--- stderr
