#!/usr/bin/env bash
# tools/eviction-bench.sh [flood|throughput|hitratio|lazyfree]...
#
# The cache benchmarks of docs/benchmarks.md, Spinel side by side with the installed redis-server,
# both with maxmemory 100mb:
# - flood: a write flood of random keys and 1 KB values (redis-benchmark, 50 connections,
#   pipeline 16) against Spinel started by bin/spinel-server: the highest RSS and used_memory
#   sampled every second, and whether the server survived.
# - throughput: SET requests per second once maxmemory is reached (every SET evicts), Spinel and
#   Redis with allkeys-lru.
# - hitratio: tools/zipf-cache.py's hit ratio under allkeys-lru and allkeys-lfu, maxmemory
#   holding about 10% of the keys.
# - lazyfree: p99 GET latency of other clients (redis-benchmark, 20 connections) while a
#   10,000,000-member set is deleted with DEL (and UNLINK), and the time the deletion took in the
#   server (INFO commandstats).
# Ports 17900-17901; each server is stopped by its pid.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
spinel_port=17900
redis_port=17901
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

start_spinel() {
  "$root/bin/spinel-server" --port $spinel_port --save "" "$@" >/tmp/eviction-bench-spinel.log 2>&1 &
  spinel_pid=$!
  pids+=("$spinel_pid")
  until redis-cli -p $spinel_port ping >/dev/null 2>&1; do sleep 0.2; done
}

start_redis() {
  redis-server --port $redis_port --save "" --appendonly no "$@" >/tmp/eviction-bench-redis.log 2>&1 &
  redis_pid=$!
  pids+=("$redis_pid")
  until redis-cli -p $redis_port ping >/dev/null 2>&1; do sleep 0.2; done
}

stop() { kill "$1"; wait "$1" 2>/dev/null || true; }

field() { redis-cli -p "$1" info "$2" | tr -d '\r' | awk -F: -v f="$3" '$1 == f {print $2}'; }

flood() {
  start_spinel --maxmemory 100mb --maxmemory-policy allkeys-lru
  local max_rss=0 max_used=0 rss used
  redis-benchmark -p $spinel_port -t set -r 100000000 -d 1024 -n 3000000 -c 50 -P 16 -q >/tmp/eviction-bench-flood.txt 2>&1 &
  local bench=$!
  while kill -0 $bench 2>/dev/null; do
    rss=$(( $(awk '{print $2}' /proc/$(pgrep -P $spinel_pid java || echo $spinel_pid)/statm 2>/dev/null || echo 0) * 4096 ))
    used=$(field $spinel_port memory used_memory || echo 0)
    (( rss > max_rss )) && max_rss=$rss
    (( ${used:-0} > max_used )) && max_used=$used
    sleep 1
  done
  echo "flood: $(tail -c 200 /tmp/eviction-bench-flood.txt | tr '\r' '\n' | grep 'requests per second' | tail -1)"
  echo "flood: max RSS $((max_rss / 1048576)) MB, max used_memory $((max_used / 1048576)) MB (maxmemory 100 MB)," \
    "evicted_keys $(field $spinel_port stats evicted_keys), alive: $(redis-cli -p $spinel_port ping)"
  stop $spinel_pid
}

throughput() {
  for server in spinel redis; do
    if [[ $server == spinel ]]; then start_spinel --maxmemory 100mb --maxmemory-policy allkeys-lru; port=$spinel_port; pid=$spinel_pid
    else start_redis --maxmemory 100mb --maxmemory-policy allkeys-lru; port=$redis_port; pid=$redis_pid; fi
    redis-benchmark -p $port -t set -r 100000000 -d 100 -n 2000000 -P 16 -q >/dev/null 2>&1 # fill to maxmemory
    echo "throughput $server: $(redis-benchmark -p $port -t set -r 100000000 -d 100 -n 2000000 -P 16 -q 2>&1 | tr '\r' '\n' | grep 'requests per second' | tail -1)," \
      "evicted_keys $(field $port stats evicted_keys)"
    stop $pid
  done
}

hitratio() {
  for policy in allkeys-lru allkeys-lfu; do
    for server in spinel redis; do
      if [[ $server == spinel ]]; then start_spinel --maxmemory 10mb --maxmemory-policy $policy; port=$spinel_port; pid=$spinel_pid
      else start_redis --maxmemory 10mb --maxmemory-policy $policy; port=$redis_port; pid=$redis_pid; fi
      echo "hitratio $policy $server: $(python3 "$root/tools/zipf-cache.py" $port)"
      stop $pid
    done
  done
}

lazyfree() {
  for server in spinel redis; do
    for del in DEL UNLINK; do
      if [[ $server == spinel ]]; then start_spinel; port=$spinel_port; pid=$spinel_pid
      else start_redis; port=$redis_port; pid=$redis_pid; fi
      python3 - "$port" <<'PY' | redis-cli -p "$port" --pipe >/dev/null
import sys
out = sys.stdout.buffer
for batch in range(10000):
    members = [b"%d" % (batch * 1000 + i) for i in range(1000)]
    parts = [b"SADD", b"big"] + members
    out.write(b"*%d\r\n" % len(parts) + b"".join(b"$%d\r\n%s\r\n" % (len(p), p) for p in parts))
PY
      redis-cli -p $port set probe v >/dev/null
      redis-benchmark -p $port -n 400000 -c 20 GET probe >/tmp/eviction-bench-lat.txt 2>&1 &
      local bench=$!
      sleep 1
      redis-cli -p $port $del big >/dev/null
      local took=$(redis-cli -p $port info commandstats | tr -d '\r' | awk -F'[=,]' -v c="cmdstat_${del,,}:calls" '$1 == c {print $4}')
      wait $bench
      echo "lazyfree $server $del: the $del took ${took} us in the server; GET during it: $(grep -i -A2 'latency summary' /tmp/eviction-bench-lat.txt | tail -1 | awk '{print "avg " $1 " ms, p50 " $3 " ms, p95 " $4 " ms, p99 " $5 " ms, max " $6 " ms"}')"
      stop $pid
    done
  done
}

for what in "${@:-flood throughput hitratio lazyfree}"; do
  for step in $what; do "$step"; done
done
