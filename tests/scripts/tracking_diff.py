#!/usr/bin/env python3
"""CLIENT TRACKING, differentially: the same script of commands from several clients against
two servers, and every byte each client receives compared.

    tracking_diff.py --a PORT --b PORT FILE [FILE ...]

FILE: one step per line, '<client> <command...>' split like a shell line, where <client> is a
letter naming a connection (opened on first use); '#' lines and blank lines are skipped.
Client ids differ between servers: '$x' in a command stands for client x's id, and an integer
reply equal to a client's id is compared as that client's name. After each step, every byte the stepping client
has been sent (its reply, and pushes before or after it) is read until the server goes quiet
for a moment, and compared raw: RESP3 pushes and RESP2 messages included. Each file starts with
FLUSHALL on fresh connections. Prints differences and 'N passed, M failed'; exit 0 only when
all matched. Standard library only."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diff_runner  # noqa: E402

QUIET_S = 0.05  # a server that has nothing more to send for this long has sent it all


class Side:
    def __init__(self, port):
        self.port = port
        self.clients = {}
        self.ids = {}

    def client(self, name):
        if name not in self.clients:
            c = diff_runner.Connection(self.port)
            self.ids[name] = str(c.send(["CLIENT", "ID"]))
            self.clients[name] = c
        return self.clients[name]

    def step(self, name, args):
        c = self.client(name)
        args = [self.ids.get(a[1:], a) if a.startswith("$") else a for a in args]
        c.write(args)
        out = c.drain(QUIET_S)
        for who, cid in self.ids.items():
            out = out.replace(b":%s\r\n" % cid.encode(), b":<id of %s>\r\n" % who.encode())
        return out


def make_sides(a, b):
    sides = [Side(a), Side(b)]
    for s in sides:
        s.step("_", ["FLUSHALL"])
    return sides


if __name__ == "__main__":
    diff_runner.main(__doc__, make_sides, lambda side, words: side.step(words[0], words[1:]))
