#!/bin/bash
# MULTI/EXEC throughput on one server (run it against Spinel and Redis in turn, each pinned to
# CPU 1): 50 connections, each sending MULTI + 10 INCR + EXEC in one write and waiting for the
# replies (io.spinel.bench.TransactionLoad, pinned to CPU 0); one key per connection, then ten
# keys in ten slots per connection, then the same twelve commands without MULTI/EXEC for
# reference. Needs `mvn -q -o -DskipTests package` first.
PORT=$1
SECONDS_PER_RUN=${SECONDS_PER_RUN:-5}
JAVA=${JAVA:-/usr/lib/jvm/temurin-25-jdk-amd64/bin/java}
CLASSES="$(dirname "$0")/../bench/target/classes"
for i in $(seq 60); do redis-cli -p "$PORT" ping > /dev/null 2>&1 && break; sleep 1; done
redis-cli -p "$PORT" flushall > /dev/null
for round in 1 2; do
  echo "-- round $round"
  for mode in same spread plain; do
    taskset -c 0 "$JAVA" -cp "$CLASSES" io.spinel.bench.TransactionLoad "$PORT" 50 "$SECONDS_PER_RUN" $mode
  done
done
