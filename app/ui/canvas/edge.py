"""Relations on the canvas: hand-off arrows and dashed parallel lines.

A big team has several thousand relations. As one QGraphicsItem each they cost ~40 µs apiece to
build and ~50 µs apiece per repaint (measured: 1,000 agents, 6,000 relations: 100 ms per
repaint at fit-all, 22 ms at 1:1). So relations are plain `Edge` objects, drawn by two items:

- `EdgeLayer`: every relation at rest, as a handful of combined paths (one per style), cached in
  device coordinates. A repaint of any part of the canvas is a pixmap blit; the cache is redrawn
  only when relations or positions change, or on zoom.
- `EdgeOverlay`: the few relations that are alive right now — hovered, selected, attached to the
  cards being dragged, or the neighbours of the hovered card — drawn on top, uncached.

Hit-testing (`CanvasScene.edge_at`) asks an `EdgeIndex`: a private QGraphicsScene that is
never drawn, whose BSP tree and C++ shape tests find the curve under the mouse.
"""

from __future__ import annotations

import bisect
import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsScene

from app.ui.canvas.card import CARD_H, CARD_W, style

ARROW_LEN = 9.0
ARROW_HALF = 4.5
SAMPLES = 24  # points per curve for hit-testing
# A relation whose plain curve would pass behind another card is routed around it: a bend into a
# free horizontal lane, the lane, a bend out. The bends stay within JOG of the two cards (half
# the gap between layout columns); the lane keeps CLEARANCE from every card it passes.
JOG = 32.0
CLEARANCE = 8.0
LANE_SEARCH = 6 * (CARD_H + 44)  # how far above/below the ends a lane is looked for


def _anchor_points(ax: float, ay: float, bx: float, by: float) -> tuple[float, ...]:
    """Start, end and the outward tangent directions (x1, y1, x2, y2, t1x, t1y, t2x, t2y) of a
    relation between cards with top-left corners a and b, from the sides that face each other.
    Plain floats: this runs once per relation when a big team opens (QPointF maths is 5x slower)."""
    hw, hh = CARD_W / 2, CARD_H / 2
    dx, dy = bx - ax, by - ay  # the centres differ by the same amount as the corners
    # Side by side (or far apart horizontally): leave from the facing left/right sides; stacked:
    # from top/bottom. Layered layouts put ranks in columns, so hand-offs mostly run left to right.
    if abs(dx) >= CARD_W + 16 or abs(dx) * (CARD_H / CARD_W) >= abs(dy):
        if dx >= 0:
            return ax + CARD_W, ay + hh, bx, by + hh, 1.0, 0.0, -1.0, 0.0
        return ax, ay + hh, bx + CARD_W, by + hh, -1.0, 0.0, 1.0, 0.0
    if dy >= 0:
        return ax + hw, ay + CARD_H, bx + hw, by, 0.0, 1.0, 0.0, -1.0
    return ax + hw, ay, bx + hw, by + CARD_H, 0.0, -1.0, 0.0, 1.0


PORT_MARGIN = 10.0  # no relation attaches closer than this to a card's corner


def port_shifts(count: int, length: float) -> list[float]:
    """Where `count` relations attach along a side of `length`, as shifts from its middle: spread
    evenly, each in the middle of its share, so arrow heads on one side never stack."""
    share = (length - 2 * PORT_MARGIN) / count
    return [-length / 2 + PORT_MARGIN + share * (i + 0.5) for i in range(count)]


def sides_at(edge: Edge, card) -> tuple[float, float]:
    """The outward direction of the side of `card` the relation attaches to."""
    sp, tp = edge.source.pos(), edge.target.pos()
    anchors = _anchor_points(sp.x(), sp.y(), tp.x(), tp.y())
    return (anchors[4], anchors[5]) if card is edge.source else (anchors[6], anchors[7])


