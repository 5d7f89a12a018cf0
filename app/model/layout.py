"""Where cards go: a layered layout read left to right along the hand-offs.

Pure functions without Qt, so the GUI may run them off its thread. Cards are 240×84 px on an 8 px
grid; layers are 304 px apart (a 64 px gap, room for the arrow heads and curves) and cards in a
layer 128 px apart (a 44 px gap): tight enough that a dozen agents fit a laptop window with every
card at full detail. A layer much taller than the layout is wide is wrapped into side-by-side
sub-columns, so a big, loop-heavy team keeps a screen-like shape (about 1.6 : 1) instead of a few
columns tens of thousands of pixels tall.
"""

from __future__ import annotations

import bisect
import math
from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from app.model.relations import components_in_order

if TYPE_CHECKING:
    import networkx as nx

    from app.model.team import Team

CARD_WIDTH, CARD_HEIGHT, GRID = 240, 84, 8
LAYER_STEP = CARD_WIDTH + 64  # x distance between layers
ROW_STEP = CARD_HEIGHT + 44  # y distance between cards of a layer
WRAP_STEP = CARD_WIDTH + 40  # x distance between the sub-columns of one wrapped layer
SWEEPS = 4  # barycenter passes (down and up) to reduce crossings
ASPECT = 1.6  # width : height aimed at when a layout has to be wrapped
WRAP_BELOW = 0.5  # wrap only when the unwrapped layout is more than twice as tall as it is wide

Point = tuple[float, float]


def _snap(v: float) -> float:
    return float(round(v / GRID) * GRID)


def layered_layout(team_or_graph: Team | nx.MultiDiGraph, keep: dict[str, Point] | None = None) -> dict[str, Point]:
    """Positions (top-left corners) for every agent.

    Agents in `keep` stay where they are; the others are laid out by hand-off direction and placed
    below the kept ones, so nothing overlaps. Loops are broken where they close (so they cannot
    stall the layering), agents that work in parallel share a layer where the hand-offs allow it,
    and agents with no relation at all go in a tidy grid underneath.
    """
    # A Team's own relation list, not its networkx graph: building that graph is not needed here.
    if hasattr(team_or_graph, "relations"):
        team = cast("Team", team_or_graph)  # hasattr does not narrow the union for mypy
        all_nodes = team.names()
        triples = [(r.source, r.target, r.kind) for r in team.relations()]
    else:  # a networkx MultiDiGraph keyed by kind (scripts and tests)
        all_nodes = list(team_or_graph.nodes)
        triples = list(team_or_graph.edges(keys=True))
    keep = dict(keep or {})
    nodes = sorted(n for n in all_nodes if n not in keep)
    node_set = set(nodes)
    handoff: list[tuple[str, str]] = []
    parallel: list[tuple[str, str]] = []
    for s, t, k in triples:
        if s in node_set and t in node_set and s != t:
            (handoff if k == "handoff" else parallel).append((s, t))
    handoff = list(dict.fromkeys(handoff))  # a relation declared twice is one edge

    connected = {n for e in handoff + parallel for n in e}
    ranks = _ranks(sorted(connected), handoff, parallel)
    layers: dict[int, list[str]] = defaultdict(list)
    for n in sorted(connected):
        layers[ranks[n]].append(n)
    _order(layers, handoff + parallel, parallel)

    out: dict[str, Point] = dict(keep)
    top = 0.0
    if keep:
        top = _snap(max(y for _, y in keep.values()) + ROW_STEP * 2)
        left = _snap(min(x for x, _ in keep.values()))
    else:
        left = 0.0
    rows = _rows_per_column(layers)
    tallest = max((min(rows, len(v)) for v in layers.values()), default=0)
    x = left
    width = 0.0
    for rank in sorted(layers):
        members = layers[rank]
        used = min(rows, len(members))
        offset = (tallest - used) * ROW_STEP / 2
        for i, n in enumerate(members):
            col, row = divmod(i, rows)  # column-major: the barycenter order reads down, then across
            out[n] = (x + col * WRAP_STEP, _snap(top + offset + row * ROW_STEP))
        width = x + (math.ceil(len(members) / rows) - 1) * WRAP_STEP + CARD_WIDTH - left
        x += (math.ceil(len(members) / rows) - 1) * WRAP_STEP + LAYER_STEP
    loose = [n for n in nodes if n not in connected]
    if loose:
        grid_top = top + (tallest * ROW_STEP + ROW_STEP if tallest else 0)
        # As wide as the layers above, or screen-shaped on its own if that is wider (a square
        # root grid for a handful).
        own = math.ceil(math.sqrt(len(loose) * ASPECT * ROW_STEP / LAYER_STEP))
        columns = max(1, own, min(len(loose), math.floor((width + LAYER_STEP - CARD_WIDTH) / LAYER_STEP)))
        for i, n in enumerate(loose):
            row, col = divmod(i, columns)
            out[n] = (left + col * LAYER_STEP, _snap(grid_top + row * ROW_STEP))
    return out


