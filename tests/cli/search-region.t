# search over records signed and submitted to the sample region, indexed from the log by
# --reindex: names, phrases and words; --verified-only leaves out the credit that
# ex/revocation.yaml supersedes
setup: $TOP/tests/cli/data/region.sh
setup: printf 'kind: Person\nissuer: 12350100488101234T\nsubject: p-li-na-1999\nname: 李娜\nalternateName: Li Na\ncategories: [student]\nhome: 12350100488101234T\n' > li-na.yaml
setup: printf 'kind: Person\nissuer: 12350100488101234T\nsubject: p-li-nan-2001\nname: 李楠\nalternateName: Li Nan\ncategories: [student]\nhome: 12350100488101234T\n' > li-nan.yaml
setup: awk '/^---$/ { n++; next } { print > ("credit" n ".yaml") }' ex/credits.yaml
setup: for f in li-na li-nan; do $TR issue $f.yaml --key minjiang.pem --created 2025-01-01T08:00:00Z --out $f.json; done
setup: $TR issue ex/enterprise-placement.yaml --key ningde.pem --created 2025-01-01T08:00:00Z --out placement.json
setup: $TR issue ex/contribution.yaml --key minjiang.pem --created 2025-01-01T08:00:00Z --out contribution.json
setup: $TR issue ex/dual-appointment.yaml --key minjiang.pem --created 2025-01-01T08:00:00Z --out da1.json
setup: $TR cosign da1.json --key ningde.pem --created 2025-01-02T08:00:00Z --out da2.json
setup: for n in 1 2; do $TR issue credit$n.yaml --key sino.pem --created 2025-08-01T08:00:00Z --out credit$n.json; done
setup: $TR issue ex/revocation.yaml --key sino.pem --created 2025-08-02T08:00:00Z --out revocation.json
setup: $TR submit li-na.json li-nan.json placement.json contribution.json da2.json credit1.json credit2.json revocation.json > /dev/null
run: { $TR search --reindex; $TR search 李娜; $TR search 李; $TR search 电池; $TR search 'Industrial Automation'; $TR search --verified-only 'Industrial Automation'; $TR search --verified-only --person p-li-na-1999 'lab'; echo "exit $?"; } 2>&1
--- stdout
indexed 13 records
Person - p-li-na-1999 0a21f40850ad13aa0a0ffb88e2ea27273016cda4780a52e06b7e236e088ba151
  [李娜] · Li Na
Person - p-li-na-1999 0a21f40850ad13aa0a0ffb88e2ea27273016cda4780a52e06b7e236e088ba151
  [李]娜 · Li Na
Person - p-li-nan-2001 b2d4f193886b68882cf6dfd61e88a2e56728822fb1815493e375f26f18b954f9
  [李]楠 · Li Nan
EnterprisePlacement 2024-03-01 p-zhang-wei-1984 0d2b3777e69869c490da91edc385e952299c61c7fc47084253837259b9253159
  [电池]管理系统研发 (battery management system R&D)
Organization 2024-01-02 91350900MA2Y8K3Q1U 4fc8a59fc82b02d30e254400acc6d71fbc7546a11af18fc46b42e5f03bb660b2
  宁德新能源[电池]有限公司 · Ningde New Energy Battery Co., Ltd.
Contribution 2025-05-20 p-zhang-wei-1984 473f345fd6897537ad2bfc4046d9d8fb80ffa92f3b315f6e2269c1ba1fb2a830
  一种动力[电池]单体均衡管理方法 (a cell-balancing method for power batteries)
DualAppointment 2024-09-01 p-wang-jianguo-1970 3cbd22e7682a8418b461ec77decb271e678dc2037ac503ce19a737ae9f05e58f
  产业教授
  industrial_professor · 动力[电池]系统设计实践 (Power Battery System Design Practice) · 指导工程硕士研…
Credit 2025-07-25 p-li-na-1999 b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb
  [Industrial] [Automation] Lab
Credit 2025-07-24 p-li-na-1999 798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557
  [Industrial] [Automation] Lab
Credit 2025-07-25 p-li-na-1999 b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb
  [Industrial] [Automation] Lab
Credit 2025-07-25 p-li-na-1999 b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb
  Industrial Automation [Lab]
exit 0
