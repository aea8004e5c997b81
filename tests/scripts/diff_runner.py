"""What resp_diff.py, notify_diff.py and tracking_diff.py share: a RESP connection, walking a
step file, and the command line.

A step file has one step per line, split like a shell line; '#' lines and blank lines are
skipped, and a line '@sleep MS' pauses for MS milliseconds. Each script supplies how two
servers run a step; this compares the outcomes."""
import argparse
import codecs
import shlex
import socket
import sys
import time


class Connection:
    """A plain RESP client on one socket: commands out; replies parsed typed (RESP2 and RESP3),
    parsed in RESP2's plain shape, or raw.

    read_typed() returns a reply as a tuple whose first element is its RESP type byte:
      ('+', text) ('-', text) (':', int) ('$', bytes)  ('$', None) is RESP2's null bulk string
      ('*', [reply...]) ('*', None) is RESP2's null array
      ('_', None) ('#', bool) (',', text) ('(', text)  doubles and big numbers keep their text
      ('=', (format, bytes)) ('!', text)
      ('%', [(key, value)...]) ('~', [reply...]) ('>', [reply...])
      ('|', [(key, value)...], reply)  the attribute map and the reply it annotates"""

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

    def _line(self):
        while b"\r\n" not in self.buf:
            self._fill()
        line, self.buf = self.buf.split(b"\r\n", 1)
        return line

    def _blob(self, n):
        while len(self.buf) < n + 2:
            self._fill()
        data, self.buf = self.buf[:n], self.buf[n + 2:]
        return data

    def read_typed(self):
        """One reply of any RESP2 or RESP3 type, in the tuple form above."""
        line = self._line()
        if not line:
            raise ValueError("empty reply line")
        kind, rest = line[:1].decode(errors="replace"), line[1:]
        if kind in "+-":
            return (kind, rest.decode(errors="replace"))
        if kind == ":":
            return (kind, int(rest))
        if kind in ",(":
            return (kind, rest.decode(errors="replace"))
        if kind == "_":
            return (kind, None)
        if kind == "#":
            if rest not in (b"t", b"f"):
                raise ValueError("bad boolean %r" % rest)
            return (kind, rest == b"t")
        if kind in "$!=":
            n = int(rest)
            if n < 0:
                if kind != "$":
                    raise ValueError("negative length for %r" % kind)
                return (kind, None)
            data = self._blob(n)
            if kind == "!":
                return (kind, data.decode(errors="replace"))
            if kind == "=":
                if data[3:4] != b":":
                    raise ValueError("verbatim string without a format: %r" % data[:8])
                return (kind, (data[:3].decode(errors="replace"), data[4:]))
            return (kind, data)
        if kind in "*~>":
            n = int(rest)
            if n < 0:
                if kind != "*":
                    raise ValueError("negative length for %r" % kind)
                return (kind, None)
            return (kind, [self.read_typed() for _ in range(n)])
        if kind in "%|":
            pairs = [(self.read_typed(), self.read_typed()) for _ in range(int(rest))]
            if kind == "|":
                return (kind, pairs, self.read_typed())
            return (kind, pairs)
        raise ValueError("unexpected reply byte %r" % line[:1])

    def read(self):
        """One reply in RESP2's plain shape: ('+'|'-', text), an int, a str, None, or a list."""
        return plain(self.read_typed())

    def send(self, args):
        self.write(args)
        return self.read()

    def send_typed(self, args):
        self.write(args)
        return self.read_typed()

    def read_more(self, quiet_s):
        """The replies that arrive until the server has sent nothing for `quiet_s` seconds."""
        self.buf = self.drain(quiet_s)
        replies = []
        while self.buf:
            replies.append(self.read_typed())
        return replies

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


def plain(reply):
    """A typed reply (Connection.read_typed) in RESP2's plain shape: simple strings and errors
    as ('+'|'-', text), integers as int, strings of every kind as str, nulls as None,
    aggregates as lists (a map flattened to key, value, ...), booleans as bool; attributes
    dropped."""
    kind, value = reply[0], reply[1]
    if kind == "|":
        return plain(reply[2])
    if kind in "+-":
        return (kind, value)
    if kind == "!":
        return ("-", value)
    if value is None or kind in ":#,(":
        return value
    if kind == "$":
        return value.decode(errors="replace")
    if kind == "=":
        return value[1].decode(errors="replace")
    if kind == "%":
        return [plain(x) for pair in value for x in pair]
    return [plain(r) for r in value]


def run_file(path, sides, step, describe=None):
    """Runs every step of `path` on each side with step(side, words); returns (passed, failed)
    and prints each step whose outcomes differ, with describe(a, b) (lines of text) or their
    reprs."""
    passed = failed = 0
    for n, raw in enumerate(open(path), 1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        words = shlex.split(line)
        if words[0] == "@escapes":  # backslash escapes (\n, \t, \xHH) in the words decoded
            words = [codecs.decode(w, "unicode_escape") for w in words[1:]]
        if words[0] == "@sleep":
            time.sleep(int(words[1]) / 1000.0)
            continue
        got = [step(s, words) for s in sides]
        if got[0] == got[1]:
            passed += 1
            continue
        failed += 1
        print("%s:%d: %s" % (path, n, line))
        if describe:
            print(describe(got[0], got[1]))
        else:
            print("   A: %s\n   B: %s" % (repr(got[0])[:400], repr(got[1])[:400]))
    return passed, failed


def arguments(doc, add_options=None):
    """The command line: --a PORT --b PORT, what add_options(parser) adds, then FILE..."""
    ap = argparse.ArgumentParser(description=doc,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--a", type=int, required=True, help="port of the server under test")
    ap.add_argument("--b", type=int, required=True, help="port of the reference server")
    if add_options:
        add_options(ap)
    ap.add_argument("files", nargs="+")
    return ap.parse_args()


def run_files(files, make_sides, step, describe=None):
    """Every file on fresh sides (make_sides()); prints 'N passed, M failed' and exits 0 only if
    every step matched."""
    total_p = total_f = 0
    for f in files:
        p, fl = run_file(f, make_sides(), step, describe)
        total_p += p
        total_f += fl
    print("%d passed, %d failed" % (total_p, total_f))
    sys.exit(0 if total_f == 0 else 1)


def main(doc, make_sides, step):
    """--a PORT --b PORT FILE...: fresh sides per file (make_sides(a, b)); exit 0 only if every
    step matched."""
    o = arguments(doc)
    run_files(o.files, lambda: make_sides(o.a, o.b), step)
