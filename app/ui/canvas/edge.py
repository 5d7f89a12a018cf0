"""Relations on the canvas: hand-off arrows and dashed parallel lines.

A big team has several thousand relations. As one QGraphicsItem each they cost ~40 µs apiece to
build and ~50 µs apiece per repaint (measured: 1,000 agents, 6,000 relations: 100 ms per
repaint at fit-all, 22 ms at 1:1). So relations are plain `Edge` objects, drawn by two items:

- `EdgeLayer`: every relation at rest, as a handful of combined paths (one per style), cached in
  device coordinates. A repaint of any part of the canvas is a pixmap blit; the cache is redrawn
  only when relations or positions change, or on zoom.
- `EdgeOverlay`: the few relations that are alive right now — hovered, selected, attached to the
  cards being dragged, or the neighbours of the hovered card — drawn on top, uncached.

The scene does hit-testing (`CanvasScene.edge_at`) with a coarse grid of edge bounds.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem

from app.ui.canvas.card import CARD_H, CARD_W, style

ARROW_LEN = 9.0
ARROW_HALF = 4.5
SAMPLES = 24  # points per curve for hit-testing


def _anchor_points(a: QRectF, b: QRectF) -> tuple[QPointF, QPointF, QPointF, QPointF]:
    """Start, end and the two outward tangent directions, from the sides that face each other."""
    ca, cb = a.center(), b.center()
    dx, dy = cb.x() - ca.x(), cb.y() - ca.y()
    # Side by side (or far apart horizontally): leave from the facing left/right sides; stacked:
    # from top/bottom. Layered layouts put ranks in columns, so hand-offs mostly run left to right.
    horizontal = abs(dx) >= CARD_W + 16 or abs(dx) * (CARD_H / CARD_W) >= abs(dy)
    if horizontal:
        if dx >= 0:
            return QPointF(a.right(), ca.y()), QPointF(b.left(), cb.y()), QPointF(1, 0), QPointF(-1, 0)
        return QPointF(a.left(), ca.y()), QPointF(b.right(), cb.y()), QPointF(-1, 0), QPointF(1, 0)
    if dy >= 0:
        return QPointF(ca.x(), a.bottom()), QPointF(cb.x(), b.top()), QPointF(0, 1), QPointF(0, -1)
    return QPointF(ca.x(), a.top()), QPointF(cb.x(), b.bottom()), QPointF(0, -1), QPointF(0, 1)


class Edge:
    """One relation between two cards: geometry and state, no Qt item of its own."""

    __slots__ = (
        "ctrl",
        "head",
        "hover",
        "offset",
        "path",
        "rect",
        "relation",
        "selected",
        "source",
        "target",
    )

    def __init__(self, relation, source, target):
        self.relation = relation
        self.source = source
        self.target = target
        self.offset = 0.0
        self.selected = False
        self.hover = False
        self.path = QPainterPath()
        self.head: QPolygonF | None = None
        self.rect = QRectF()
        self.ctrl: tuple[QPointF, QPointF, QPointF, QPointF] | None = None
        self.update_path()

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.relation.kind, self.relation.source, self.relation.target)

    @property
    def kind(self) -> str:
        return self.relation.kind

    def update_path(self) -> None:
        sp, tp = self.source.pos(), self.target.pos()
        a = QRectF(sp.x(), sp.y(), CARD_W, CARD_H)
        b = QRectF(tp.x(), tp.y(), CARD_W, CARD_H)
        p1, p2, t1, t2 = _anchor_points(a, b)
        if self.offset:
            normal = QPointF(-t1.y(), t1.x()) * self.offset
            p1 += normal
            p2 += normal
        dist = math.hypot(p2.x() - p1.x(), p2.y() - p1.y())
        reach = max(36.0, min(160.0, dist * 0.45))
        end = p2
        if self.relation.kind == "handoff":
            end = p2 + t2 * (ARROW_LEN - 1)  # the line stops inside the arrow head, not past its tip
        c1, c2 = p1 + t1 * reach, p2 + t2 * reach
        path = QPainterPath(p1)
        path.cubicTo(c1, c2, end)
        self.path = path
        self.ctrl = (p1, c1, c2, end)
        if self.relation.kind == "handoff":
            ux, uy = -t2.x(), -t2.y()  # the head points along the arriving tangent
            base = p2 - QPointF(ux, uy) * ARROW_LEN
            n = QPointF(-uy, ux) * ARROW_HALF
            self.head = QPolygonF([p2, base + n, base - n])
        else:
            self.head = None
        self.rect = path.controlPointRect().adjusted(-6, -6, 6, 6)

    def distance_to(self, p: QPointF) -> float:
        """Approximate distance from p to the curve (a polyline of SAMPLES segments)."""
        p1, c1, c2, p2 = self.ctrl
        px, py = p.x(), p.y()
        best = float("inf")
        prev = (p1.x(), p1.y())
        for i in range(1, SAMPLES + 1):
            t = i / SAMPLES
            mt = 1 - t
            a, b, c, d = mt * mt * mt, 3 * mt * mt * t, 3 * mt * t * t, t * t * t
            cur = (a * p1.x() + b * c1.x() + c * c2.x() + d * p2.x(),
                   a * p1.y() + b * c1.y() + c * c2.y() + d * p2.y())
            best = min(best, _segment_distance(px, py, prev, cur))
            prev = cur
        return best

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
        c = style().colors
        if self.selected:
            return c.edge_selected
        if self.relation.one_sided:
            return c.one_sided
        if self.hover:
            return c.edge_hover
        return c.edge

    def pen(self) -> QPen:
        width = 2.0 if (self.hover or self.selected) else 1.0
        return make_pen(self.color(), width, self.relation.kind == "parallel")


def _segment_distance(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    qx, qy = ax + t * dx - px, ay + t * dy - py
    return math.sqrt(qx * qx + qy * qy)


def make_pen(color, width: float, dashed: bool) -> QPen:
    # Cosmetic: as wide on screen at every zoom, so a zoomed-out team stays legible, and a 1 px
    # line keeps Qt on its fast line stroker (a full repaint of 6,000 relations: 5 ms instead of
    # 45 ms with a 1.6 px pen).
    pen = QPen(color, width)
    pen.setCosmetic(True)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    if dashed:
        pen.setStyle(Qt.PenStyle.CustomDashLine)
        pen.setDashPattern([4.0, 3.0] if width <= 1.0 else [3.0, 2.0])
    return pen


def _draw(painter: QPainter, edges, dashed_ok: bool = True) -> None:
    """Draw edges grouped by pen: one drawPath per group, heads filled in one go."""
    groups: dict[tuple, tuple[QPen, QPainterPath, QPainterPath]] = {}
    for e in edges:
        color = e.color()
        width = 2.0 if (e.hover or e.selected) else 1.0
        parallel = e.relation.kind == "parallel"
        key = (color.rgba(), width, parallel)
        group = groups.get(key)
        if group is None:
            group = groups[key] = (make_pen(color, width, parallel and dashed_ok), QPainterPath(), QPainterPath())
        group[1].addPath(e.path)
        if e.head is not None:
            group[2].addPolygon(e.head)
            group[2].closeSubpath()
    for pen, lines, heads in groups.values():
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(lines)
        if not heads.isEmpty():
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(pen.color())
            painter.drawPath(heads)


class EdgeLayer(QGraphicsItem):
    """Every relation at rest, drawn at once and cached as a pixmap of the visible canvas."""

    def __init__(self):
        super().__init__()
        self.edges: list[Edge] = []
        self._rect = QRectF()
        self._paths: list[tuple[QPen, QPainterPath, QPainterPath]] | None = None
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setAcceptHoverEvents(False)
        self.setZValue(-2)
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def set_edges(self, edges: list[Edge]) -> None:
        self.prepareGeometryChange()
        self.edges = edges
        rect = QRectF()
        for e in edges:
            rect = rect.united(e.rect)
        self._rect = rect
        self.update()

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        return QPainterPath()  # never "under the mouse": the scene hit-tests relations itself

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        _draw(painter, self.edges)


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
        rect = QRectF()
        for e in self.edges:
            rect = rect.united(e.rect)
        self._rect = rect.adjusted(-3, -3, 3, 3) if not rect.isNull() else rect

    def boundingRect(self) -> QRectF:
        return self._rect

    def shape(self) -> QPainterPath:
        return QPainterPath()

    def paint(self, painter: QPainter, option, widget=None) -> None:
        _draw(painter, self.edges)
