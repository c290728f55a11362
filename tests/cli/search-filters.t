# filters on a store of 60 synthetic records: kinds, issuer, person and dates
setup: $(dirname $TR)/tools/bench-search fill talent.db 60 >/dev/null
run: { $TR search 琳 --kind Person; echo "exit $?"; $TR search 'batt*' --person p-luo-wenyu-0; echo "exit $?"; $TR search 电池 --kind EnterprisePlacement,Credit --from 2020-01-01; echo "exit $?"; $TR search 电池 --kind Credit --kind DualAppointment --to 2019-12-31; echo "exit $?"; $TR search 工程 --org 12350100YA5J4UYLW5; echo "exit $?"; $TR search 电池 --kind Person; echo "exit $?"; } 2>&1
--- stdout
Person - p-yang-lin-9 ab8d55da90f3bd38da3f7e204e3b36e43f54b273494a5a44e37aa9a9942fb30d
  杨[琳] · Yang Lin
Person - p-guo-linna-10 a47250cb45af90933cfdb4aa0f8d6fc4b399444e60651e802a1416ba60b660f6
  郭[琳]娜 · Guo Linna
exit 0
EnterprisePlacement 2019-06-28 p-luo-wenyu-0 2b92a1f9cf358d50c6dd682efef78589659b337deadc931ec74eff0d14e47b04
  锂电材料运维 (lithium [battery] materials maintenance)
EnterprisePlacement 2024-01-12 p-luo-wenyu-0 8ae08c5ea51a768a7c6f8ca69121662454789b593c11f25be980a8918a9e0280
  储能电池研发 (energy storage [battery] R&D)
exit 0
EnterprisePlacement 2024-01-12 p-luo-wenyu-0 8ae08c5ea51a768a7c6f8ca69121662454789b593c11f25be980a8918a9e0280
  储能[电池]研发 (energy storage battery R&D)
Credit 2020-12-15 p-han-xuepeng-5 32fbda17c3b9100a796c0ff235388d38f7fce4cb1c12d3847b15d8db70a0812d
  动力[电池]系统设计实践 (Power Battery System Design Practice)
exit 0
DualAppointment 2019-05-19 p-yang-lin-9 e55dd6e38bd2e0961d5bfcf8a8c34ec475432f4565c5c673a79db5ee1b3f4c72
  校外合作导师
  co_supervisor · 动力[电池]系统设计实践 (Power Battery System Design Practice) · 指导工程硕士研…
exit 0
Credit 2021-03-08 p-han-xuepeng-5 e44d6f42b22f25c59f81c7ebc786e74d9bb52c3f91086131a5e976643db03360
  [工程]伦理 (Engineering Ethics)
Credit 2024-07-28 p-liang-guojun-1 329361aeb853105fe1e6bd7a9d23cec53e8a58bb8dbb9de44e23a2a6573deac2
  [工程]伦理 (Engineering Ethics)
exit 0
talentreg: no record matches
exit 1
