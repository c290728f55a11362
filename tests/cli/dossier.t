# dossier: a teacher's records by kind with their status, and a policy's criteria with the
# records that made each value and those left out
setup: $TOP/tests/cli/data/records.sh
run: $TR dossier p-zhang-wei-1984 --as-of 2025-12-31 --policy title-associate-professor-example | sed -E 's/(root |"root": ")[0-9a-f]{64}/\1<root>/g'
--- stdout
dossier of p-zhang-wei-1984: 张伟 (Zhang Wei), teacher, home 闽江理工大学
as of 2025-12-31, from log size 22 (root <root>), no checkpoint covers it yet

records: 5, of which 5 count

Person
  19e76f8eb01b5ef2896914e53f0284df1ed3b33ff179669fe2aefad6dba9e650  counts, leaf 5
    张伟 (Zhang Wei), teacher, home 闽江理工大学

EnterprisePlacement
  0d2b3777e69869c490da91edc385e952299c61c7fc47084253837259b9253159  counts, leaf 11
    2024-03-01 to 2024-08-31, rnd_project, FTE 1, at 宁德新能源电池有限公司, 1000 hours, 电池管理系统研发 (battery management system R&D)

Contribution
  473f345fd6897537ad2bfc4046d9d8fb80ffa92f3b315f6e2269c1ba1fb2a830  counts, leaf 19
    patent_transfer: 一种动力电池单体均衡管理方法 (a cell-balancing method for power batteries), 1200000 CNY, share 0.4, 2025-05-20

Evaluation
  093292f19134fbcfa269d304386d096b3b3fb43bfffc1f47ae1167e7f2fb200d  counts, leaf 20
    skill_master, overall score 88.3, evaluated 2025-03-18, 正高级工程师职称评审 (senior engineer title evaluation)
  16c2b25e753648247cfdf85460a2070999a7ca7c4c685edd7e3f1fa6c4609ad1  counts, leaf 21
    academic_leader, overall score 88.4, evaluated 2025-03-20, 正高级工程师职称评审 (senior engineer title evaluation)

policy title-associate-professor-example version 1 (an example): eligible
  副教授评审示例 (an example of associate professor title evaluation)
  enterprise-practice: 6.133333 months, threshold 6, met
    近5年企业实践不少于6个月 (at least 6 months of enterprise practice in 5 years) (教师〔2016〕3号 第四条)
    window rolling 5 years, 2021-01-01 to 2025-12-31
    fteDays 184, daysPerMonth 30
    counted:
      0d2b3777e698  6.133333  form rnd_project, fte 1, from 2024-03-01, until 2024-08-31, days 184, fteDays 184
  industrialisation: 48 points, threshold 20, met
    成果转化积分不少于20分 (at least 20 points of contributions to industrialisation) (example weights)
    window rolling 5 years, 2021-01-01 to 2025-12-31
    valueUnit 10000, currency CNY
    counted:
      473f345fd689  48  type patent_transfer, value 1200000, currency CNY, weight 1, share 0.4, achievedOn 2025-05-20
  cross-evaluation: 88.35 average score, threshold 80, met
    技能大师与学术带头人交叉评价，平均分不低于80 (cross-evaluation, average at least 80) (example rule)
    window rolling 5 years, 2021-01-01 to 2025-12-31
    evaluations 2, roles (skill_master 1, academic_leader 1), missingRoles none
    counted:
      093292f19134  88.3  role skill_master, score 88.3, evaluatedOn 2025-03-18
      16c2b25e7536  88.4  role academic_leader, score 88.4, evaluatedOn 2025-03-20
--- stderr
