"""How the matrix's cells and its column heads are painted: the cell delegate (marks from
glyphs.py, the selected agents' row and column tinted, the agent's own cell shaded) and a header
that writes the column names upwards, so 17 or 1,000 columns stay a cell wide.

The colours are read once per paint of the view (`refresh_colors`), not per cell.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QPainter
from PySide6.QtWidgets import QHeaderView, QStyle, QStyledItemDelegate, QStyleOptionViewItem

from app.ui.matrix.glyphs import paint_cell
from app.ui.matrix.table_model import MatrixTableModel
from app.ui.theme import canvas_colors

CELL_W = 30
CELL_H = 22


class CellDelegate(QStyledItemDelegate):
    def __init__(self, model: MatrixTableModel, parent=None) -> None:
        super().__init__(parent)
        self.model = model
        self.colors = canvas_colors()
        self.rows: frozenset[int] = frozenset()  # the selected agents' rows (= their columns)
        self.refresh_colors()

    def refresh_colors(self) -> None:
        c = self.colors = canvas_colors()
        band = QColor(c.edge_selected)
        band.setAlpha(34 if c.dark else 22)
        self._band = band
        self._same = QColor(c.grid_dot)
        self._same.setAlpha(120)
        self._selected = QColor(c.edge_selected)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex) -> None:
        row, column = index.row(), index.column()
        rect = QRectF(option.rect)
        if row == column:
            painter.fillRect(rect, self._same)
        elif row in self.rows or column in self.rows:
            painter.fillRect(rect, self._band)
        marks = self.model.matrix.cell(row, column)
        if marks:
            paint_cell(painter, rect, marks, self.colors)
        if option.state & QStyle.StateFlag.State_Selected:
            painter.save()
            pen = painter.pen()
            pen.setColor(self._selected)
            pen.setWidthF(2.0)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawRect(rect.adjusted(1, 1, -1, -1))
            painter.restore()

    def sizeHint(self, option, index) -> QSize:
        return QSize(CELL_W, CELL_H)


class UpwardHeader(QHeaderView):
    """A horizontal header whose section names read bottom to top."""

    def __init__(self, parent=None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)

    def paintSection(self, painter: QPainter, rect: QRect, section: int) -> None:
        if not rect.isValid():
            return
        model = self.model()
        painter.save()
        pal = self.palette()
        painter.fillRect(rect, pal.window())
        painter.setPen(pal.mid().color())
        painter.drawLine(rect.topRight(), rect.bottomRight())
        name = model.headerData(section, Qt.Orientation.Horizontal) if model is not None else ""
        font = model.headerData(section, Qt.Orientation.Horizontal, Qt.ItemDataRole.FontRole) \
            if model is not None else None
        if font is not None:
            painter.setFont(font)
        painter.setPen(pal.windowText().color())
        painter.translate(rect.left() + rect.width() / 2, rect.bottom() - 4)
        painter.rotate(-90)
        metrics = painter.fontMetrics()
        text = metrics.elidedText(str(name or ""), Qt.TextElideMode.ElideRight, rect.height() - 8)
        painter.drawText(QRectF(0, -rect.width() / 2, rect.height() - 8, rect.width()),
                         int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter), text)
        painter.restore()

    def fit_height(self, names, most: int = 190) -> None:
        """Tall enough for the longest name, up to `most` pixels (longer ones end in "…")."""
        font = self.font()
        font.setBold(True)  # a highlighted name is bold: leave room for it
        metrics = QFontMetrics(font)
        widest = max((metrics.horizontalAdvance(n) for n in names), default=40)
        self.setFixedHeight(min(most, int(widest * 1.1) + 14))
