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

from app.model.layout_metrics import segment_hits_box, segments_cross
from app.model.relations import components_in_order

if TYPE_CHECKING:
    import networkx as nx

    from app.model.operations import MoveAgents
    from app.model.team import Team

CARD_WIDTH, CARD_HEIGHT, GRID = 240, 84, 8
LAYER_STEP = CARD_WIDTH + 64  # x distance between layers
ROW_STEP = CARD_HEIGHT + 44  # y distance between cards of a layer
WRAP_STEP = CARD_WIDTH + 40  # x distance between the sub-columns of one wrapped layer
SWEEPS = 4  # barycenter passes (down and up) to reduce crossings
ASPECT = 1.6  # width : height aimed at when a layout has to be wrapped
WRAP_BELOW = 0.5  # wrap only when the unwrapped layout is more than twice as tall as it is wide
# Agents with no relation need no room for arrows: a tight grid (gaps of 8 px across, 12 px down;
# on the 8 px grid, and no larger than dot's one column of them with its 18 pt gaps).
LOOSE_X, LOOSE_Y = CARD_WIDTH + 8, CARD_HEIGHT + 12
# The untangling pass (_untangle) moves cards up and down their layer in half-row steps to take
# straight lines off other cards and out of each other's way. It costs about relations × agents
# per card tried, so it runs where that product is small: real teams, not generated thousands.
UNTANGLE_BUDGET = 6000  # relations × agents
HALF_ROW = ROW_STEP // 2
UNTANGLE_ROWS = 4  # how far up or down a card may move in one step
UNTANGLE_PASSES = 3
ZIGZAG_FROM = 4  # cards in a layer, with a link inside it for every two, before it zigzags
THROUGH_WEIGHT = 4  # a line hidden behind a card is worse than crossing lines
# Canvas grown by one card's area costs one crossing; on a dense team (DENSE relations per agent
# or more: the seed's has 7) a quarter, and a line behind a card twice THROUGH_WEIGHT, as lines
# hidden behind cards are then most of the mess.
AREA_WEIGHT = 1 / (CARD_WIDTH * CARD_HEIGHT)
DENSE = 4

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
    if keep and nodes and len(nodes) <= max(3, len(keep) // 4):
        # Only a few new cards: the arrangement the user has stays, each new one goes beside the
        # cards it works with; those with no placed partner are laid out below as usual.
        near = _place_near(nodes, keep, triples)
        keep.update(near)
        nodes = [n for n in nodes if n not in near]
        if not nodes:
            return keep
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
    rank_of = {n: r for r, members in layers.items() for n in members}
    dense = len(handoff) + len(parallel) >= DENSE * len(connected)
    inside: dict[int, int] = defaultdict(int)  # links between agents of one layer
    for s, t in handoff + parallel:
        if rank_of[s] == rank_of[t]:
            inside[rank_of[s]] += 1
    for rank in sorted(layers):
        members = layers[rank]
        used = min(rows, len(members))
        offset = (tallest - used) * ROW_STEP / 2
        if dense and used == len(members) >= ZIGZAG_FROM and inside[rank] * 2 >= len(members):
            # On a dense team, many links inside one layer would run straight down behind the
            # cards between them: the layer zigzags over two sub-columns, so neighbours in it link
            # diagonally. (A sparse team's few such links are untangled in less width.)
            for i, n in enumerate(members):
                out[n] = (x + (i % 2) * WRAP_STEP, _snap(top + offset + i * HALF_ROW))
            width = x + WRAP_STEP + CARD_WIDTH - left
            x += WRAP_STEP + LAYER_STEP
            continue
        for i, n in enumerate(members):
            col, row = divmod(i, rows)  # column-major: the barycenter order reads down, then across
            out[n] = (x + col * WRAP_STEP, _snap(top + offset + row * ROW_STEP))
        width = x + (math.ceil(len(members) / rows) - 1) * WRAP_STEP + CARD_WIDTH - left
        x += (math.ceil(len(members) / rows) - 1) * WRAP_STEP + LAYER_STEP
    connected_nodes = [n for n in nodes if n in connected]
    if len(handoff) + len(parallel) and len(handoff + parallel) * len(connected_nodes) <= UNTANGLE_BUDGET:
        _untangle(out, connected_nodes, handoff + parallel)
    loose = [n for n in nodes if n not in connected]
    if loose:
        if connected_nodes:
            top = max(out[n][1] for n in out) + ROW_STEP
        columns = _loose_columns(len(loose), (width + LOOSE_X - CARD_WIDTH) // LOOSE_X)
        for i, n in enumerate(loose):
            row, col = divmod(i, columns)
            out[n] = (left + col * LOOSE_X, _snap(top + row * LOOSE_Y))
    return out


def _place_near(new: list[str], placed: dict[str, Point], triples) -> dict[str, Point]:
    """Positions for the new cards that work with placed ones: right of the cards that hand work
    to them, else left of those they hand work to, else under a parallel partner; then the free
    spot nearest to that (no overlap, on the grid). Each card placed is a partner for the next."""
    where = dict(placed)
    out: dict[str, Point] = {}
    pending = list(new)
    while pending:
        progress = False
        for n in list(pending):
            before = [where[s] for s, t, k in triples if t == n and k == "handoff" and s in where and s != n]
            after = [where[t] for s, t, k in triples if s == n and k == "handoff" and t in where and t != n]
            beside = [where[b] for a, b, k in triples if k == "parallel" and a == n and b in where] + \
                     [where[a] for a, b, k in triples if k == "parallel" and b == n and a in where]
            if before:
                want = (max(x for x, _ in before) + LAYER_STEP, sum(y for _, y in before) / len(before))
            elif after:
                want = (min(x for x, _ in after) - LAYER_STEP, sum(y for _, y in after) / len(after))
            elif beside:
                want = (beside[0][0], beside[0][1] + ROW_STEP)
            else:
                continue
            spot = _free_spot_near(want, where)
            where[n] = out[n] = spot
            pending.remove(n)
            progress = True
        if not progress:
            break
    return out


def _free_spot_near(want: Point, taken: dict[str, Point]) -> Point:
    """The grid spot nearest to `want` whose card keeps 8 px from every taken one."""
    x0, y0 = _snap(want[0]), _snap(want[1])
    boxes = list(taken.values())

    def free(x: float, y: float) -> bool:
        return all(abs(x - bx) >= CARD_WIDTH + 8 or abs(y - by) >= CARD_HEIGHT + 8 for bx, by in boxes)

    for ring in range(200):
        spots = sorted(((x0 + dx * HALF_ROW, y0 + dy * HALF_ROW) for dx in range(-ring, ring + 1)
                        for dy in range(-ring, ring + 1) if max(abs(dx), abs(dy)) == ring),
                       key=lambda p: (abs(p[0] - x0) / 2 + abs(p[1] - y0), p))  # rather sideways in x
        for x, y in spots:
            if free(x, y):
                return (x, y)
    return (x0, _snap(max(by for _, by in boxes) + ROW_STEP))


def relayout(team: Team) -> tuple[MoveAgents | None, int]:
    """What Ctrl+L does: every agent laid out again but the pinned ones, as one move (None when
    nothing moves), and how many pinned agents were kept."""
    from app.model.operations import MoveAgents

    keep = {n: team.positions[n] for n in team.pinned if n in team.positions}
    moved: dict[str, Point | None] = {
        n: (float(x), float(y)) for n, (x, y) in layered_layout(team, keep).items()
        if n not in keep and tuple(team.positions.get(n, ())) != (x, y)}
    return (MoveAgents(moved) if moved else None), len(keep)


def _loose_columns(count: int, at_least: float) -> int:
    """Columns of the grid of unrelated agents: at least as wide as the layout above it, else the
    count that gives the smallest grid between square and 3 : 1 (cards are wide: 3 × 3 cards is 2.8 : 1)."""
    if at_least >= 1 and count > at_least:
        return int(at_least) if count / at_least < 2 * at_least else _loose_columns(count, 0)
    best, best_area = 1, math.inf
    for cols in range(1, count + 1):
        rows = math.ceil(count / cols)
        w, h = cols * LOOSE_X - (LOOSE_X - CARD_WIDTH), rows * LOOSE_Y - (LOOSE_Y - CARD_HEIGHT)
        if count > 3 and not 1.0 <= w / h <= 3.0:
            continue
        if w * h < best_area:
            best, best_area = cols, w * h
    return best if best_area < math.inf else max(1, round(math.sqrt(count)))


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


def _untangle(out: dict[str, Point], movable: list[str], edges: list[tuple[str, str]]) -> None:
    """Local search: move each card to the half-row of its own layer that takes the most straight
    lines off other cards and out of each other's way (the layer, so the reading order, stays).

    Cost of a card where it is: crossings of its lines with the others, its lines through other
    cards and the others' lines through it (THROUGH_WEIGHT each, twice that on a dense team), and
    the canvas area it adds.
    A move is taken only when it lowers the cost, so the passes end.
    """
    pairs = sorted({(min(s, t), max(s, t)) for s, t in edges if s != t})
    incident: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for p in pairs:
        incident[p[0]].append(p)
        incident[p[1]].append(p)
    cx, cy = CARD_WIDTH / 2, CARD_HEIGHT / 2
    centre = {n: (x + cx, y + cy) for n, (x, y) in out.items()}
    names = list(out)
    dense = len(pairs) >= DENSE * len(movable)
    area_weight = AREA_WEIGHT / 4 if dense else AREA_WEIGHT
    through_weight = THROUGH_WEIGHT * 2 if dense else THROUGH_WEIGHT

    def box(n: str) -> tuple[float, float, float, float]:
        x, y = centre[n]
        return (x - cx, y - cy, x + cx, y + cy)

    def cost(v: str) -> float:
        total = 0.0
        mine = incident[v]
        for a, b in mine:
            pa, pb = centre[a], centre[b]
            for s, t in pairs:
                if s in (a, b) or t in (a, b):
                    continue
                total += segments_cross(pa, pb, centre[s], centre[t])
            lo_y, hi_y = min(pa[1], pb[1]) - cy, max(pa[1], pb[1]) + cy
            lo_x, hi_x = min(pa[0], pb[0]) - cx, max(pa[0], pb[0]) + cx
            for n in names:
                if n == a or n == b:
                    continue
                x, y = centre[n]
                if lo_x < x < hi_x and lo_y < y < hi_y and segment_hits_box(pa, pb, box(n)):
                    total += through_weight
        vb = box(v)
        for s, t in pairs:
            if v == s or v == t:
                continue
            if segment_hits_box(centre[s], centre[t], vb):
                total += through_weight
        return total

    def extent() -> tuple[float, float, float]:
        ys = [y for _, y in centre.values()]
        xs = [x for x, _ in centre.values()]
        return min(ys), max(ys), max(xs) - min(xs) + CARD_WIDTH

    order = sorted(movable, key=lambda n: (-len(incident[n]), n))
    for _ in range(int(UNTANGLE_PASSES)):
        improved = False
        for v in order:
            x, y0 = centre[v]
            top, bottom, width = extent()
            here = cost(v)
            best, best_y = 0.0, y0
            # Cards this one could touch when it moves up or down: those less than a card apart across.
            others = [centre[n][1] for n in names if n != v and abs(centre[n][0] - x) < CARD_WIDTH + 8]
            reach = int(UNTANGLE_ROWS * 2)  # half a row at a time
            for step in range(-reach, reach + 1):
                y = y0 + step * HALF_ROW
                if step == 0 or any(abs(y - o) < ROW_STEP - 8 for o in others):
                    continue  # 8 px short of a row apart still leaves a gap of 36 px
                centre[v] = (x, y)
                grown = (max(bottom, y) - min(top, y)) - (bottom - top)
                gain = here - cost(v) - grown * width * area_weight
                if gain > best + 1e-9:
                    best, best_y = gain, y
            centre[v] = (x, best_y)
            improved |= best_y != y0
        if not improved:
            break
    for n in movable:
        x, y = centre[n]
        out[n] = (x - cx, _snap(y - cy))