def assign_ports(card) -> list[Edge]:
    """Give each relation of `card` its own point on the side it attaches to, ordered along the
    side as the cards at the other ends are (so the relations leaving one side do not cross each
    other). Returns the relations whose point moved (their paths need an update)."""
    by_side: dict[tuple[float, float], list[tuple[tuple, Edge]]] = {}
    for e in card.edges:
        if e.source is e.target:
            continue
        side = sides_at(e, card)
        other = e.target if card is e.source else e.source
        op = other.pos()
        along = op.y() if side[1] == 0.0 else op.x()  # left/right sides run down, top/bottom across
        # Between the same two cards: the outgoing one first on one side, last on the other, so
        # A→B and B→A run side by side instead of crossing.
        out = (card is e.source) == (side in ((1.0, 0.0), (0.0, 1.0)))
        by_side.setdefault(side, []).append(((along, other.agent_name, out, e.kind), e))
    changed = []
    for side, items in by_side.items():
        items.sort(key=lambda item: item[0])
        length = CARD_H if side[1] == 0.0 else CARD_W
        for shift, (_key, e) in zip(port_shifts(len(items), length), items):
            if card is e.source:
                if e.src_shift != shift:
                    e.src_shift = shift
                    changed.append(e)
            elif e.dst_shift != shift:
                e.dst_shift = shift
                changed.append(e)
    return changed


