#!/usr/bin/env python3
"""Draws the Strata/Redis throughput ratios as an SVG chart (standard library only).

Reads a CSV with the columns test,cache,session,queue (one row per benchmark test, one ratio
per profile, as docs/benchmarks.md explains) and writes a horizontal grouped bar chart: one
group of three bars per test, one bar per profile, and a dashed line at 1.0, where Strata and
Redis are equally fast. A bar that ends right of the line means Strata was faster.

  tools/bench_chart.py [--csv docs/bench-ratios.csv] [--out docs/bench-ratios.svg]
"""
import argparse
import csv
import math
import os
import sys
from xml.sax.saxutils import escape

PROFILES = [("cache", "#8c8c8c"), ("session", "#3b75af"), ("queue", "#e1812c")]

# Layout, in SVG user units (pixels).
LABEL_W = 130     # room for the test names left of the bars
PLOT_W = 520      # width of the bar area
RIGHT_PAD = 20
TOP = 64          # title and legend above the bars
BOTTOM = 62       # axis labels and the pairings below
BAR_H = 6
GROUP_GAP = 7     # between two tests


def read_rows(path):
    with open(path, newline="") as f:
        reader = csv.DictReader(f)
        missing = {"test"} | {p for p, _ in PROFILES}
        missing -= set(reader.fieldnames or [])
        if missing:
            sys.exit(f"bench_chart.py: {path} lacks column(s): {', '.join(sorted(missing))}")
        rows = []
        for row in reader:
            try:
                ratios = [float(row[p]) for p, _ in PROFILES]
            except ValueError:
                sys.exit(f"bench_chart.py: {path}: a ratio of '{row['test']}' is not a number")
            rows.append((row["test"], ratios))
    if not rows:
        sys.exit(f"bench_chart.py: {path} has no rows")
    return rows


def svg(rows, title):
    top_ratio = max(max(r) for _, r in rows)
    x_max = max(1.2, math.ceil(top_ratio * 5 + 0.5) / 5)  # a 0.2 step past the largest bar
    group_h = BAR_H * len(PROFILES) + GROUP_GAP
    plot_h = group_h * len(rows)
    width = LABEL_W + PLOT_W + RIGHT_PAD
    height = TOP + plot_h + BOTTOM

    def x(ratio):
        return LABEL_W + PLOT_W * ratio / x_max

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">',
        f'<rect width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="{width / 2:.1f}" y="20" text-anchor="middle" font-size="14" '
        f'font-weight="bold">{escape(title)}</text>',
    ]
    # Legend.
    lx = LABEL_W
    for name, color in PROFILES:
        out.append(f'<rect x="{lx}" y="34" width="12" height="10" fill="{color}"/>')
        out.append(f'<text x="{lx + 16}" y="43">{name}</text>')
        lx += 80
    out.append(f'<text x="{lx + 10}" y="43" fill="#555555">dashed line: as fast as Redis</text>')
    # Grid and axis labels every 0.2.
    steps = int(round(x_max / 0.2))
    for i in range(steps + 1):
        value = i * 0.2
        gx = x(value)
        out.append(f'<line x1="{gx:.1f}" y1="{TOP}" x2="{gx:.1f}" y2="{TOP + plot_h}" '
                   'stroke="#e4e4e4" stroke-width="1"/>')
        out.append(f'<text x="{gx:.1f}" y="{TOP + plot_h + 16}" text-anchor="middle">'
                   f'{value:.1f}</text>')
    out.append(f'<text x="{LABEL_W + PLOT_W / 2:.1f}" y="{TOP + plot_h + 34}" '
               'text-anchor="middle">Strata ops/s divided by Redis ops/s</text>')
    out.append(f'<text x="{width / 2:.1f}" y="{TOP + plot_h + 52}" text-anchor="middle" '
               'fill="#555555">Redis: no persistence (vs cache), AOF everysec (vs session), '
               'AOF always (vs queue)</text>')
    # Bars.
    for g, (test, ratios) in enumerate(rows):
        gy = TOP + g * group_h + GROUP_GAP / 2
        label_y = gy + BAR_H * len(PROFILES) / 2 + 4
        out.append(f'<text x="{LABEL_W - 8}" y="{label_y:.1f}" text-anchor="end">'
                   f'{escape(test)}</text>')
        for i, ((name, color), ratio) in enumerate(zip(PROFILES, ratios)):
            by = gy + i * BAR_H
            bw = x(ratio) - LABEL_W
            out.append(f'<rect x="{LABEL_W}" y="{by:.1f}" width="{bw:.1f}" height="{BAR_H - 1}" '
                       f'fill="{color}"><title>{escape(test)}, {name}: {ratio:.2f}</title></rect>')
    # The line at 1.0 and the axis, drawn over the bars.
    one = x(1.0)
    out.append(f'<line x1="{one:.1f}" y1="{TOP - 4}" x2="{one:.1f}" y2="{TOP + plot_h}" '
               'stroke="#c0392b" stroke-width="1.5" stroke-dasharray="5,3"/>')
    out.append(f'<line x1="{LABEL_W}" y1="{TOP}" x2="{LABEL_W}" y2="{TOP + plot_h}" '
               'stroke="#333333" stroke-width="1"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--csv", default=os.path.join(root, "docs", "bench-ratios.csv"))
    ap.add_argument("--out", default=os.path.join(root, "docs", "bench-ratios.svg"))
    ap.add_argument("--title", default="Strata / Redis throughput, by test and profile")
    args = ap.parse_args()
    rows = read_rows(args.csv)
    with open(args.out, "w") as f:
        f.write(svg(rows, args.title))
    print(f"wrote {args.out} ({len(rows)} tests)")


if __name__ == "__main__":
    main()
