#!/bin/bash
# bgsave-bench.sh PORT [N]: fills the server with N (default 1000000) small string keys (DEBUG POPULATE),
# times one BGSAVE (from the command to rdb_bgsave_in_progress:0, polled every 10 ms), then compares
# GET/SET latency with no save running and with back-to-back BGSAVEs running for the whole benchmark.
# The server needs enable-debug-command yes and a writable dir.
port=$1; n=${2:-1000000}
cli() { redis-cli -p $port "$@"; }
bench() { redis-benchmark -p $port -t set,get -n 300000 -c 20 -r $n --precision 2 2>/dev/null | tr '\r' '\n' \
  | awk '/====== /{c=$2} /throughput summary/{t=$3} /avg *min *p50/{getline; print "  " c ": " t " rps; avg min p50 p95 p99 max (ms): " $0}'; }
cli flushall >/dev/null
cli debug populate $n >/dev/null
echo "keys: $(cli dbsize)"
saved() { cli info persistence | grep -q 'rdb_bgsave_in_progress:0'; }
while ! saved; do sleep 0.01; done
start=$(date +%s%N)
cli bgsave >/dev/null
sleep 0.01
while ! saved; do sleep 0.01; done
echo "BGSAVE of $n keys: $(( ($(date +%s%N) - start) / 1000000 )) ms, status $(cli info persistence | awk -F: '/rdb_last_bgsave_status/{print $2}' | tr -d '\r')"
echo "no save running:"; bench
( while [[ ! -f /tmp/bgsave-bench-stop.$port ]]; do cli bgsave >/dev/null 2>&1; sleep 0.01; while ! saved; do sleep 0.01; done; done ) &
loop=$!
echo "back-to-back BGSAVEs:"; bench
touch /tmp/bgsave-bench-stop.$port; wait $loop; rm -f /tmp/bgsave-bench-stop.$port
echo "uptime: $(uptime)"
