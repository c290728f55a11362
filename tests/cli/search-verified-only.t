# --verified-only keeps records that count: the synthetic records are not signed, so none
setup: $(dirname $TR)/tools/bench-search fill talent.db 60 >/dev/null
run: { $TR search 电池 --limit 1; echo "exit $?"; $TR search 电池 --verified-only; echo "exit $?"; } 2>&1
--- stdout
EnterprisePlacement 2019-08-04 p-zhuge-yong-8 6efd77dd094f7e510ac300d3f6923414ab932785fb2baecc3db2dc5030bb9d71
  动力[电池]设计 (power battery design)
more results follow: --offset 1
exit 0
talentreg: no record matches
exit 1
