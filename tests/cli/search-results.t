# results on a store of 60 synthetic records (tools/bench-search fill): best first, a line
# of kind, date, subject and record id, then the text with each match in brackets; the
# record's names too when the match is elsewhere; paging with --limit and --offset
setup: $(dirname $TR)/tools/bench-search fill talent.db 60 >/dev/null
run: { $TR search 电池; echo "exit $?"; $TR search 'Batt*' --limit 3; echo "exit $?"; $TR search 'batt*' --limit 3 --offset 3; echo "exit $?"; $TR search 'batt*' --offset 6; echo "exit $?"; } 2>&1
--- stdout
EnterprisePlacement 2019-08-04 p-zhuge-yong-8 6efd77dd094f7e510ac300d3f6923414ab932785fb2baecc3db2dc5030bb9d71
  动力[电池]设计 (power battery design)
EnterprisePlacement 2024-01-12 p-luo-wenyu-0 8ae08c5ea51a768a7c6f8ca69121662454789b593c11f25be980a8918a9e0280
  储能[电池]研发 (energy storage battery R&D)
Organization - 91350100G826325KEL d27c5ae7e7855aabd95d0d1983a8308ea6a94dc2116ef5fe9a9b3c42d1d9fe40
  漳州[电池]科技有限公司 · Zhangzhou Battery Technology Co., Ltd.
Credit 2020-12-15 p-han-xuepeng-5 32fbda17c3b9100a796c0ff235388d38f7fce4cb1c12d3847b15d8db70a0812d
  动力[电池]系统设计实践 (Power Battery System Design Practice)
DualAppointment 2019-05-19 p-yang-lin-9 e55dd6e38bd2e0961d5bfcf8a8c34ec475432f4565c5c673a79db5ee1b3f4c72
  校外合作导师
  co_supervisor · 动力[电池]系统设计实践 (Power Battery System Design Practice) · 指导工程硕士研…
exit 0
EnterprisePlacement 2019-08-04 p-zhuge-yong-8 6efd77dd094f7e510ac300d3f6923414ab932785fb2baecc3db2dc5030bb9d71
  动力电池设计 (power [battery] design)
EnterprisePlacement 2019-06-28 p-luo-wenyu-0 2b92a1f9cf358d50c6dd682efef78589659b337deadc931ec74eff0d14e47b04
  锂电材料运维 (lithium [battery] materials maintenance)
EnterprisePlacement 2024-01-12 p-luo-wenyu-0 8ae08c5ea51a768a7c6f8ca69121662454789b593c11f25be980a8918a9e0280
  储能电池研发 (energy storage [battery] R&D)
more results follow: --offset 3
exit 0
Organization - 91350100G826325KEL d27c5ae7e7855aabd95d0d1983a8308ea6a94dc2116ef5fe9a9b3c42d1d9fe40
  漳州电池科技有限公司 · Zhangzhou [Battery] Technology Co., Ltd.
Credit 2020-12-15 p-han-xuepeng-5 32fbda17c3b9100a796c0ff235388d38f7fce4cb1c12d3847b15d8db70a0812d
  动力电池系统设计实践 (Power [Battery] System Design Practice)
DualAppointment 2019-05-19 p-yang-lin-9 e55dd6e38bd2e0961d5bfcf8a8c34ec475432f4565c5c673a79db5ee1b3f4c72
  校外合作导师
  co_supervisor · 动力电池系统设计实践 (Power [Battery] System Design Practice) · 指导工程硕士研…
exit 0
talentreg: no record matches
exit 1
