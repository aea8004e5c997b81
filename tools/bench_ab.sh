#!/bin/bash
# Two strata-server builds side by side: does a change make any row of the bench table slower?
#   tools/bench_ab.sh OLD_SERVER NEW_SERVER [ROUNDS]
# Runs tools/bench.sh (one round each) ROUNDS times (default 3) for each binary, alternating
# which goes first, so drift on the machine hits both alike. Each run already pairs strata with
# redis-server, so a row's strata/redis ratio is comparable across runs even when the machine's
# speed swings. Prints, per row, the median ratio of each build and new/old. The BENCH_*
# variables of bench.sh (BENCH_TESTS, BENCH_PROFILES, BENCH_N, ...) pass through.
# Build the old binary in a worktree: git worktree add ../old REV && cmake -S ../old -B
# ../old/build && make -C ../old/build strata-server.
set -u
cd "$(dirname "$0")/.."
[ $# -ge 2 ] || { echo "usage: tools/bench_ab.sh OLD_SERVER NEW_SERVER [ROUNDS]" >&2; exit 2; }
old=$(realpath "$1") new=$(realpath "$2") rounds=${3:-3}
for bin in "$old" "$new"; do
  [ -x "$bin" ] || { echo "bench_ab.sh: no executable at $bin" >&2; exit 2; }
done
out=$(mktemp -d /tmp/strata-bench-ab.XXXXXX)
for ((r = 1; r <= rounds; r++)); do
  order=(old new)
  [ $((r % 2)) -eq 0 ] && order=(new old)
  for which in "${order[@]}"; do
    bin=$old
    [ "$which" = new ] && bin=$new
    echo "# round $r: $which ($bin)" >&2
    STRATA_SERVER=$bin BENCH_ROUNDS=1 tools/bench.sh >"$out/$which-$r.md" || exit 1
  done
done
python3 - "$out" "$rounds" <<'EOF'
import statistics, sys
out, rounds = sys.argv[1], int(sys.argv[2])
ratios = {}  # (profile, test, pipeline) -> {"old": [...], "new": [...]}
order = []
for which in ("old", "new"):
    for r in range(1, rounds + 1):
        for line in open(f"{out}/{which}-{r}.md"):
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 6 or cells[0] in ("profile", "---"):
                continue
            try:
                ratio = float(cells[3]) / float(cells[4])
            except (ValueError, ZeroDivisionError):
                continue
            row = tuple(cells[:3])
            if row not in ratios:
                ratios[row] = {"old": [], "new": []}
                order.append(row)
            ratios[row][which].append(ratio)
print(f"Median strata/redis ratio over {rounds} alternating rounds; raw tables in {out}.")
print()
print("| profile | test | pipeline | old | new | new/old |")
print("|---|---|---|---:|---:|---:|")
changes = []
for row in order:
    o, n = ratios[row]["old"], ratios[row]["new"]
    if not o or not n:
        continue
    mo, mn = statistics.median(o), statistics.median(n)
    changes.append(mn / mo)
    print(f"| {' | '.join(row)} | {mo:.2f} | {mn:.2f} | {mn / mo:.2f} |")
if changes:
    print()
    print(f"Geometric mean of new/old: {statistics.geometric_mean(changes):.3f} over {len(changes)} rows.")
EOF
