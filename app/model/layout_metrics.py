"""How readable a layout is, measured the same way for ours and for Graphviz's (benchmarks and tests).

Each relation is drawn as a straight segment between the centres of its two cards (a pair linked
both ways, or by a hand-off and a parallel link, is one segment). Counted: pairs of segments that
cross (sharing a card does not count), segments that pass through a third card, pairs of cards
that overlap, and the area of the bounding box of all cards.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

Point = tuple[float, float]


@dataclass(frozen=True)
class LayoutMetrics:
    crossings: int
    through_cards: int
    overlaps: int
    width: float
    height: float

    @property
    def area(self) -> float:
        return self.width * self.height


def _orient(a: Point, b: Point, c: Point) -> float:
    return (b[0] - a[0]) * (c[1] - a[1]) - (b[1] - a[1]) * (c[0] - a[0])


def segments_cross(p1: Point, p2: Point, q1: Point, q2: Point) -> bool:
    """Whether the two segments cross at a point inside both (touching or collinear does not)."""
    d1, d2 = _orient(q1, q2, p1), _orient(q1, q2, p2)
    d3, d4 = _orient(p1, p2, q1), _orient(p1, p2, q2)
    return d1 * d2 < 0 and d3 * d4 < 0


def segment_hits_box(a: Point, b: Point, box: tuple[float, float, float, float]) -> bool:
    """Whether segment a–b passes through the open rectangle (x0, y0, x1, y1) (Liang–Barsky)."""
    x0, y0, x1, y1 = box
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - x0), (dx, x1 - a[0]), (-dy, a[1] - y0), (dy, y1 - a[1])):
        if p == 0:
            if q <= 0:
                return False
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 >= t1:
            return False
    return True


def measure(positions: Mapping[str, Point], edges: Iterable[tuple[str, str]],
            width: float, height: float) -> LayoutMetrics:
    """The metrics of cards of `width`×`height` with top-left corners at `positions`."""
    if not positions:
        return LayoutMetrics(0, 0, 0, 0.0, 0.0)
    centre = {n: (x + width / 2, y + height / 2) for n, (x, y) in positions.items()}
    pairs = sorted({tuple(sorted((s, t))) for s, t in edges if s != t and s in centre and t in centre})
    segs = [(s, t, centre[s], centre[t]) for s, t in pairs]
    crossings = 0
    for i, (s1, t1, a1, b1) in enumerate(segs):
        for s2, t2, a2, b2 in segs[i + 1:]:
            if {s1, t1} & {s2, t2}:
                continue
            crossings += segments_cross(a1, b1, a2, b2)
    boxes = {n: (x, y, x + width, y + height) for n, (x, y) in positions.items()}
    through = 0
    for s, t, a, b in segs:
        lo_x, hi_x = min(a[0], b[0]), max(a[0], b[0])
        lo_y, hi_y = min(a[1], b[1]), max(a[1], b[1])
        for n, box in boxes.items():
            if n in (s, t) or box[2] <= lo_x or box[0] >= hi_x or box[3] <= lo_y or box[1] >= hi_y:
                continue
            through += segment_hits_box(a, b, box)
    ordered = sorted(boxes.values())
    overlaps = 0
    for i, (x0, y0, x1, y1) in enumerate(ordered):  # sweep along x: only boxes starting before x1
        for u0, v0, u1, v1 in ordered[i + 1:]:
            if u0 >= x1:
                break
            overlaps += v0 < y1 and y0 < v1
    xs = [x for x, _ in positions.values()]
    ys = [y for _, y in positions.values()]
    return LayoutMetrics(crossings, through, overlaps,
                         max(xs) + width - min(xs), max(ys) + height - min(ys))