def _rows_per_column(layers: dict[int, list[str]]) -> int:
    """How many cards a layer's column holds before it wraps into another sub-column.

    Unwrapped (one column per layer) unless that is more than twice as tall as wide; then the
    smallest row count whose layout is no wider than ASPECT × its height. Width only shrinks and
    height only grows with the row count, so a bisection finds it.
    """
    if not layers:
        return 1
    sizes = [len(v) for v in layers.values()]
    tallest = max(sizes)

    def aspect(rows: int) -> float:
        subcolumns = sum(math.ceil(k / rows) for k in sizes)
        width = len(sizes) * LAYER_STEP + (subcolumns - len(sizes)) * WRAP_STEP - (LAYER_STEP - CARD_WIDTH)
        height = rows * ROW_STEP - (ROW_STEP - CARD_HEIGHT)
        return width / height

    if aspect(tallest) >= WRAP_BELOW:
        return tallest
    lo, hi = 1, tallest  # aspect(hi) < ASPECT; find the smallest rows with aspect <= ASPECT
    while lo < hi:
        mid = (lo + hi) // 2
        if aspect(mid) <= ASPECT:
            hi = mid
        else:
            lo = mid + 1
    return lo


def _ranks(nodes: list[str], handoff: list[tuple[str, str]], parallel: list[tuple[str, str]]) -> dict[str, int]:
    """Layer of each node.

    Loops are condensed first (strongly connected components, linear time), so they can never
    stall the layering. Between components: longest-path layering, every hand-off points right.
    Inside a loop: breadth-first depth from where work enters it, so a dense review-and-rework
    team spreads over a few layers instead of one tall column or one long snake.
    """
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    pred: dict[str, list[str]] = {n: [] for n in nodes}
    for s, t in handoff:  # already free of duplicates
        succ[s].append(t)
        pred[t].append(s)
    rank: dict[str, int] = {}
    for group in components_in_order(nodes, handoff):  # each loop as one group, in hand-off order
        if len(group) == 1:
            n = group[0]
            rank[n] = max((rank[p] + 1 for p in pred[n]), default=0)
            continue
        inside = set(group)
        entry_rank = {n: max((rank[p] + 1 for p in pred[n] if p not in inside), default=-1)
                      for n in group}
        base = max(0, max(entry_rank.values()))
        entries = [n for n in group if entry_rank[n] >= 0]
        if not entries:  # nobody hands work into the loop: start where most work leaves from
            entries = [max(group, key=lambda n: (len(succ[n]) - len(pred[n]), n))]
        depth = dict.fromkeys(entries, 0)
        queue = list(entries)
        for n in queue:  # BFS; the list grows while we walk it
            for t in succ[n]:
                if t in inside and t not in depth:
                    depth[t] = depth[n] + 1
                    queue.append(t)
        for n in group:
            rank[n] = base + depth.get(n, 0)
    # Parallel partners share a layer when moving the one further left keeps every hand-off that
    # pointed right still pointing right. A few passes settle chains of partners.
    for _ in range(3):
        moved = False
        for a, b in parallel:
            if rank[a] == rank[b]:
                continue
            low, high = (a, rank[b]) if rank[a] < rank[b] else (b, rank[a])
            if all(rank[t] > high for t in succ[low] if rank[t] > rank[low]):
                rank[low] = high
                moved = True
        if not moved:
            break
    return rank


