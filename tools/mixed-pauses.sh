#!/usr/bin/env bash
# tools/mixed-pauses.sh LABEL ["JVM FLAGS"]
#
# The tests of bench-vs-redis.sh's `mixed` workload (SCALE=0.5), in its order, four rounds, each
# round after a FLUSHALL, against Spinel alone: a fresh server on port 7002 pinned to CPU 1 (the
# client on CPU 0) with the given JVM flags and a GC log, warmed as docs/benchmarks.md describes.
# Prints per test the ops/s of each round and the young-collection pause time that fell inside
# its runs, then the total; the per-run lines are in /tmp/mixed-pauses-LABEL.txt. For comparing
# collector settings by the pauses they leave in the tests, without a second server's noise.
set -euo pipefail
label=$1 flags=${2:-}
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log=/tmp/mixed-pauses-$label.gc.log
out=/tmp/mixed-pauses-$label.txt
redis-cli -p 7002 shutdown nosave > /dev/null 2>&1 || true
rm -f "$log"
SPINEL_JAVA_OPTS="$flags -Xlog:gc:file=$log" taskset -c 1 "$root/bin/spinel-server" --port 7002 --save '' \
  --loglevel warning > /tmp/mixed-pauses-$label.server.log 2>&1 &
for _ in $(seq 100); do redis-cli -p 7002 ping > /dev/null 2>&1 && break; sleep 0.2; done
taskset -c 0 redis-benchmark -p 7002 -q -n 1000000 -P 16 -r 1000000 -t set,get > /dev/null
taskset -c 0 redis-benchmark -p 7002 -q -n 200000 -r 1000000 -t lpush,lpop,sadd,hset,zadd,incr,mset,lrange_100,set,get > /dev/null
tests='LPUSH|100000|-c 50 -r 1000000 -t lpush
LRANGE_100|50000|-c 50 lrange mylist 0 99
LPOP|100000|-c 50 -r 1000000 -t lpop
SADD|100000|-c 50 -r 1000000 -t sadd
HSET|100000|-c 50 -r 1000000 -t hset
ZADD|100000|-c 50 -r 1000000 -t zadd
INCR|100000|-c 50 -r 1000000 -t incr
MSET10|50000|-c 50 -r 1000000 -t mset'
for round in 1 2 3 4; do
  redis-cli -p 7002 flushall > /dev/null
  while IFS='|' read -r name n args; do
    lines=$(wc -l < "$log")
    # shellcheck disable=SC2086 # the arguments are meant to split
    rps=$(taskset -c 0 redis-benchmark -p 7002 -n "$n" --csv $args | tail -1 | cut -d, -f2 | tr -d '"')
    pauses=$(tail -n +$((lines + 1)) "$log" | awk '/Pause.*ms$/ {sub("ms", "", $NF); s += $NF} END {printf "%.0f", s}')
    echo "$round $name $rps $pauses"
  done <<< "$tests"
done > "$out"
redis-cli -p 7002 shutdown nosave > /dev/null 2>&1 || true
awk -v label="$label" '{ops[$2] = ops[$2] " " int($3 / 1000); ms[$2] += $4; total += $4}
  END {for (t in ops) printf "%s %-10s k ops/s:%s  pauses %d ms\n", label, t, ops[t], ms[t]; print label, "pauses in all runs", total, "ms"}' "$out" | sort
