"""The marks a matrix cell is drawn with — one small shape per relation, readable without colour:

  →  hands work to the column's agent        ←  receives work from it
  ‖  works in parallel with it               »  may start it (« it may start this one)
  ◉› lists it as an observer                 ‹◉ it lists this one as an observer

A relation both files declare is drawn solid; a one-sided one hollow (outlined head, dashed
shaft) on a hatched cell, with a bar on the side whose file declares it: on the left edge when
only the row's agent declares it (the row's names are on the left), on the top edge when only
the column's does. The legend (`LEGEND`) is drawn by these same functions.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPen

from app.model.relation_matrix import Mark
from app.ui.theme import CanvasColors

GLYPH = 12.0  # the square one mark is drawn in, in pixels
WIDE = 18.0  # a hand-off each way: one arrow with two heads
GAP = 2.0
BAR = 3.0  # the declaring side's bar

# (kind, direction, declared, meaning): the legend's rows, from the row's point of view.
LEGEND = (
    ("handoff", "out", "both", "hands work to the agent of the column (both files say so)"),
    ("handoff", "in", "both", "receives work from the agent of the column"),
    ("handoff", "out", "row", "one-sided: hatched, hollow; bar on the left = only the row's file says so"),
    ("handoff", "out", "column", "one-sided: bar on top = only the column's file says so"),
    ("parallel", "both", "both", "works in parallel with the agent of the column"),
    ("spawn", "out", "both", "may start the agent of the column (« it may start this one)"),
    ("observer", "out", "both", "lists the agent of the column as an observer"),
)


def hatch_brush(colors: CanvasColors) -> QBrush:
    color = QColor(colors.one_sided)
    color.setAlpha(110 if colors.dark else 90)
    return QBrush(color, Qt.BrushStyle.BDiagPattern)


def _glyphs(marks: tuple[Mark, ...]) -> list[tuple[str, str, bool, bool]]:
    """(kind, direction, one-sided, other head one-sided) per glyph: a hand-off each way between the
    same two agents is one arrow with two heads (each drawn as its own relation says)."""
    out: list[tuple[str, str, bool, bool]] = []
    handoffs = {m.direction: m.one_sided for m in marks if m.kind == "handoff"}
    if len(handoffs) == 2:
        out.append(("handoff", "two-way", handoffs["out"], handoffs["in"]))
    out += [(m.kind, m.direction, m.one_sided, False) for m in marks if m.kind != "handoff" or len(handoffs) == 1]
    return out


def paint_cell(p: QPainter, rect: QRectF, marks: tuple[Mark, ...], colors: CanvasColors) -> None:
    """Every mark of one cell, centred in `rect` (the painter's state is restored after)."""
    if not marks:
        return
    p.save()
    one_sided = [m for m in marks if m.one_sided]
    if one_sided:
        p.fillRect(rect, hatch_brush(colors))
        bar = QColor(colors.one_sided)
        if any(m.declared == "row" for m in one_sided):
            p.fillRect(QRectF(rect.left(), rect.top(), BAR, rect.height()), bar)
        if any(m.declared == "column" for m in one_sided):
            p.fillRect(QRectF(rect.left(), rect.top(), rect.width(), BAR), bar)
    glyphs = _glyphs(marks)
    widths = [WIDE if g[1] == "two-way" else GLYPH for g in glyphs]
    width = sum(widths) + (len(glyphs) - 1) * GAP
    room = rect.width() - BAR - 3
    p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
    p.translate(rect.center().x() + BAR / 2, rect.center().y())
    if width > room:  # three or four kinds between two agents (rare): smaller, not cut off
        p.scale(room / width, room / width)
    x = -width / 2
    for (kind, direction, one, other), w in zip(glyphs, widths, strict=True):
        paint_mark(p, QRectF(x, -GLYPH / 2, w, GLYPH), kind, direction, one, colors, other)
        x += w + GAP
    p.restore()


def _head(p: QPainter, tip: float, back: float, mid: float, color: QColor, hollow: bool) -> None:
    head = QPainterPath(QPointF(tip, mid))
    head.lineTo(back, mid - 4)
    head.lineTo(back, mid + 4)
    head.closeSubpath()
    p.setPen(QPen(color, 1.3))
    p.setBrush(Qt.BrushStyle.NoBrush if hollow else QBrush(color))
    p.drawPath(head)


def paint_mark(p: QPainter, box: QRectF, kind: str, direction: str, one_sided: bool,
               colors: CanvasColors, other_one_sided: bool = False) -> None:
    """One glyph in `box`. A "two-way" hand-off: `one_sided` is the head on the right (row →
    column), `other_one_sided` the head on the left."""
    strong, weak = QColor(colors.text), QColor(colors.one_sided)
    color = weak if one_sided else strong
    pen = QPen(color, 1.6)
    pen.setCapStyle(Qt.PenCapStyle.FlatCap)
    left, right, mid = box.left() + 0.5, box.right() - 0.5, box.center().y()
    if kind == "handoff":
        heads = {"out": [(right, one_sided)], "in": [(left, one_sided)],
                 "two-way": [(right, one_sided), (left, other_one_sided)]}[direction]
        shaft = QPen(weak if any(h for _t, h in heads) else strong, 1.6)
        shaft.setCapStyle(Qt.PenCapStyle.FlatCap)
        if all(h for _t, h in heads):
            shaft.setDashPattern([1.5, 1.2])
        p.setPen(shaft)
        x0 = left + 4 if direction in ("in", "two-way") else left
        x1 = right - 4 if direction in ("out", "two-way") else right
        p.drawLine(QPointF(x0, mid), QPointF(x1, mid))
        for tip, hollow in heads:
            back = tip - 6 if tip == right else tip + 6
            _head(p, tip, back, mid, weak if hollow else strong, hollow)
        return
    if kind == "parallel":
        if one_sided:
            pen.setDashPattern([1.5, 1.2])
        p.setPen(pen)
        cx = box.center().x()
        for dx in (-2.5, 2.5):
            p.drawLine(QPointF(cx + dx, box.top() + 1), QPointF(cx + dx, box.bottom() - 1))
    elif kind == "spawn":
        p.setPen(QPen(color, 1.6))
        sign = 1 if direction == "out" else -1
        cx = box.center().x()
        for dx in (-3.0, 1.5):
            x0 = cx + sign * dx
            p.drawLine(QPointF(x0 - sign * 2.5, mid - 4), QPointF(x0 + sign * 1.5, mid))
            p.drawLine(QPointF(x0 + sign * 1.5, mid), QPointF(x0 - sign * 2.5, mid + 4))
    else:  # observer: an eye, with a chevron on the side it points to
        p.setPen(QPen(color, 1.3))
        cx = box.center().x() + (-1.5 if direction == "out" else 1.5)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawEllipse(QPointF(cx, mid), 3.6, 3.6)
        p.setBrush(QBrush(color))
        p.drawEllipse(QPointF(cx, mid), 1.3, 1.3)
        tip = box.right() if direction == "out" else box.left()
        base = tip - 2.5 if direction == "out" else tip + 2.5
        p.drawLine(QPointF(base, mid - 2.5), QPointF(tip, mid))
        p.drawLine(QPointF(tip, mid), QPointF(base, mid + 2.5))