class Edge:
    """One relation between two cards: geometry and state, no Qt item of its own."""

    __slots__ = ("_coarse", "bounds", "dst_shift", "focus", "head", "hover", "offset", "on_path", "relation", "routed",
                 "segments", "selected", "source", "src_shift", "target")

    def __init__(self, relation, source, target, path: bool = True):
        """`path=False`: no curve yet (a team being opened gets its ports first, then one path
        per relation instead of two)."""
        self.relation = relation
        self.source = source
        self.target = target
        self.offset = 0.0
        self.src_shift = 0.0  # where along its side of each card the relation attaches (assign_ports)
        self.dst_shift = 0.0
        self.selected = False
        self.hover = False
        self.on_path = False  # on a hand-off path between two selected agents
        self.focus = False  # a relation of a selected agent (drawn at full strength, the rest dims)
        # The curve: one cubic (x1, y1, c1x, c1y, c2x, c2y, x2, y2), or three when routed around
        # cards (bend, lane, bend), each starting where the previous one ends.
        self.segments: tuple[tuple[float, ...], ...] = ()
        self.routed = False
        self.head: tuple[float, ...] | None = None  # the arrow head's three corners
        self.bounds: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # left, top, right, bottom
        self._coarse: list | None = None  # per segment, SAMPLES + 1 points, made when hit-tested
        if path:
            self.update_path()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.relation.kind, self.relation.source, self.relation.target)

    @property
    def kind(self) -> str:
        return self.relation.kind

    def update_path(self) -> None:
        sp, tp = self.source.pos(), self.target.pos()
        x1, y1, x2, y2, t1x, t1y, t2x, t2y = _anchor_points(sp.x(), sp.y(), tp.x(), tp.y())
        if t1y == 0.0:
            y1 += self.src_shift
        else:
            x1 += self.src_shift
        if t2y == 0.0:
            y2 += self.dst_shift
        else:
            x2 += self.dst_shift
        if self.offset:
            nx, ny = -t1y * self.offset, t1x * self.offset
            x1, y1, x2, y2 = x1 + nx, y1 + ny, x2 + nx, y2 + ny
        reach = max(36.0, min(160.0, math.hypot(x2 - x1, y2 - y1) * 0.45))
        ex, ey = x2, y2
        handoff = self.relation.kind == "handoff"
        if handoff:  # the line stops inside the arrow head, not past its tip
            ex, ey = x2 + t2x * (ARROW_LEN - 1), y2 + t2y * (ARROW_LEN - 1)
        c1x, c1y, c2x, c2y = x1 + t1x * reach, y1 + t1y * reach, x2 + t2x * reach, y2 + t2y * reach
        plain = (x1, y1, c1x, c1y, c2x, c2y, ex, ey)
        routed = None
        if t1y == 0.0 and (x2 - x1) * t1x > 2 * JOG + 24:  # side to side, room for a card between
            routed = self._route(plain, x1, y1, x2, y2, ex, ey, t1x)
        self.segments = routed or (plain,)
        self.routed = routed is not None
        self._coarse = None
        if handoff:
            ux, uy = -t2x, -t2y  # the head points along the arriving tangent
            bx, by = x2 - ux * ARROW_LEN, y2 - uy * ARROW_LEN
            nx, ny = -uy * ARROW_HALF, ux * ARROW_HALF
            self.head = (x2, y2, bx + nx, by + ny, bx - nx, by - ny)
        else:
            self.head = None
        xs = [v for seg in self.segments for v in seg[0::2]]
        ys = [v for seg in self.segments for v in seg[1::2]]
        self.bounds = (min(xs) - 6, min(ys) - 6, max(xs) + 6, max(ys) + 6)

    def _route(self, plain, x1, y1, x2, y2, ex, ey, direction):
        """Three cubics that go around the cards the plain curve would pass behind, or None when
        it passes behind none (or no free lane is near). `direction`: +1 rightwards, -1 left."""
        scene = self.source.scene()
        cards_in = getattr(scene, "card_rects", None)
        if cards_in is None:  # not on a canvas
            return None
        skip = (self.source.agent_name, self.target.agent_name)
        xa, xb = x1 + direction * JOG, x2 - direction * JOG  # where the lane starts and ends
        left, right = min(xa, xb), max(xa, xb)
        top, bottom = min(y1, y2), max(y1, y2)
        low, high = top - LANE_SEARCH, bottom + LANE_SEARCH
        band = cards_in(left, low, right, high, skip)  # the cards a lane must avoid
        if not band:  # none, or no routing now (a big team, a drag under way)
            return None
        near = [box for box in band if box[1] < bottom + CLEARANCE and top - CLEARANCE < box[3]]
        if not near:
            return None
        m = 2.0  # the plain curve may graze a card's corner
        samples = [_point(plain, i / 16) for i in range(1, 16)]
        if not any(l + m < px < r - m and t + m < py < b - m
                   for px, py in samples for l, t, r, b in near):
            return None
        blocked = sorted((t - CLEARANCE, b + CLEARANCE) for l, t, r, b in band)
        # a card just outside the band searched could cover a lane near its edge
        lane = _free_lane(blocked, y1, y2, low + CARD_H + CLEARANCE, high - CARD_H - CLEARANCE)
        if lane is None:
            return None
        k = JOG * 0.6
        bend_in = (x1, y1, x1 + direction * k, y1, xa - direction * k, lane, xa, lane)
        run = (xa, lane, xa + (xb - xa) / 3, lane, xa + 2 * (xb - xa) / 3, lane, xb, lane)
        bend_out = (xb, lane, xb + direction * k, lane, x2 - direction * k, y2, ex, ey)
        return (bend_in, run, bend_out)

    @property
    def path(self) -> QPainterPath:
        path = QPainterPath()
        _add_to(path, self.segments)
        return path

    @property
    def rect(self) -> QRectF:
        left, top, right, bottom = self.bounds
        return QRectF(left, top, right - left, bottom - top)

    def distance_to(self, p: QPointF, within: float = float("inf")) -> float:
        """Distance from p to the curve (inf when clearly farther than `within`)."""
        if self._coarse is None:
            self._coarse = [[_point(seg, i / SAMPLES) for i in range(SAMPLES + 1)] for seg in self.segments]
        px, py = p.x(), p.y()
        return min(_cubic_distance(seg, pts, px, py, within) for seg, pts in zip(self.segments, self._coarse))

    def tooltip(self) -> str:
        r = self.relation
        if r.kind == "handoff":
            text = f"{r.source} hands off to {r.target}"
            if r.one_sided:
                if r.source in r.declared_by:
                    text += f"\nOnly {r.source} declares it: {r.target} does not list {r.source} in receives_from"
                else:
                    text += f"\nOnly {r.target} declares it (receives_from): {r.source} does not list it"
        else:
            text = f"{r.source} works in parallel with {r.target}"
            if r.one_sided:
                who = next(iter(r.declared_by), r.source)
                other = r.target if who == r.source else r.source
                text += f"\nOnly {who} declares it: {other} does not list {who} in parallel_with"
        if r.one_sided:
            text += "\nRight-click → Declare the missing side"
        return text

    def color(self):
        # One-sided relations are told apart by their pattern (see pattern()), not by a colour:
        # amber was the orange agent colour, and colour alone fails colour-blind readers.
        c = style().colors
        if self.selected or self.on_path:
            return c.edge_selected
        if self.hover or self.focus:
            return c.edge_hover
        return c.edge

    def width(self) -> float:
        return 2.0 if (self.hover or self.selected or self.on_path) else 1.0

    def pattern(self) -> str:
        """"one-sided" (dash-dot, hollow head), "parallel" (dashed, no head) or "handoff" (solid)."""
        return "one-sided" if self.relation.one_sided else self.relation.kind

    def pen(self) -> QPen:
        return make_pen(self.color(), self.width(), self.pattern())


