"""One relation on the canvas: a hand-off arrow or a dashed parallel line.

Edges are QGraphicsPathItems so Qt paints them in C++ (no Python call per repaint); only their
geometry is computed here, when a card they touch moves.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainterPath, QPainterPathStroker, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsPolygonItem

from app.ui.canvas.card import CARD_H, CARD_W, CardItem, style

ARROW_LEN = 9.0
ARROW_HALF = 4.5
PAIR_OFFSET = 7.0  # A→B and B→A are drawn side by side instead of on top of each other


def _anchor_points(a: QRectF, b: QRectF, kind: str) -> tuple[QPointF, QPointF, QPointF, QPointF]:
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


class EdgeItem(QGraphicsPathItem):
    Type = QGraphicsItem.UserType + 2

    def __init__(self, relation, source: CardItem, target: CardItem):
        super().__init__()
        self.relation = relation
        self.source = source
        self.target = target
        self.offset = 0.0
        self._hover = False
        self._shape: QPainterPath | None = None
        self.head = QGraphicsPolygonItem(self) if relation.kind == "handoff" else None
        if self.head is not None:
            self.head.setAcceptedMouseButtons(Qt.MouseButton.NoButton)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, True)
        self.setAcceptHoverEvents(True)
        self.setZValue(-1)
        self.set_relation(relation)
        self.update_path()

    def type(self) -> int:
        return EdgeItem.Type

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.relation.kind, self.relation.source, self.relation.target)

    def set_relation(self, relation) -> None:
        self.relation = relation
        self.setToolTip(self._tooltip())
        self.restyle()

    def _tooltip(self) -> str:
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
                (who,) = tuple(r.declared_by) or ("one side",)
                other = r.target if who == r.source else r.source
                text += f"\nOnly {who} declares it: {other} does not list {who} in parallel_with"
        if r.one_sided:
            text += "\nRight-click → Declare the missing side"
        return text

    # -- look -----------------------------------------------------------------------------------
    def restyle(self) -> None:
        c = style().colors
        if self.isSelected():
            color = c.edge_selected
        elif self.relation.one_sided:
            color = c.one_sided
        elif self._hover:
            color = c.edge_hover
        else:
            color = c.edge
        width = 2.4 if (self._hover or self.isSelected()) else 1.0
        pen = QPen(color, width)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        if self.relation.kind == "parallel":
            pen.setStyle(Qt.PenStyle.CustomDashLine)
            pen.setDashPattern([4.0, 3.0])
        self.setPen(pen)
        if self.head is not None:
            self.head.setPen(Qt.PenStyle.NoPen)
            self.head.setBrush(color)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemSelectedHasChanged:
            self.restyle()
            self.setZValue(-0.5 if value else -1)
        return super().itemChange(change, value)

    def hoverEnterEvent(self, event) -> None:
        self._hover = True
        self.restyle()

    def hoverLeaveEvent(self, event) -> None:
        self._hover = False
        self.restyle()

    # -- geometry -------------------------------------------------------------------------------
    def update_path(self) -> None:
        sp, tp = self.source.pos(), self.target.pos()
        a = QRectF(sp.x(), sp.y(), CARD_W, CARD_H)
        b = QRectF(tp.x(), tp.y(), CARD_W, CARD_H)
        p1, p2, t1, t2 = _anchor_points(a, b, self.relation.kind)
        if self.offset:
            normal = QPointF(-t1.y(), t1.x()) * self.offset
            p1 += normal
            p2 += normal
        dist = math.hypot(p2.x() - p1.x(), p2.y() - p1.y())
        reach = max(36.0, min(160.0, dist * 0.45))
        end = p2
        if self.head is not None:
            end = p2 + t2 * (ARROW_LEN - 1)  # the line stops inside the arrow head, not past its tip
        path = QPainterPath(p1)
        path.cubicTo(p1 + t1 * reach, p2 + t2 * reach, end)
        self.prepareGeometryChange()
        self._shape = None
        self.setPath(path)
        if self.head is not None:
            # The head points along the tangent the curve arrives with (= -t2).
            ux, uy = -t2.x(), -t2.y()
            base = p2 - QPointF(ux, uy) * ARROW_LEN
            n = QPointF(-uy, ux) * ARROW_HALF
            self.head.setPolygon(QPolygonF([p2, base + n, base - n]))

    def shape(self) -> QPainterPath:
        # A 12 px wide band is easy to hover and click; the drawn line is under 2 px.
        if self._shape is None:
            stroker = QPainterPathStroker()
            stroker.setWidth(12)
            self._shape = stroker.createStroke(self.path())
        return self._shape
