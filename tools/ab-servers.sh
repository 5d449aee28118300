#!/usr/bin/env bash
# tools/ab-servers.sh JAR_A JAR_B
#
# Starts two Spinel builds side by side for an A/B comparison: JAR_A on port 7002, JAR_B on 7003,
# both pinned to CPU 1 with the launcher's defaults and `--save ''`, then warms each with the
# commands of the bench-vs-redis workloads (`-P 16 -t set,get` and the mixed tests, the client
# on CPU 0) and flushes them. Copy server/target/spinel-server.jar aside for each build first
# (the launcher runs a jar given in SPINEL_CLASSPATH). Then, for example:
#   WORKLOADS=mixed ../shared/tools/bench-vs-redis.sh 7003 7002 new old
#   tools/cpu-per-request.sh 7002 300000 -t mset -r 1000000
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
start() {
  SPINEL_CLASSPATH=$1 taskset -c 1 "$root/bin/spinel-server" --port "$2" --save '' --loglevel warning > "/tmp/spinel-$2.log" 2>&1 &
}
start "$1" 7002
start "$2" 7003
for port in 7002 7003; do
  for _ in $(seq 100); do redis-cli -p "$port" ping > /dev/null 2>&1 && break; sleep 0.2; done
done
for port in 7002 7003; do
  taskset -c 0 redis-benchmark -p "$port" -q -n 300000 -P 16 -t set,get -r 1000000 > /dev/null
  taskset -c 0 redis-benchmark -p "$port" -q -n 100000 -t lpush,lpop,sadd,hset,zadd,incr,mset,lrange_100,set,get -r 1000000 > /dev/null
  redis-cli -p "$port" flushall > /dev/null
done
