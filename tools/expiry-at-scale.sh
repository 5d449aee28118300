#!/bin/bash
# expiry-at-scale.sh PORT [N]: loads N (default 1000000) keys all expiring at one instant T (PXAT), then from T polls DBSIZE
# every 100 ms until 0 while redis-benchmark GETs run; prints reclaim time and latency.
port=$1; n=${2:-1000000}
out=$(mktemp)
cli() { redis-cli -p $port "$@"; }
cli flushall >/dev/null
bench() { redis-benchmark -p $port -t get -n 200000 -c 10 -r 100000 --precision 2 2>/dev/null | tr '\r' '\n' | awk '/throughput summary/{t=$3} /avg *min *p50/{getline; print t " rps; avg min p50 p95 p99 max (ms): " $0}'; }
echo "baseline (no expiry): $(bench)"
now=$(date +%s%3N); T=$((now + 25000))
awk -v n=$n -v t=$T 'BEGIN{for(i=0;i<n;i++){k="key:" i; printf "*5\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$1\r\nv\r\n$4\r\nPXAT\r\n$%d\r\n%s\r\n", length(k),k,length(t ""),t ""}}' | cli --pipe | tail -1
echo "loaded $(cli dbsize) keys, $(( (T - $(date +%s%3N)) )) ms before they expire"
while (( $(date +%s%3N) < T - 300 )); do sleep 0.05; done
bench > $out &
bp=$!
while (( $(date +%s%3N) < T )); do sleep 0.01; done
while :; do
  s=$(cli dbsize); el=$(( $(date +%s%3N) - T ))
  echo "t+${el}ms dbsize=$s"
  [[ $s == 0 ]] && break
  (( el > 60000 )) && break
  sleep 0.1
done | awk 'NR%10==1 || /dbsize=0$/'
wait $bp
echo "during reclamation: $(cat $out)"
echo "uptime: $(uptime)"; rm -f "$out"
