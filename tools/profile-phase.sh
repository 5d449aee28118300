#!/usr/bin/env bash
# tools/profile-phase.sh OUT "WARM" "PROFILED"
#
# A CPU profile of one phase of a load: starts Spinel on port 7004 (pinned to CPU 1,
# `io-busy-poll 0` so that waiting does not show), runs the redis-benchmark argument lists of
# WARM without the profiler (several separated by |), attaches async-profiler
# ($ASYNC_PROFILER, the path of libasyncProfiler.so; the jar tools.profiler:async-profiler holds
# it) through `jcmd JVMTI.agent_load`, runs PROFILED, and writes collapsed stacks to OUT.
# Example: tools/profile-phase.sh /tmp/get.collapsed "-n 2000000 -P 16 -r 1000000 -t set" \
#            "-n 3000000 -P 16 -r 1000000 -t get"
# Frames of inlined code are attributed loosely (-XX:+DebugNonSafepoints helps, not always).
set -euo pipefail
out=$1 warm=$2 profiled=$3
lib=${ASYNC_PROFILER:?the path of libasyncProfiler.so}
root=$(cd "$(dirname "$0")/.." && pwd)
SPINEL_JAVA_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints" taskset -c 1 \
  "$root/bin/spinel-server" --port 7004 --io-busy-poll 0 --save '' --loglevel warning > /tmp/spinel-7004.log 2>&1 &
for _ in $(seq 100); do redis-cli -p 7004 ping > /dev/null 2>&1 && break; sleep 0.2; done
pid=$(redis-cli -p 7004 info server | tr -d '\r' | awk -F: '$1 == "process_id" {print $2}')
jcmd=$(dirname "$(readlink -f "/proc/$pid/exe")")/jcmd
IFS='|' read -ra runs <<< "$warm"
for args in "${runs[@]}"; do taskset -c 0 redis-benchmark -p 7004 -q $args > /dev/null; done
"$jcmd" "$pid" JVMTI.agent_load "$lib" '"start,event=cpu,interval=100us"' > /dev/null
IFS='|' read -ra runs <<< "$profiled"
for args in "${runs[@]}"; do taskset -c 0 redis-benchmark -p 7004 -q $args | tr '\r' '\n' | grep 'requests per second' | tail -1; done
"$jcmd" "$pid" JVMTI.agent_load "$lib" "\"stop,file=$out,collapsed\"" > /dev/null
redis-cli -p 7004 shutdown nosave > /dev/null 2>&1 || true
