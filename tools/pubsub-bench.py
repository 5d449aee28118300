#!/usr/bin/env python3
"""Pub/sub and keyspace-notification throughput on one server (run it against Spinel and Redis in turn).

pubsub-bench.py PORT [SUBSCRIBERS] [MESSAGES]

1. fan-out: SUBSCRIBERS connections (default 100) SUBSCRIBE one channel; redis-benchmark
   PUBLISHes MESSAGES (default 200,000) 16-byte messages to it (-P 16, one connection); the
   subscribers read raw bytes until every message arrived. Reports publishes/s (redis-benchmark)
   and messages delivered per second (all subscribers, first publish to last byte received).
2. notifications: redis-benchmark SET and HSET (-P 16) with notify-keyspace-events off, then
   KEA, then KEA with one subscriber of __key*@*__:* reading everything.
"""
import re
import selectors
import socket
import subprocess
import sys
import threading
import time


def command(*args):
    out = b'*%d\r\n' % len(args)
    for arg in args:
        arg = arg.encode() if isinstance(arg, str) else arg
        out += b'$%d\r\n%s\r\n' % (len(arg), arg)
    return out


def call(port, *args):
    with socket.create_connection(('127.0.0.1', port)) as s:
        s.sendall(command(*args))
        return s.recv(65536)


def benchmark(port, args):
    out = subprocess.run(['taskset', '-c', '0', 'redis-benchmark', '-p', str(port), '-q'] + args,
                         capture_output=True, text=True).stdout
    lines = [line.strip() for line in re.split(r'[\r\n]', out) if 'requests per second' in line]
    return lines[-1] if lines else out


class Readers(threading.Thread):
    """Reads every subscriber socket until `expected` bytes arrived in all (after the confirmations)."""

    def __init__(self, sockets, confirmation, expected):
        super().__init__(daemon=True)
        self.sockets, self.confirmation, self.expected = sockets, confirmation, expected
        self.first = self.last = None
        self.received = 0

    def run(self):
        selector = selectors.DefaultSelector()
        for s in self.sockets:
            s.setblocking(False)
            selector.register(s, selectors.EVENT_READ)
        target = len(self.sockets) * (self.confirmation + self.expected)
        while self.received < target:
            for key, _ in selector.select(timeout=30):
                data = key.fileobj.recv(1 << 20)
                if not data:
                    raise SystemExit('a subscriber was disconnected')
                self.received += len(data)
                now = time.perf_counter()
                if self.first is None and self.received > len(self.sockets) * self.confirmation:
                    self.first = now
                self.last = now


def fanout(port, subscribers, messages):
    channel = 'bench'
    payload = 'x' * 16
    confirmation = len(b'*3\r\n$9\r\nsubscribe\r\n$5\r\nbench\r\n:1\r\n')
    message = len(command('message', channel, payload))
    sockets = []
    for _ in range(subscribers):
        s = socket.create_connection(('127.0.0.1', port))
        s.sendall(command('SUBSCRIBE', channel))
        sockets.append(s)
    for s in sockets:
        got = b''
        while len(got) < confirmation:
            got += s.recv(confirmation - len(got))
    readers = Readers(sockets, 0, messages * message)
    readers.start()
    start = time.perf_counter()
    result = benchmark(port, ['-n', str(messages), '-P', '16', 'PUBLISH', channel, payload])
    readers.join(timeout=300)
    elapsed = readers.last - start
    print(f'fan-out to {subscribers}: {result} | delivered {subscribers * messages / elapsed:,.0f} messages/s '
          f'({subscribers * messages:,} in {elapsed:.2f} s)')
    for s in sockets:
        s.close()


def notifications(port):
    for flags, subscribe in (('', False), ('KEA', False), ('KEA', True)):
        call(port, 'CONFIG', 'SET', 'notify-keyspace-events', flags)
        sub = None
        stop = threading.Event()
        if subscribe:
            sub = socket.create_connection(('127.0.0.1', port))
            sub.sendall(command('PSUBSCRIBE', '__key*@*__:*'))
            sub.recv(1000)

            def drain():
                sub.settimeout(0.5)
                while not stop.is_set():
                    try:
                        if not sub.recv(1 << 20):
                            return
                    except socket.timeout:
                        pass
            threading.Thread(target=drain, daemon=True).start()
        for test in (['-t', 'set', '-r', '100000'], ['-r', '100000', 'HSET', 'h:__rand_int__', 'f', 'v']):
            print(f'notify-keyspace-events "{flags}"{" + subscriber" if subscribe else ""}: '
                  f'{benchmark(port, ["-n", "500000", "-P", "16"] + test)}')
        stop.set()
        if sub:
            sub.close()
    call(port, 'CONFIG', 'SET', 'notify-keyspace-events', '')


if __name__ == '__main__':
    port = int(sys.argv[1])
    subscribers = int(sys.argv[2]) if len(sys.argv) > 2 else 100
    messages = int(sys.argv[3]) if len(sys.argv) > 3 else 200_000
    for round_ in (1, 2):
        print(f'-- round {round_}')
        fanout(port, subscribers, messages)
        notifications(port)