def _free_lane(blocked: list[tuple[float, float]], y1: float, y2: float, low: float = -math.inf,
               high: float = math.inf) -> float | None:
    """The y in [low, high] nearest to lying between y1 and y2 that no (top, bottom) interval of
    `blocked` (sorted by top) covers; None when there is none."""
    merged: list[list[float]] = []
    for top, bottom in blocked:
        if merged and top <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], bottom)
        else:
            merged.append([top, bottom])
    tops = [m[0] for m in merged]

    def free(y: float) -> bool:
        i = bisect.bisect_right(tops, y) - 1
        return i < 0 or not merged[i][0] < y < merged[i][1]

    mid = (y1 + y2) / 2
    candidates = [y1, y2, mid]
    for top, bottom in merged:
        candidates += (top - 0.5, bottom + 0.5)
    best, best_cost = None, float("inf")
    for y in candidates:
        cost = abs(y - y1) + abs(y - y2) + 0.01 * abs(y - mid)
        if cost < best_cost and low <= y <= high and free(y):
            best, best_cost = y, cost
    return best


def _add_to(path: QPainterPath, segments) -> None:
    x1, y1 = segments[0][0], segments[0][1]
    path.moveTo(x1, y1)
    for _x, _y, c1x, c1y, c2x, c2y, x2, y2 in segments:
        path.cubicTo(c1x, c1y, c2x, c2y, x2, y2)


def _cubic_distance(ctrl, pts, px: float, py: float, within: float) -> float:
    """Distance from (px, py) to one cubic, given its coarse polyline `pts`.

    The 24-segment polyline first; its error against the curve is bounded by 0.75·M/n² (M: the
    larger second difference of the control points), so far curves are rejected at once and
    only a near one is refined, around its closest coarse segment."""
    x1, y1, c1x, c1y, c2x, c2y, x2, y2 = ctrl
    coarse, t_best = float("inf"), 0.0
    for i in range(SAMPLES):
        d = _segment_distance(px, py, pts[i], pts[i + 1])
        if d < coarse:
            coarse, t_best = d, (i + 1) / SAMPLES
    m = max(math.hypot(x1 - 2 * c1x + c2x, y1 - 2 * c1y + c2y),
            math.hypot(c1x - 2 * c2x + x2, c1y - 2 * c2y + y2))
    error = 0.75 * m / (SAMPLES * SAMPLES)
    if coarse - error > within:
        return float("inf")
    if error <= 0.5:
        return coarse
    fine = min(2000, math.ceil(math.sqrt(0.75 * m / 0.5)))  # samples over [0, 1] for error ≤ 0.5
    step = 1.0 / SAMPLES
    lo, hi = max(0.0, t_best - step), min(1.0, t_best + step)
    refined, _t = _polyline_distance(ctrl, px, py, lo, hi, max(4, int(fine * (hi - lo)) + 1))
    return min(coarse, refined)


