"""What notify_diff.py and tracking_diff.py share: walking a step file and the command line.

A step file has one step per line, split like a shell line; '#' lines and blank lines are
skipped. Each script supplies how two servers run a step; this compares the outcomes."""
import argparse
import shlex
import sys


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