def _order(layers: dict[int, list[str]], edges: list[tuple[str, str]],
           parallel: Iterable[tuple[str, str]] = ()) -> None:
    """Reorder each layer by the barycenter of its neighbours in other layers (fewer crossings).

    Agents working in parallel within one layer stay next to each other (their dashed link then
    joins neighbours instead of running behind the cards between them): each such group sorts as
    one, at its members' mean barycenter.
    """
    rank_of = {n: r for r, members in layers.items() for n in members}
    neighbours: dict[str, list[str]] = defaultdict(list)
    for s, t in edges:
        if rank_of[s] != rank_of[t]:
            neighbours[s].append(t)
            neighbours[t].append(s)
    group_of: dict[str, str] = {}  # union-find over same-layer parallel links

    def find(n: str) -> str:
        root = n
        while group_of.get(root, root) != root:
            root = group_of[root]
        while n != root:
            group_of[n], n = root, group_of[n]
        return root

    for a, b in parallel:
        if rank_of[a] == rank_of[b]:
            ra, rb = find(a), find(b)
            if ra != rb:
                group_of[max(ra, rb)] = min(ra, rb)
    root = {n: find(n) for n in list(group_of)}
    ranks = sorted(layers)
    index = {n: i for members in layers.values() for i, n in enumerate(members)}
    for sweep in range(SWEEPS):
        for r in ranks if sweep % 2 == 0 else reversed(ranks):
            centre = {}
            for i, n in enumerate(layers[r]):
                around = neighbours[n]
                centre[n] = sum(index[m] for m in around) / len(around) if around else float(i)
            if root:
                total: dict[str, list[float]] = defaultdict(lambda: [0.0, 0])
                for n in layers[r]:
                    acc = total[root.get(n, n)]
                    acc[0] += centre[n]
                    acc[1] += 1
                keyed = []
                for i, n in enumerate(layers[r]):
                    g = root.get(n, n)
                    keyed.append((total[g][0] / total[g][1], g, centre[n], i, n))
            else:
                keyed = [(centre[n], "", 0.0, i, n) for i, n in enumerate(layers[r])]
            keyed.sort()
            layers[r] = [k[-1] for k in keyed]
            for i, n in enumerate(layers[r]):
                index[n] = i



def free_spot(taken: Iterable[Point], near: Point, size: tuple[float, float] = (CARD_WIDTH, CARD_HEIGHT),
              gap: float = 24) -> Point:
    """The grid point nearest to `near` (points are top-left corners) where a card of `size`
    overlaps no card at `taken` and stays `gap` px clear of each: where a new, duplicated or
    pasted card goes. Rows are searched outwards from `near`; each row's nearest free x comes
    from the blocked intervals of the cards beside it (benchmarks/free_spot.py: 1,000 cards in
    ~11 ms, where a plain grid scan takes ~30 s); the search ends past the outermost card."""
    reach_x, reach_y = size[0] + gap, size[1] + gap  # a card at (x, y) blocks starts closer than this
    cards = sorted(taken, key=lambda p: p[1])
    ys = [y for _, y in cards]
    ox, oy = _snap(near[0]), _snap(near[1])
    best, best_d = (ox, oy), math.inf
    k = 0
    while k * GRID < best_d:
        for dy in ((0,) if k == 0 else (-k, k)):
            py = oy + dy * GRID
            row = cards[bisect.bisect_right(ys, py - reach_y):bisect.bisect_left(ys, py + reach_y)]
            px = _nearest_free_x(ox, [(x - reach_x, x + reach_x) for x, _ in row])
            d = math.hypot(px - ox, py - oy)
            if d < best_d:
                best, best_d = (px, py), d
        k += 1
    return best


def _nearest_free_x(ox: float, blocked: list[tuple[float, float]]) -> float:
    """The grid x nearest to `ox` (itself on the grid) inside none of the open intervals."""
    merged: list[list[float]] = []
    for a, b in sorted(blocked):
        if merged and a < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])

    def inside(x: float) -> int | None:
        i = bisect.bisect_right([a for a, _ in merged], x) - 1
        return i if i >= 0 and merged[i][0] < x < merged[i][1] else None

    hit = inside(ox)
    if hit is None:
        return ox
    left: float = ox
    i: int | None = hit
    while i is not None:
        left = math.floor(merged[i][0] / GRID) * GRID
        i = inside(left)
    right: float = ox
    i = hit
    while i is not None:
        right = math.ceil(merged[i][1] / GRID) * GRID
        i = inside(right)
    return float(left if ox - left <= right - ox else right)