def _point(ctrl, t: float) -> tuple[float, float]:
    x1, y1, c1x, c1y, c2x, c2y, x2, y2 = ctrl
    mt = 1 - t
    a, b, c, d = mt * mt * mt, 3 * mt * mt * t, 3 * mt * t * t, t * t * t
    return (a * x1 + b * c1x + c * c2x + d * x2, a * y1 + b * c1y + c * c2y + d * y2)


def _polyline_distance(ctrl, px: float, py: float, t0: float, t1: float, n: int) -> tuple[float, float]:
    """(distance from (px, py) to the curve flattened into n segments over [t0, t1], the t of
    the nearest segment's end)."""
    best, best_t = float("inf"), t0
    prev = _point(ctrl, t0)
    for i in range(1, n + 1):
        t = t0 + (t1 - t0) * i / n
        cur = _point(ctrl, t)
        d = _segment_distance(px, py, prev, cur)
        if d < best:
            best, best_t = d, t
        prev = cur
    return best, best_t


def _segment_distance(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    qx, qy = ax + t * dx - px, ay + t * dy - py
    return math.sqrt(qx * qx + qy * qy)


def make_pen(color, width: float, pattern: str | bool = "handoff") -> QPen:
    """The pen of a relation: solid for a hand-off, dashed for a parallel link, dash-dot for a
    one-sided one (True/False: dashed or not, for drawing a link being dragged)."""
    # Cosmetic: as wide on screen at every zoom, so a zoomed-out team stays legible, and a 1 px
    # line keeps Qt on its fast line stroker (a full repaint of 6,000 relations: 5 ms instead of
    # 45 ms with a 1.6 px pen).
    if isinstance(pattern, bool):
        pattern = "parallel" if pattern else "handoff"
    pen = QPen(color, width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    if pattern == "parallel":
        pen.setStyle(Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([4.0, 3.0] if width <= 1.0 else [3.0, 2.0])
    elif pattern == "one-sided":
        pen.setStyle(Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([9.0, 3.0, 1.0, 3.0] if width <= 1.0 else [6.0, 2.0, 1.0, 2.0])
    return pen


def _groups(edges) -> list[tuple[QPen, QPainterPath, QPainterPath, bool]]:
    """Edges grouped by pen into combined paths: one drawPath per group, heads drawn at once
    (filled; hollow for one-sided hand-offs)."""
    groups: dict[tuple, tuple[QPen, QPainterPath, QPainterPath, bool]] = {}
    for e in edges:
        color = e.color()
        width = e.width()
        pattern = e.pattern()
        key = (color.rgba(), width, pattern)
        group = groups.get(key)
        if group is None:
            group = groups[key] = (make_pen(color, width, pattern), QPainterPath(), QPainterPath(),
                                   pattern == "one-sided")
        lines, heads = group[1], group[2]
        _add_to(lines, e.segments)
        if e.head is not None:
            hx, hy, ax, ay, bx, by = e.head
            heads.moveTo(hx, hy)
            heads.lineTo(ax, ay)
            heads.lineTo(bx, by)
            heads.closeSubpath()
    return list(groups.values())


def _draw(painter: QPainter, groups) -> None:
    for pen, lines, heads, hollow in groups:
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(lines)
        if heads.isEmpty():
            continue
        if hollow:  # an open head over the canvas colour: the line does not show through it
            outline = QPen(pen.color(), pen.widthF())
            outline.setCosmetic(True)
            outline.setJoinStyle(Qt.PenJoinStyle.MiterJoin)
            painter.setPen(outline)
            painter.setBrush(style().colors.background)
        else:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pen.color())
        painter.drawPath(heads)


def _union(edges) -> QRectF:
    if not edges:
        return QRectF()
    left = min(e.bounds[0] for e in edges)
    top = min(e.bounds[1] for e in edges)
    right = max(e.bounds[2] for e in edges)
    bottom = max(e.bounds[3] for e in edges)
    return QRectF(left, top, right - left, bottom - top)


class EdgeLayer(QGraphicsItem):
    """Every relation at rest, drawn at once and cached as a pixmap of the visible canvas."""

    def __init__(self):
        super().__init__()
        self.edges: list[Edge] = []
        self._rect = QRectF()
        self._groups: list | None = None  # combined paths, built at the first paint after a change
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setZValue(-2)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)  # exposedRect

    def set_edges(self, edges: list[Edge]) -> None:
        self.prepareGeometryChange()
        self.edges = edges
        self._groups = None
        self._rect = _union(edges)
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        return QPainterPath()  # never "under the mouse": the scene hit-tests relations itself

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        exposed = option.exposedRect
        whole = self._rect
        if exposed.width() * exposed.height() >= 0.25 * whole.width() * whole.height():
            if self._groups is None:
                self._groups = _groups(self.edges)
            _draw(painter, self._groups)
            return
        # Zoomed in on a big team (or a strip uncovered by scrolling): draw only the relations
        # that cross the exposed part instead of stroking thousands of curves into a clip.
        left, top, right, bottom = exposed.left(), exposed.top(), exposed.right(), exposed.bottom()
        _draw(painter, _groups([e for e in self.edges
                                if e.bounds[0] <= right and e.bounds[2] >= left
                                and e.bounds[1] <= bottom and e.bounds[3] >= top]))


class EdgeOverlay(QGraphicsItem):
    """The few relations that are alive (hovered, selected, moving), drawn on top, uncached."""

    def __init__(self):
        super().__init__()
        self.edges: list[Edge] = []
        self._rect = QRectF()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setZValue(-1)

    def set_edges(self, edges: list[Edge]) -> None:
        self.prepareGeometryChange()
        self.edges = edges
        self._recompute()
        self.update()

    def refresh(self) -> None:
        """The live edges moved: new bounds, repaint."""
        self.prepareGeometryChange()
        self._recompute()
        self.update()

    def _recompute(self) -> None:
        rect = _union(self.edges)
        self._rect = rect.adjusted(-3, -3, 3, 3) if not rect.isNull() else rect

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        _draw(painter, _groups(self.edges))


class EdgeIndex:
    """Which relation passes near a point. One invisible path item per relation lives in a
    private scene that is never drawn (so it costs nothing per repaint); Qt's BSP tree and its
    C++ stroke test answer the question, instead of a Python loop over thousands of curves.
    Items are created or moved lazily: at the first question after a change, or when idle."""

    def __init__(self):
        self._scene = QGraphicsScene()
        self._scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self._items: dict[tuple, QGraphicsPathItem] = {}
        self._pending: dict[tuple, Edge | None] = {}  # key → edge to (re)insert; None = remove
        self._pen = QPen(Qt.GlobalColor.black, 1.0)

    def clear(self) -> None:
        self._scene.clear()
        self._items.clear()
        self._pending.clear()

    def changed(self, edge: Edge) -> None:
        self._pending[edge.key] = edge

    def removed(self, key: tuple) -> None:
        self._pending[key] = None

    @property
    def pending(self) -> int:
        return len(self._pending)

    def sync(self, budget: int | None = None) -> None:
        """Apply pending changes (at most `budget` of them)."""
        done = 0
        while self._pending and (budget is None or done < budget):
            key, edge = self._pending.popitem()
            done += 1
            item = self._items.get(key)
            if edge is None:
                if item is not None:
                    self._scene.removeItem(item)
                    del self._items[key]
                continue
            if item is None:
                item = QGraphicsPathItem()
                item.setPen(self._pen)
                item.setData(0, key)
                self._scene.addItem(item)
                self._items[key] = item
            item.setPath(edge.path)

    def near(self, pos: QPointF, tolerance: float) -> list[tuple]:
        """Keys of the relations whose curve passes within about `tolerance` of `pos`."""
        self.sync()
        rect = QRectF(pos.x() - tolerance, pos.y() - tolerance, 2 * tolerance, 2 * tolerance)
        return [item.data(0) for item in self._scene.items(rect, Qt.ItemSelectionMode.IntersectsItemShape)]
