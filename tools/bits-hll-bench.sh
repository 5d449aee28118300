#!/bin/bash
# Bitmap and HyperLogLog throughput on one server (run it against Spinel and Redis in turn):
# a 1 MB bitmap (SETBIT at its last bit), then PFADD of random elements into a dense HLL.
PORT=$1
B="taskset -c 0 redis-benchmark -p $PORT -q"
redis-cli -p $PORT del bm hll > /dev/null
redis-cli -p $PORT setbit bm 8388607 1 > /dev/null
for round in 1 2; do
  echo "-- round $round"
  $B -n 200000 -P 16 SETBIT bm 4194304 1
  $B -n 200000 -P 16 GETBIT bm 4194304
  $B -n 20000 -c 50 BITCOUNT bm
  $B -n 20000 -c 50 BITPOS bm 1
  $B -n 200000 -P 16 -r 1000000 PFADD hll __rand_int__
  $B -n 200000 -P 16 PFCOUNT hll
done
