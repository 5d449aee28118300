#!/usr/bin/env bash
# stream-bench.sh PORT [N]
#
# Stream figures of a RUNNING server on 127.0.0.1:PORT (loopback only), the same for Spinel and
# Redis:
#   memory  FLUSHALL, wait SETTLE_S (default 12) s, read RSS (/proc/PID/status) and used_memory;
#           load N (default 1,000,000) entries `XADD bigstream <i+1>-0 sensor <i%100> reading <i>`
#           (two small fields) through `redis-cli --pipe`, wait SETTLE_S s, read again; print
#           bytes per entry. Explicit IDs so that both servers build the same blocks.
#   xadd    redis-benchmark -n REQS (default 200000) -c 50: `XADD bench * f1 v1 f2 v2`.
#   xreadgroup
#           a stream of REQS entries and a group at 0, then redis-benchmark -n REQS -c 50:
#           `XREADGROUP GROUP g c COUNT 1 STREAMS benchg >` (every call delivers one new entry
#           and adds it to the PEL).
# PARTS (default "memory throughput") picks what runs. WARMUP=1 loads the N entries once and
# flushes them before measuring memory, so that the one-time costs of a JVM's first load (code
# the JIT compiles, heap regions the collector sizes for the load's peak) are not counted per entry.
# Pin the server when you start it (`taskset -c 1 ...`), with `--save ''` (a Spinel started where a
# dump.rdb lies loads it first); the client runs on CLIENT_CPU (0).
set -uo pipefail
[[ $# -ge 1 ]] || { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2; }
PORT=$1; N=${2:-1000000}
REQS=${REQS:-200000}
SETTLE_S=${SETTLE_S:-12}
CLIENT_CPU=${CLIENT_CPU:-0}
PARTS=${PARTS:-memory throughput}
WARMUP=${WARMUP:-0}
cli() { redis-cli -h 127.0.0.1 -p "$PORT" "$@"; }
PID=$(cli info server | awk -F: '/^process_id:/{gsub(/\r/,"");print $2}')
rss_kb() { awk '/^VmRSS:/{print $2}' "/proc/$PID/status"; }
used() { cli info memory | awk -F: '/^used_memory:/{gsub(/\r/,"");print $2}'; }

echo "# stream-bench port=$PORT pid=$PID N=$N REQS=$REQS WARMUP=$WARMUP $(date '+%F %T')"
load() {
  awk -v n="$N" 'function bulk(s) { printf "$%d\r\n%s\r\n", length(s), s }
    BEGIN { for (i=0; i<n; i++) { printf "*7\r\n$4\r\nXADD\r\n"; bulk("bigstream"); bulk((i+1) "-0");
            bulk("sensor"); bulk(i % 100); bulk("reading"); bulk(i) } }' | cli --pipe | tail -1
}
if [[ $PARTS == *memory* ]]; then
  [[ $WARMUP == 1 ]] && load >/dev/null
  cli flushall >/dev/null; cli memory purge >/dev/null 2>&1; sleep "$SETTLE_S"
  r0=$(rss_kb); u0=$(used)
  load
  sleep "$SETTLE_S"
  r1=$(rss_kb); u1=$(used); len=$(cli xlen bigstream)
  awk -v n="$len" -v r0="$r0" -v r1="$r1" -v u0="$u0" -v u1="$u1" 'BEGIN {
    printf "memory: %d entries  RSS %.1f B/entry  used_memory %.1f B/entry  (RSS %d -> %d kB)\n",
      n, (r1-r0)*1024/n, (u1-u0)/n, r0, r1 }'
  cli xinfo stream bigstream | tr '\n' ' ' | cut -c1-120; echo
fi
[[ $PARTS == *throughput* ]] || exit 0

cli flushall >/dev/null
bench() { taskset -c "$CLIENT_CPU" redis-benchmark -h 127.0.0.1 -p "$PORT" -n "$REQS" -c 50 -q "$@" 2>&1 | tr '\r' '\n' | tail -1; }
echo -n "xadd: "; bench XADD bench '*' f1 v1 f2 v2
awk -v n="$REQS" 'function bulk(s) { printf "$%d\r\n%s\r\n", length(s), s }
  BEGIN { for (i=0; i<n; i++) { printf "*7\r\n$4\r\nXADD\r\n"; bulk("benchg"); bulk((i+1) "-0");
          bulk("f1"); bulk("v1"); bulk("f2"); bulk("v2") } }' | cli --pipe | tail -1 >/dev/null
cli xgroup create benchg g 0 >/dev/null
echo -n "xreadgroup: "; bench XREADGROUP GROUP g c COUNT 1 STREAMS benchg '>'
echo "pending after: $(cli xpending benchg g | head -1)"
cli flushall >/dev/null
