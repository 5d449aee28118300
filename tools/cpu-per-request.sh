#!/usr/bin/env bash
# tools/cpu-per-request.sh PORT N [redis-benchmark arguments...]
#
# The server CPU time per request of one redis-benchmark run: the user and system time of the
# process listening on 127.0.0.1:PORT (its process_id from INFO, so Spinel and Redis alike),
# read from /proc/PID/stat before and after `redis-benchmark -n N ARGS` (the client pinned to
# CPU 0), divided by N. Prints: port P: user U sys S us/op, R requests per second.
# Far steadier than ops/s on a shared machine; alternate runs between the servers compared.
# With Spinel, `CONFIG SET io-busy-poll 0` first: otherwise polling counts as CPU time.
set -euo pipefail
port=$1 n=$2
shift 2
pid=$(redis-cli -p "$port" info server | tr -d '\r' | awk -F: '$1 == "process_id" {print $2}')
read -r user0 sys0 < <(awk '{print $14, $15}' "/proc/$pid/stat")
rps=$(taskset -c 0 redis-benchmark -p "$port" -n "$n" -q "$@" | tr '\r' '\n' | grep -o '[0-9.]* requests per second' | tail -1)
read -r user1 sys1 < <(awk '{print $14, $15}' "/proc/$pid/stat")
ticks=$(getconf CLK_TCK)
awk -v p="$port" -v u=$((user1 - user0)) -v s=$((sys1 - sys0)) -v n="$n" -v t="$ticks" -v r="$rps" \
  'BEGIN { printf "port %s: user %.3f sys %.3f us/op, %s\n", p, u * 1e6 / t / n, s * 1e6 / t / n, r }'
