#!/usr/bin/env python3
"""Replies, differentially: the same commands against two servers, every reply compared by type
and value, in RESP2 or in RESP3.

    resp_diff.py --a PORT --b PORT [--protocol 2|3] [--mask NAME ...] [--mask-xpending]
                 FILE [FILE ...]

FILE: one command per line, split like a shell line; '#' lines and blank lines are skipped,
'@sleep MS' pauses, and '@escapes COMMAND ...' sends COMMAND with backslash escapes in its words
decoded (a newline in a script: @escapes EVAL "#!lua\\nreturn 1" 0). Each file runs on a fresh
connection per server, which first sends HELLO 3 when --protocol is 3, then FLUSHALL. A command's outcome is its reply; a (un)subscribe or publish
command's outcome is every reply and push message received until the server goes quiet, since
one such command can be answered by several messages.

Replies are compared with their RESP types: a simple string is not a bulk string, a null bulk
string ($-1) is not a null array (*-1), and in RESP3 a map is not an array, a set is not an
array, a double or a verbatim string is not a bulk string, a boolean is not an integer, a push is
not an array, and attributes count. Doubles and big numbers are compared as the text sent.
What legitimately varies between two runs can be left out:
  --mask NAME       the value after a field NAME, in flat field/value arrays and in maps
                    (repeatable: --mask idle --mask seen-time)
  --mask-xpending   the idle column (third) of XPENDING's extended form
Prints each difference (file:line, command, both outcomes and the first place they part) and a
last line 'N passed, M failed'; exit status 0 only when every outcome matched. Standard library
only."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import diff_runner  # noqa: E402

# Commands whose one invocation can bring several messages (a confirmation per channel, a
# message delivered to this very connection).
MULTI_MESSAGE = {"SUBSCRIBE", "UNSUBSCRIBE", "PSUBSCRIBE", "PUNSUBSCRIBE", "SSUBSCRIBE",
                 "SUNSUBSCRIBE", "PUBLISH", "SPUBLISH"}
QUIET_S = 0.1  # a server that has sent nothing more for this long has sent it all
MASKED = ("masked",)
SHOW_LIMIT = 600


def field_name(reply):
    """The text of a bulk or simple string (a field name), or None."""
    if reply[0] == "$" and reply[1] is not None:
        return reply[1].decode(errors="replace")
    if reply[0] == "+":
        return reply[1]
    return None


def masked(reply, cmd, names, xpending):
    """`reply` with the values --mask and --mask-xpending leave out replaced by MASKED."""
    kind = reply[0]
    if kind == "|":
        return (kind, masked(("%", reply[1]), cmd, names, xpending)[1],
                masked(reply[2], cmd, names, xpending))
    if kind == "%":
        return (kind, [(masked(k, cmd, names, xpending),
                        MASKED if field_name(k) in names else masked(v, cmd, names, xpending))
                       for k, v in reply[1]])
    if kind not in "*~>" or reply[1] is None:
        return reply
    items = [masked(r, cmd, names, xpending) for r in reply[1]]
    if xpending and cmd == "XPENDING" and items and all(
            r[0] == "*" and r[1] is not None and len(r[1]) == 4 for r in items):
        items = [("*", [r[1][0], r[1][1], MASKED, r[1][3]]) for r in items]
    if names and len(items) % 2 == 0:
        for i in range(0, len(items), 2):
            if field_name(reply[1][i]) in names:
                items[i + 1] = MASKED
    return (kind, items)


def show(reply):
    """A reply as compact text that keeps its type: +simple -error :int "bulk" $-1 *-1 _ #t
    ,double (bignum =txt:"verbatim" !blob-error [array] ~{set} >[push] %{map} |{attrs}."""
    kind, value = reply[0], reply[1] if len(reply) > 1 else None
    if reply is MASKED or kind == "masked":
        return "<masked>"
    if kind == "exception":
        return "<%s>" % value
    if kind == "frames":
        return " ; ".join(show(r) for r in value)
    if value is None:
        return {"$": "$-1", "*": "*-1"}.get(kind, kind)
    if kind in "+-:,(!":
        return "%s%s" % (kind, value)
    if kind == "#":
        return "#t" if value else "#f"
    if kind == "$":
        return '"%s"' % value.decode(errors="backslashreplace").replace('"', '\\"')
    if kind == "=":
        return '=%s:"%s"' % (value[0], value[1].decode(errors="backslashreplace"))
    if kind in "%|":
        text = "%s{%s}" % (kind, ", ".join("%s: %s" % (show(k), show(v)) for k, v in value))
        return text + (" " + show(reply[2]) if kind == "|" else "")
    body = ", ".join(show(r) for r in value)
    return {"*": "[%s]", "~": "~{%s}", ">": ">[%s]"}[kind] % body


def children(reply):
    """(label, child) for each element of an aggregate (map keys and values both count)."""
    kind, value = reply[0], reply[1] if len(reply) > 1 else None
    if value is None or kind not in ("*", "~", ">", "%", "|", "frames"):
        return []
    if kind in "%|":
        out = []
        for i, (k, v) in enumerate(value):
            out += [("{key %d}" % i, k), ("{%s}" % show(k)[:40], v)]
        if kind == "|":
            out.append(("(annotated)", reply[2]))
        return out
    return [("[%d]" % i, r) for i, r in enumerate(value)]


def parting(a, b, path=""):
    """Where a and b first differ: (path, part of a, part of b)."""
    if a == b:
        return None
    ka, kb = children(a), children(b)
    if a[0] == b[0] and ka and kb and len(ka) == len(kb) and len(a) == len(b):
        for (label, x), (_, y) in zip(ka, kb):
            if x != y:
                return parting(x, y, path + label)
    return path, a, b


def describe(a, b):
    where, pa, pb = parting(a, b)
    lines = ["   A: " + show(a)[:SHOW_LIMIT], "   B: " + show(b)[:SHOW_LIMIT]]
    if where:
        lines.append("   first difference at %s: A %s, B %s"
                     % (where, show(pa)[:200], show(pb)[:200]))
    return "\n".join(lines)


class Side:
    def __init__(self, port, options):
        self.port = port
        self.o = options
        self.conn = diff_runner.Connection(port)
        if options.protocol == 3:
            hello = self.conn.send_typed(["HELLO", "3"])
            if hello[0] != "%":
                sys.exit("resp_diff.py: HELLO 3 on port %d answered %s" % (port, show(hello)))
        flushed = self.conn.send_typed(["FLUSHALL"])
        if flushed != ("+", "OK"):
            sys.exit("resp_diff.py: FLUSHALL on port %d answered %s" % (port, show(flushed)))

    def run(self, words):
        cmd = words[0].upper()
        try:
            replies = [self.conn.send_typed(words)]
            if cmd in MULTI_MESSAGE:
                replies += self.conn.read_more(QUIET_S)
        except Exception as e:  # a closed connection or a missing reply is an outcome too
            return ("exception", type(e).__name__)
        replies = [masked(r, cmd, self.o.mask, self.o.mask_xpending) for r in replies]
        return replies[0] if len(replies) == 1 else ("frames", replies)


def options(ap):
    ap.add_argument("--protocol", type=int, choices=(2, 3), default=2,
                    help="3: HELLO 3 on connecting, replies compared with RESP3's types")
    ap.add_argument("--mask", action="append", default=[], metavar="NAME",
                    help="leave out the value after field NAME (flat arrays and maps)")
    ap.add_argument("--mask-xpending", action="store_true",
                    help="leave out the idle column of XPENDING's extended form")


if __name__ == "__main__":
    o = diff_runner.arguments(__doc__, options)
    o.mask = set(o.mask)
    diff_runner.run_files(o.files, lambda: [Side(o.a, o), Side(o.b, o)],
                          lambda side, words: side.run(words), describe)
