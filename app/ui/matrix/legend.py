"""The matrix's legend, always in view under the grid: each mark drawn by the cells' own code
(glyphs.py) beside its meaning in plain words, wrapped to the width there is."""

from __future__ import annotations

from PySide6.QtCore import QRectF, QSize, Qt
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from app.model.relation_matrix import Mark
from app.ui.matrix.glyphs import paint_cell
from app.ui.theme import canvas_colors

SAMPLE_W, SAMPLE_H, GAP, LINE = 24, 18, 14, 22

_KEY = ("handoff", "a", "b")
# (the sample cell's marks, words) — read along a row: "the row's agent … the column's agent"
ITEMS: tuple[tuple[tuple[Mark, ...], str], ...] = (
    ((Mark("handoff", "out", "both", _KEY),), "hands work to"),
    ((Mark("handoff", "in", "both", _KEY),), "receives work from"),
    ((Mark("parallel", "both", "both", _KEY),), "works in parallel with"),
    ((Mark("spawn", "out", "row", _KEY),), "may start"),
    ((Mark("observer", "out", "row", _KEY),), "has as observer"),
    ((Mark("handoff", "out", "row", _KEY),), "one-sided: only the row's file says so (bar left)"),
    ((Mark("handoff", "out", "column", _KEY),), "one-sided: only the column's file says so (bar on top)"),
)
TITLE = "Read along a row: the agent on the left"


class LegendStrip(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Legend of the relation matrix")
        self.setAccessibleDescription(TITLE + " " + "; ".join(words for _m, words in ITEMS)
                                      + " the agent along the top. Hatched, hollow marks are one-sided.")
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def _items(self) -> list[tuple[str, float]]:
        metrics = self.fontMetrics()
        out = [(TITLE, float(metrics.horizontalAdvance(TITLE)))]
        out += [(words, float(SAMPLE_W + 6 + metrics.horizontalAdvance(words))) for _m, words in ITEMS]
        return out

    def _places(self, width: float) -> list[tuple[float, float]]:
        x, y, places = 8.0, 4.0, []
        for _text, w in self._items():
            if x > 8 and x + w > width - 8:
                x, y = 8.0, y + LINE
            places.append((x, y))
            x += w + GAP
        return places

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        places = self._places(width)
        return int(places[-1][1] + LINE + 4) if places else LINE

    def sizeHint(self) -> QSize:
        width = self.width() if self.width() > 100 else 640
        return QSize(width, self.heightForWidth(width))

    def resizeEvent(self, event) -> None:
        self.updateGeometry()
        super().resizeEvent(event)

    def paintEvent(self, event) -> None:
        colors = canvas_colors()
        p = QPainter(self)
        p.setPen(self.palette().windowText().color())
        places = self._places(self.width())
        for i, ((text, _w), (x, y)) in enumerate(zip(self._items(), places, strict=True)):
            if i == 0:
                p.drawText(QRectF(x, y, 1000, SAMPLE_H), int(Qt.AlignmentFlag.AlignVCenter), text + ":")
                continue
            marks = ITEMS[i - 1][0]
            box = QRectF(x, y, SAMPLE_W, SAMPLE_H)
            p.fillRect(box, self.palette().base())
            paint_cell(p, box, marks, colors)
            p.setPen(self.palette().mid().color())
            p.drawRect(box)
            p.setPen(self.palette().windowText().color())
            p.drawText(QRectF(x + SAMPLE_W + 6, y, 1000, SAMPLE_H), int(Qt.AlignmentFlag.AlignVCenter), text)
        p.end()
