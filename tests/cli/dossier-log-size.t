# dossier --log-size: as the archive stood before the Revocation at leaf 18, the mistaken
# 6 ECTS credit still counted; at the whole log it is superseded (the same credit, left out)
setup: $TOP/tests/cli/data/records.sh
run: $TR dossier p-li-na-1999 --as-of 2025-12-31 --policy engineering-doctorate-credits --log-size 18 | sed -n '1,2p;/^Credit/,/^$/p' | sed -E 's/(root |"root": ")[0-9a-f]{64}/\1<root>/g'; $TR dossier p-li-na-1999 --as-of 2025-12-31 --policy engineering-doctorate-credits | sed -n '1,2p;/^Credit/,/^$/p' | sed -E 's/(root |"root": ")[0-9a-f]{64}/\1<root>/g'
--- stdout
dossier of p-li-na-1999: 李娜 (Li Na), student, home 闽江理工大学
as of 2025-12-31, from log size 18 (root <root>), no checkpoint covers it yet
Credit
  95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d  counts, leaf 13
    工程伦理 (Engineering Ethics) [GE6021], 2 cn-credit, grade 优秀, earned 2025-01-10, 闽江理工大学
  b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb  counts, leaf 14
    Industrial Automation Lab [IAM-204], 5 ects, grade 1.7, earned 2025-07-25, 中德智能制造学院
  798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557  counts, leaf 15
    Industrial Automation Lab [IAM-204], 6 ects, grade 1.7, earned 2025-07-24, 中德智能制造学院

CreditRecognition
  0297442e01fbc6cc291a190338874590d1189e885ae5f2bfaf87cd3092eefcb7  counts, leaf 17
    recognised on 2025-09-05: credit b77d2eb326ca under agreement 29a5c6689c74, 2.5 cn-credit as 工业自动化实验 (Industrial Automation Lab)

dossier of p-li-na-1999: 李娜 (Li Na), student, home 闽江理工大学
as of 2025-12-31, from log size 22 (root <root>), no checkpoint covers it yet
Credit
  95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d  counts, leaf 13
    工程伦理 (Engineering Ethics) [GE6021], 2 cn-credit, grade 优秀, earned 2025-01-10, 闽江理工大学
  b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb  counts, leaf 14
    Industrial Automation Lab [IAM-204], 5 ects, grade 1.7, earned 2025-07-25, 中德智能制造学院
  798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557  does not count, leaf 15
    Industrial Automation Lab [IAM-204], 6 ects, grade 1.7, earned 2025-07-24, 中德智能制造学院
    superseded: superseded by record b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb (Revocation e566f8047371fd14f2f265d999ea75846d3cd03975c6c55b7561cc545b3b412d at leaf 18)

CreditRecognition
  0297442e01fbc6cc291a190338874590d1189e885ae5f2bfaf87cd3092eefcb7  counts, leaf 17
    recognised on 2025-09-05: credit b77d2eb326ca under agreement 29a5c6689c74, 2.5 cn-credit as 工业自动化实验 (Industrial Automation Lab)

--- stderr
