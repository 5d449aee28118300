#!/usr/bin/env python3
"""Writes Spinel's command table (server/src/main/resources/io/spinel/command/commands.json)
from a running Redis: COMMAND INFO gives arity, flags, ACL categories, tips and key specs,
COMMAND DOCS gives group, since, summary, complexity, history and the argument tree.

    tools/gen-command-table.py PORT > commands.json

Entries that a later Redis added (and the Redis we query lacks) are kept from the existing file:
pass it as second argument to merge.
"""
import json, socket, sys


def encode(args):
    out = b'*%d\r\n' % len(args)
    for a in args:
        a = a.encode()
        out += b'$%d\r\n%s\r\n' % (len(a), a)
    return out


class Reader:
    def __init__(self, sock):
        self.sock, self.buf = sock, b''

    def line(self):
        while b'\r\n' not in self.buf:
            self.buf += self.sock.recv(1 << 20)
        line, self.buf = self.buf.split(b'\r\n', 1)
        return line

    def exact(self, n):
        while len(self.buf) < n + 2:
            self.buf += self.sock.recv(1 << 20)
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def value(self):
        line = self.line()
        kind, rest = chr(line[0]), line[1:].decode()
        if kind in '+':
            return rest
        if kind == '-':
            raise RuntimeError(rest)
        if kind == ':':
            return int(rest)
        if kind == '$':
            return None if rest == '-1' else self.exact(int(rest)).decode()
        if kind in '*~':
            return [self.value() for _ in range(int(rest))]
        if kind == '%':
            m = {}
            for _ in range(int(rest)):
                k = self.value()
                m[k] = self.value()
            return m
        if kind == '_':
            return None
        raise RuntimeError('unexpected reply ' + line.decode())


def call(reader, sock, *args):
    sock.sendall(encode(list(args)))
    return reader.value()


# CMD_PROTECTED: gated by enable-debug-command / enable-module-command; COMMAND INFO hides it.
PROTECTED = ('debug', 'module')


def key_spec(spec):
    out = {}
    if 'notes' in spec:
        out['notes'] = spec['notes']
    out['flags'] = spec['flags']
    out['begin_search'] = spec['begin_search']
    out['find_keys'] = spec['find_keys']
    return out


def entry(info, docs):
    name, arity, flags, first, last, step, acl, tips, specs, subs = info
    e = {'name': name, 'arity': arity, 'flags': flags, 'acl_categories': acl}
    if tips:
        e['tips'] = tips
    if specs:
        e['key_specs'] = [key_spec(s) for s in specs]
    e['legacy_range'] = [first, last, step]
    if name in PROTECTED:
        e['protected'] = True
    for field in ('summary', 'since', 'group', 'complexity', 'module', 'doc_flags', 'deprecated_since',
                  'replaced_by', 'history', 'arguments'):
        if field in docs:
            e[field] = docs[field]
    if subs:
        subdocs = docs.get('subcommands', {})
        e['subcommands'] = sorted((entry(s, subdocs.get(s[0], {})) for s in subs), key=lambda x: x['name'])
    return e


def main():
    port = int(sys.argv[1])
    sock = socket.create_connection(('127.0.0.1', port))
    reader = Reader(sock)
    call(reader, sock, 'HELLO', '3')
    infos = call(reader, sock, 'COMMAND', 'INFO')
    docs = call(reader, sock, 'COMMAND', 'DOCS')
    table = {i[0]: entry(i, docs.get(i[0], {})) for i in infos}
    if len(sys.argv) > 2:
        with open(sys.argv[2]) as f:
            for old in json.load(f):
                table.setdefault(old['name'], old)
    out = sorted(table.values(), key=lambda x: x['name'])
    print('[')
    print(',\n'.join(json.dumps(e, separators=(',', ':')) for e in out))
    print(']')


main()
