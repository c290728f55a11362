# transcript: the credits a learner earned, each recognition with its conversion, and the
# totals per framework; the superseded credit is listed with why it does not count
setup: $TOP/tests/cli/data/records.sh
run: $TR transcript p-li-na-1999 | sed -E 's/(root |"root": ")[0-9a-f]{64}/\1<root>/g'
--- stdout
transcript of p-li-na-1999: 李娜 (Li Na)
from log size 22 (root <root>), no checkpoint covers it yet

credits earned: 3
  2025-01-10  工程伦理 (Engineering Ethics) [GE6021], 2 cn-credit, grade 优秀, 12350100488101234T
    record 95f19054b70011b0f97f51ae5d83190d078c2dc6077ff0211c18cbb1db2df04d, counts
    no recognition
  2025-07-25  Industrial Automation Lab [IAM-204], 5 ects, grade 1.7, 52350100MJD4C28059
    record b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb, counts
      recognised by 12350100488101234T on 2025-09-05 under agreement 29a5c6689c74: 2.5 cn-credit (ratio 0.5), as 工业自动化实验 (Industrial Automation Lab) [EE5102], grade 良好
        record 0297442e01fbc6cc291a190338874590d1189e885ae5f2bfaf87cd3092eefcb7
  2025-07-24  Industrial Automation Lab [IAM-204], 6 ects, grade 1.7, 52350100MJD4C28059
    record 798a93d293d046d55b919ed67c2f757aa51fe837944607654e131604b882d557, does not count: superseded: superseded by record b77d2eb326ca734ed0924e29c28866db9e294335ea81a713341203297beb8ebb (Revocation e566f8047371fd14f2f265d999ea75846d3cd03975c6c55b7561cc545b3b412d at leaf 18)
    no recognition

totals
  earned (credits that count): 2 cn-credit, 5 ects
  recognised (converted): 2.5 cn-credit
--- stderr
