#!/usr/bin/env python3
"""zipf-cache.py PORT [KEYS] [OPS]: the hit ratio of a cache-aside GET/SET workload with Zipf-
distributed keys (exponent 0.99) against a server on 127.0.0.1:PORT.

The server's maxmemory is set to hold about 10% of the keys: the script first measures what a key
costs on that server (used_memory over 10,000 keys of the workload's shape), so every server gets
the same fraction of the keys whatever its bytes per key. Then it reads keys in pipelined batches
of 100 GETs, SETs each miss (a cache filling itself from a slower store), and reports the hit ratio
of the GETs after a warm-up of a fifth of the operations. The random sequence is seeded: every
server sees the same requests."""
import socket
import sys

import numpy as np

VALUE = b"v" * 100


class Connection:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""

    def send(self, commands):
        out = []
        for parts in commands:
            out.append(b"*%d\r\n" % len(parts))
            for p in parts:
                out.append(b"$%d\r\n%s\r\n" % (len(p), p))
        self.sock.sendall(b"".join(out))

    def _line(self):
        while b"\r\n" not in self.buf:
            self.buf += self.sock.recv(1 << 16)
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def reply(self):
        line = self._line()
        if line[:1] == b"$":
            n = int(line[1:])
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self.buf += self.sock.recv(1 << 16)
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data
        if line[:1] == b"-":
            raise RuntimeError(line.decode())
        return line[1:]

    def call(self, *parts):
        self.send([parts])
        return self.reply()


def info(conn, field):
    for line in conn.call(b"INFO", b"memory").decode().split("\r\n"):
        if line.startswith(field + ":"):
            return int(line.split(":")[1])
    raise KeyError(field)


def key(i):
    return b"key:%012d" % i


def main():
    port = int(sys.argv[1])
    keys = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    ops = int(sys.argv[3]) if len(sys.argv) > 3 else 1_000_000
    conn = Connection(port)
    conn.call(b"CONFIG", b"SET", b"maxmemory", b"0")
    conn.call(b"FLUSHALL")
    empty = info(conn, "used_memory")
    sample = 10_000
    for start in range(0, sample, 1000):
        conn.send([(b"SET", key(i), VALUE) for i in range(start, start + 1000)])
        for _ in range(1000):
            conn.reply()
    per_key = (info(conn, "used_memory") - empty) / sample
    conn.call(b"FLUSHALL")
    limit = int(info(conn, "used_memory") + per_key * keys * 0.10)
    conn.call(b"CONFIG", b"SET", b"maxmemory", str(limit).encode())

    rng = np.random.default_rng(42)
    ranks = np.arange(1, keys + 1, dtype=np.float64)
    cdf = np.cumsum(1.0 / ranks ** 0.99)
    cdf /= cdf[-1]
    permutation = rng.permutation(keys)  # popular keys spread over the key space
    draws = permutation[np.searchsorted(cdf, rng.random(ops))]
    warmup = ops // 5
    hits = gets = 0
    for start in range(0, ops, 100):
        batch = draws[start:start + 100]
        conn.send([(b"GET", key(int(i))) for i in batch])
        misses = []
        for n, i in enumerate(batch):
            value = conn.reply()
            if start + n >= warmup:
                gets += 1
                hits += value is not None
            if value is None:
                misses.append(int(i))
        if misses:
            conn.send([(b"SET", key(i), VALUE) for i in misses])
            for _ in misses:
                conn.reply()
    print("hit ratio %.4f (%d keys, %.0f bytes/key, maxmemory %d, %d GETs measured)" % (hits / gets, keys, per_key, limit, gets))


if __name__ == "__main__":
    main()
