"""What notify_diff.py and tracking_diff.py share: a RESP connection, walking a step file, and
the command line.

A step file has one step per line, split like a shell line; '#' lines and blank lines are
skipped. Each script supplies how two servers run a step; this compares the outcomes."""
import argparse
import shlex
import socket
import sys


class Connection:
    """A plain RESP client on one socket: commands out, replies parsed (RESP2) or raw."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.buf = b""

    def write(self, args):
        out = [b"*%d\r\n" % len(args)]
        for a in args:
            b = a.encode()
            out.append(b"$%d\r\n%s\r\n" % (len(b), b))
        self.sock.sendall(b"".join(out))

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise ConnectionError("connection closed")
        self.buf += chunk

    def read(self):
        """One RESP2 reply: ('+'|'-', text), an int, a str, None, or a list."""
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b"-"):
            return (kind.decode(), rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < n + 2:
                self._fill()
            data, self.buf = self.buf[:n], self.buf[n + 2:]
            return data.decode(errors="replace")
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ValueError("unexpected reply byte %r" % kind)

    def send(self, args):
        self.write(args)
        return self.read()

    def drain(self, quiet_s):
        """Every byte received until the server has sent nothing for `quiet_s` seconds."""
        data, self.buf = self.buf, b""
        self.sock.settimeout(quiet_s)
        try:
            while True:
                chunk = self.sock.recv(65536)
                if not chunk:
                    break
                data += chunk
        except socket.timeout:
            pass
        self.sock.settimeout(10)
        return data


def run_file(path, sides, step):
    """Runs every step of `path` on each side with step(side, words); returns (passed, failed)
    and prints each step whose outcomes differ."""
    passed = failed = 0
    for n, raw in enumerate(open(path), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        got = [step(s, words) for s in sides]
        if got[0] == got[1]:
            passed += 1
        else:
            failed += 1
            print("%s:%d: %s\n   A: %s\n   B: %s" % (path, n, line, repr(got[0])[:400],
                                                     repr(got[1])[:400]))
    return passed, failed


def main(doc, make_sides, step):
    """--a PORT --b PORT FILE...: fresh sides per file (make_sides(a, b)); exit 0 only if every
    step matched."""
    ap = argparse.ArgumentParser(description=doc,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", type=int, required=True, help="port of the server under test")
    ap.add_argument("--b", type=int, required=True, help="port of the reference server")
    ap.add_argument("files", nargs="+")
    o = ap.parse_args()
    total_p = total_f = 0
    for f in o.files:
        p, fl = run_file(f, make_sides(o.a, o.b), step)
        total_p += p
        total_f += fl
    print("%d passed, %d failed" % (total_p, total_f))
    sys.exit(0 if total_f == 0 else 1)
