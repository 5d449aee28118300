#!/bin/bash
# Large collections side by side: a 1,000,000-member sorted set and a 1,000,000-element list.
PORT=$1
awk 'BEGIN{for(b=0;b<1000;b++){printf "*2002\r\n$4\r\nZADD\r\n$7\r\nbigzset\r\n"; for(i=b*1000;i<(b+1)*1000;i++){s=i""; m="member:" i; printf "$%d\r\n%s\r\n$%d\r\n%s\r\n", length(s), s, length(m), m}}}' | redis-cli -p $PORT --pipe > /dev/null
awk 'BEGIN{for(b=0;b<1000;b++){printf "*1002\r\n$5\r\nRPUSH\r\n$7\r\nbiglist\r\n"; for(i=b*1000;i<(b+1)*1000;i++){m="element:" i; printf "$%d\r\n%s\r\n", length(m), m}}}' | redis-cli -p $PORT --pipe > /dev/null
redis-cli -p $PORT zcard bigzset; redis-cli -p $PORT llen biglist
for round in 1 2; do
taskset -c 0 redis-benchmark -p $PORT -n 200000 -P 16 -q ZRANGEBYSCORE bigzset 500000 500010
taskset -c 0 redis-benchmark -p $PORT -n 200000 -P 16 -r 1000000 -q ZADD bigzset __rand_int__ member:__rand_int__
taskset -c 0 redis-benchmark -p $PORT -n 100000 -P 16 -q LINDEX biglist 500000
done
