"""The legend: each mark the canvas draws, drawn by the canvas's own code, with its meaning
(View → Legend, Help → Legend)."""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QPainter, QPainterPath
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QVBoxLayout, QWidget

from app.ui.canvas.card import style
from app.ui.canvas.edge import ARROW_HALF, ARROW_LEN, _draw, make_pen

ROW_H = 30
SAMPLE_W = 96

# (pattern, state, head, meaning); state: "" plain, "focus" a relation of the selection,
# "path" a hand-off on a path between two selected agents.
MARKS = (
    ("handoff", "", "filled", "Hand-off: the left agent hands work to the right one"),
    ("parallel", "", None, "Parallel: the two agents work side by side"),
    ("one-sided", "", "hollow", "One-sided hand-off: only one of the two agents declares it"),
    ("one-sided", "", None, "One-sided parallel link: only one of the two declares it"),
    ("handoff", "focus", "filled", "A relation of the selected agent (the rest is dimmed)"),
    ("handoff", "path", "filled", "On a hand-off path between the two selected agents"),
)


class LegendView(QWidget):
    def sizeHint(self) -> QSize:
        return QSize(SAMPLE_W + 420, ROW_H * len(MARKS) + 12)

    def paintEvent(self, event) -> None:
        c = style().colors
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        p.fillRect(self.rect(), c.background)
        for i, (pattern, state, head, meaning) in enumerate(MARKS):
            y = 6 + i * ROW_H + ROW_H / 2
            color = {"focus": c.edge_hover, "path": c.edge_selected}.get(state, c.edge)
            width = 2.0 if state == "path" else 1.0
            pen = make_pen(color, width, pattern)
            line = QPainterPath(QPointF(12, y))
            line.lineTo(SAMPLE_W - ARROW_LEN + 1, y)
            heads = QPainterPath()
            if head:
                tip = QPointF(SAMPLE_W, y)
                heads.moveTo(tip)
                heads.lineTo(SAMPLE_W - ARROW_LEN, y - ARROW_HALF)
                heads.lineTo(SAMPLE_W - ARROW_LEN, y + ARROW_HALF)
                heads.closeSubpath()
            _draw(p, [(pen, line, heads, head == "hollow")])
            p.setPen(c.text)
            p.drawText(QRectF(SAMPLE_W + 16, y - ROW_H / 2, 420, ROW_H),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, meaning)
        p.end()


def show_legend(parent: QWidget | None = None) -> QDialog:
    dialog = QDialog(parent)
    dialog.setWindowTitle("Legend")
    layout = QVBoxLayout(dialog)
    layout.addWidget(LegendView(dialog))
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    layout.addWidget(buttons)
    dialog.show()
    return dialog
