"""How long does finding the free spot for a new card take? Figures, not a test: it prints and
never fails.

Cards of a layered team (app/model/layout.py spacing: 304 px between layers, 128 px between
rows, so no gap inside the block fits a card); the wanted spot is the middle of the block, the
worst case: the spot is outside it. free_spot (rows searched outwards, blocked intervals per
row) against a peer: the plain scan most editors write, every grid point nearest first, each
checked against every card, run on the same cards.

    python benchmarks/free_spot.py [--sizes 100 1000]   (the peer takes ~30 s at 1,000 cards)
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.model.layout import CARD_HEIGHT, CARD_WIDTH, GRID, free_spot

GAP = 24


def peer(taken, near):
    """Every grid point in growing squares, nearest first, checked against every card."""
    ox, oy = round(near[0] / GRID) * GRID, round(near[1] / GRID) * GRID
    r = 0
    while True:
        ring = [(dx, dy) for dx in range(-r, r + 1) for dy in range(-r, r + 1) if max(abs(dx), abs(dy)) == r]
        ring.sort(key=lambda d: d[0] * d[0] + d[1] * d[1])
        for dx, dy in ring:
            px, py = ox + dx * GRID, oy + dy * GRID
            if all(abs(px - x) >= CARD_WIDTH + GAP or abs(py - y) >= CARD_HEIGHT + GAP for x, y in taken):
                return px, py
        r += 1


def block(n: int):
    columns = max(1, round(math.sqrt(n * 1.6 * 128 / 304)))
    return [((i % columns) * 304.0, (i // columns) * 128.0) for i in range(n)]


def timed(fn, *args, repeat=5):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        result = fn(*args)
        times.append(time.perf_counter() - t)
    return statistics.median(times), result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", type=int, nargs="+", default=[100, 1000])
    args = ap.parse_args()
    print(f"{'cards':>6} {'free_spot ms':>13} {'peer ms':>10} {'ours/peer':>10}  same spot distance")
    for n in args.sizes:
        taken = block(n)
        xs, ys = [x for x, _ in taken], [y for _, y in taken]
        near = ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2)
        ours, a = timed(free_spot, taken, near)
        theirs, b = timed(peer, taken, near, repeat=1)
        same = math.isclose(math.dist(a, near), math.dist(b, near), abs_tol=GRID)
        print(f"{n:>6} {ours * 1000:>13.2f} {theirs * 1000:>10.1f} {ours / theirs:>10.4f}  {same}")


if __name__ == "__main__":
    main()
