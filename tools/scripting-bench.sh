#!/bin/bash
# Scripting throughput on one server (run it against Spinel and Redis in turn): EVALSHA of a
# script doing three redis.call, and FCALL of the same body registered as a function, with 50
# clients (one request in flight each) and with 50 clients pipelining 16.
PORT=$1
B="taskset -c 0 redis-benchmark -p $PORT -q"
BODY="redis.call('SET', KEYS[1], ARGV[1]) redis.call('INCR', KEYS[2]) return redis.call('GET', KEYS[1])"
SHA=$(redis-cli -p $PORT script load "$BODY")
redis-cli -p $PORT function load replace "#!lua name=bench
redis.register_function('three', function(KEYS, ARGV) $BODY end)" > /dev/null
for round in 1 2; do
  echo "-- round $round"
  $B -n 200000 -c 50 EVALSHA "$SHA" 2 bench:k bench:n v
  $B -n 200000 -c 50 FCALL three 2 bench:k bench:n v
  $B -n 400000 -c 50 -P 16 EVALSHA "$SHA" 2 bench:k bench:n v
  $B -n 400000 -c 50 -P 16 FCALL three 2 bench:k bench:n v
done
