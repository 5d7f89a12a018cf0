"""The relation matrix as a QAbstractTableModel: one row and one column per agent, the cells'
marks from app/model/relation_matrix.py (which owns every rule; this only hands them to Qt).

`data()` is the hot path of scrolling: the delegate asks for MARKS only (a dict lookup in the
RelationMatrix); words are made only when a tooltip or a screen reader asks.
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.model.changes import TeamChange
from app.model.relation_matrix import Mark, Order, RelationMatrix, describe_cell, team_folders
from app.model.team import Team

MARKS = Qt.ItemDataRole.UserRole  # the cell's tuple of Marks
_ENABLED = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
_Index = QModelIndex | QPersistentModelIndex


class MatrixTableModel(QAbstractTableModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.team: Team | None = None
        self.matrix = RelationMatrix((), ())
        self.order: Order = "folder"
        self.highlight: frozenset[str] = frozenset()  # the selected agents: bold headers
        self._bold = QFont()
        self._bold.setBold(True)

    # -- building ------------------------------------------------------------------------------
    def set_team(self, team: Team | None) -> None:
        self.beginResetModel()
        self.team = team
        self.matrix = RelationMatrix.of_team(team, self.order) if team is not None else RelationMatrix((), ())
        self.endResetModel()

    def set_order(self, order: Order) -> None:
        if order == self.order:
            return
        self.order = order
        self.beginResetModel()
        self.matrix.set_order(order)
        self.endResetModel()

    def team_changed(self, change: TeamChange) -> None:
        """Repaint the cells the change touched; build again only when rows must move."""
        team = self.team
        if team is None or change.empty:
            return
        folders = team_folders(team) if change.updated and self.order == "folder" else None
        cells = self.matrix.apply(change, team.relation, folders)
        if cells is None:
            self.set_team(team)
            return
        for r, c in cells:
            index = self.index(r, c)
            self.dataChanged.emit(index, index, [MARKS])

    def set_highlight(self, names) -> None:
        old, self.highlight = self.highlight, frozenset(names)
        for name in old ^ self.highlight:
            i = self.matrix.index(name)
            if i is not None:
                self.headerDataChanged.emit(Qt.Orientation.Vertical, i, i)
                self.headerDataChanged.emit(Qt.Orientation.Horizontal, i, i)

    # -- Qt's questions --------------------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.matrix.names)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.matrix.names)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        return _ENABLED

    def marks(self, row: int, column: int) -> tuple[Mark, ...]:
        return self.matrix.cell(row, column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if role == MARKS:
            return self.matrix.cell(index.row(), index.column())
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            names = self.matrix.names
            row, column = names[index.row()], names[index.column()]
            if row == column:
                return f"{row} (the same agent)"
            return describe_cell(self.matrix.cell(index.row(), index.column()), row, column)
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        names = self.matrix.names
        if not 0 <= section < len(names):
            return None
        name = names[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.FontRole and name in self.highlight:
            return self._bold
        if role == Qt.ItemDataRole.ToolTipRole:
            folder = self.matrix.folders.get(name, "")
            where = f" (folder {folder})" if folder else ""
            side = "row: what it does with each agent along the top" if orientation == Qt.Orientation.Vertical \
                else "column: what each agent on the left does with it"
            return f"{name}{where} — {side}"
        return None
