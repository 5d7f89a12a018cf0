"""The relation matrix view: every agent as a row and as a column, each cell what the row's agent
does with the column's (hands work to it, receives from it, works beside it, may start it) and
whether both files say so. For a dense team it is the picture the canvas cannot be.

The view owns no data: the cells come from the Team through MatrixTableModel; choosing a cell
selects its relation (the property panel shows the source agent with that entry picked); the
fixes of a one-sided relation are the Problems panel's (fixes.one_sided_fixes), each one
operation through `Controller.do` — one undo step.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QPoint, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.model.fixes import Fix, one_sided_fixes
from app.model.relation_matrix import ORDER_WORDS, ORDERS, Mark, describe_cell, handoff_summary
from app.model.team import Team
from app.ui.controller import Controller
from app.ui.matrix.cells import CELL_H, CELL_W, CellDelegate, UpwardHeader
from app.ui.matrix.legend import LegendStrip
from app.ui.matrix.table_model import MatrixTableModel

ROW_HEAD_MAX = 220  # pixels; longer names end in "…" (the tooltip has them whole)


class MatrixTable(QTableView):
    """The grid itself: Enter opens the source agent's list in the property panel."""

    def __init__(self, view: MatrixView) -> None:
        super().__init__(view)
        self._view = view

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._view.edit_current()
            return
        super().keyPressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self._view.delegate.refresh_colors()  # once per paint: the theme may have changed
        return super().viewportEvent(event)


class MatrixView(QWidget):
    def __init__(self, controller: Controller, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matrixView")
        self.controller = controller
        self.model = MatrixTableModel(self)
        self.delegate = CellDelegate(self.model, self)
        self._choosing = False  # the selection change is the matrix's own
        self._stale = False  # the team changed while the matrix was hidden

        self.order = QComboBox(self)
        self.order.setObjectName("matrixOrder")
        self.order.setAccessibleName("Order of the rows and columns")
        for order in ORDERS:
            self.order.addItem(ORDER_WORDS[order], order)
        self.order.currentIndexChanged.connect(lambda _i: self.set_order(self.order.currentData()))
        order_label = QLabel("&Order:", self)
        order_label.setBuddy(self.order)
        self.declare_button = QPushButton("Declare it back", self)
        self.declare_button.setObjectName("matrixDeclare")
        self.remove_button = QPushButton("Remove this relation", self)
        self.remove_button.setObjectName("matrixRemove")
        self.declare_button.clicked.connect(lambda: self.fix_current("declare"))
        self.remove_button.clicked.connect(lambda: self.fix_current("remove-relation"))
        top = QHBoxLayout()
        top.setContentsMargins(8, 6, 8, 2)
        top.addWidget(order_label)
        top.addWidget(self.order)
        top.addStretch(1)
        top.addWidget(self.declare_button)
        top.addWidget(self.remove_button)

        self.table = MatrixTable(self)
        self.table.setObjectName("relationMatrix")
        self.table.setAccessibleName("Relation matrix")
        self.table.setAccessibleDescription(
            "Each row is an agent; each cell says what it does with the agent of the column and "
            "whether both agents' files say so.")
        self.table.setModel(self.model)
        self.table.setItemDelegate(self.delegate)
        self.table.setHorizontalHeader(UpwardHeader(self.table))
        for header, size in ((self.table.horizontalHeader(), CELL_W), (self.table.verticalHeader(), CELL_H)):
            header.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            header.setDefaultSectionSize(size)
            header.setMinimumSectionSize(size)
            header.setHighlightSections(True)
            header.setSectionsClickable(True)
        self.table.verticalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.horizontalHeader().sectionClicked.connect(self._header_clicked)
        self.table.verticalHeader().sectionClicked.connect(self._header_clicked)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setWordWrap(False)
        self.table.setCornerButtonEnabled(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.table.selectionModel().currentChanged.connect(self._current_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_current())
        # The empty corner above the row names says how to read a cell.
        self.corner = QLabel("Each row: what this agent does with the agents along the top →", self.table)
        self.corner.setObjectName("matrixCorner")
        self.corner.setWordWrap(True)
        self.corner.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignBottom)
        self.corner.setContentsMargins(6, 6, 6, 6)

        self.cell_text = QLabel("", self)
        self.cell_text.setObjectName("matrixCellText")
        self.cell_text.setWordWrap(True)
        self.cell_text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.legend = LegendStrip(self)
        self.legend.setObjectName("matrixLegend")
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addLayout(top)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.cell_text)
        lay.addWidget(self.legend)
        for w in (self.cell_text, self.legend):
            w.setContentsMargins(8, 0, 8, 4)

        controller.teamOpened.connect(self._team_opened)
        controller.teamChanged.connect(self._team_changed)
        controller.selectionChanged.connect(self._selection_changed)
        if controller.team is not None:
            self._team_opened(controller.team)
        self._show_cell(QModelIndex())

    # -- following the team -----------------------------------------------------------------------
    def _team_opened(self, team: Team) -> None:
        self.model.set_team(team)
        self._fit_headers()
        self._stale = False
        self._selection_changed(self.controller.selection)

    def _team_changed(self, change) -> None:
        if not self.isVisible():
            self._stale = True  # caught up when shown: no matrix work while the canvas is in use
            return
        current = self._current_names()
        rows = len(self.model.matrix)
        self.model.team_changed(change)
        if len(self.model.matrix) != rows or change.structure:
            self._fit_headers()
            self._restore_current(current)
        self._show_cell(self.table.currentIndex())

    def showEvent(self, event) -> None:
        if self._stale and self.controller.team is not None:
            current = self._current_names()
            self.model.set_team(self.controller.team)
            self._fit_headers()
            self._restore_current(current)
            self._stale = False
        super().showEvent(event)
        # once laid out (the viewport has its size): bring the selected agent's row into view
        QTimer.singleShot(0, lambda: self._selection_changed(self.controller.selection))

    def set_order(self, order) -> None:
        current = self._current_names()
        self.model.set_order(order)
        self._restore_current(current)
        self._selection_changed(self.controller.selection)

    def _fit_headers(self) -> None:
        names = self.model.matrix.names
        header = self.table.horizontalHeader()
        assert isinstance(header, UpwardHeader)
        header.fit_height(names)
        vertical = self.table.verticalHeader()
        widest = max((vertical.fontMetrics().horizontalAdvance(n) for n in names), default=60)
        vertical.setFixedWidth(min(ROW_HEAD_MAX, widest + 24))
        frame = self.table.frameWidth()
        self.corner.setGeometry(frame, frame, vertical.width(), header.height())

    def _current_names(self) -> tuple[str, str] | None:
        index = self.table.currentIndex()
        names = self.model.matrix.names
        if not index.isValid() or index.row() >= len(names) or index.column() >= len(names):
            return None
        return names[index.row()], names[index.column()]

    def _restore_current(self, names: tuple[str, str] | None) -> None:
        if names is None:
            return
        r, c = self.model.matrix.index(names[0]), self.model.matrix.index(names[1])
        if r is not None and c is not None:
            self._choosing = True
            try:
                self.table.setCurrentIndex(self.model.index(r, c))
            finally:
                self._choosing = False

    # -- selection ------------------------------------------------------------------------------
    def _selection_changed(self, names: list[str]) -> None:
        matrix = self.model.matrix
        rows = frozenset(i for i in (matrix.index(n) for n in names) if i is not None)
        self.delegate.rows = rows
        self.model.set_highlight(names)
        self.table.viewport().update()
        if len(names) == 1 and not self.table.currentIndex().isValid() and names[0] in matrix.names:
            self.cell_text.setText(handoff_summary(matrix, names[0]))  # the selection's row in words
        if self._choosing or not rows or not names or not self.isVisible():
            return
        first = matrix.index(names[0])
        current = self.table.currentIndex()
        if first is not None and (not current.isValid() or first not in (current.row(), current.column())):
            # chosen elsewhere (canvas, Find, --select): bring its row into view
            column = current.column() if current.isValid() else 0
            self.table.scrollTo(self.model.index(first, column))

    def _header_clicked(self, section: int) -> None:
        names = self.model.matrix.names
        if 0 <= section < len(names):
            self._choosing = True
            try:
                self.controller.select([names[section]])
            finally:
                self._choosing = False

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self._show_cell(current)
        if self._choosing or not current.isValid():
            return
        names = self.model.matrix.names
        row = names[current.row()]
        marks = self.model.marks(current.row(), current.column())
        self._choosing = True
        try:
            if marks:
                self.controller.show_relation(marks[0].relation)
            else:
                self.controller.select([row])
        finally:
            self._choosing = False

    def current_marks(self) -> tuple[Mark, ...]:
        index = self.table.currentIndex()
        return self.model.marks(index.row(), index.column()) if index.isValid() else ()

    def select_cell(self, row: str, column: str) -> bool:
        """Make the cell (row, column) the current one, as a click would."""
        r, c = self.model.matrix.index(row), self.model.matrix.index(column)
        if r is None or c is None:
            return False
        self.table.selectionModel().setCurrentIndex(self.model.index(r, c),
                                                    QItemSelectionModel.SelectionFlag.ClearAndSelect)
        return True

    def _show_cell(self, index: QModelIndex) -> None:
        names = self.model.matrix.names
        if not index.isValid() or index.row() >= len(names) or index.column() >= len(names):
            self.cell_text.setText("Choose a cell to read its relations. The row's agent is on the left, "
                                   "the column's along the top.")
            fixes = []
        else:
            row, column = names[index.row()], names[index.column()]
            marks = self.model.marks(index.row(), index.column())
            self.cell_text.setText(describe_cell(marks, row, column) if row != column
                                   else f"{row}: its own row and column.")
            fixes = self.fixes(marks)
        declare = next((f for f in fixes if f.kind == "declare"), None)
        remove = next((f for f in fixes if f.kind == "remove-relation"), None)
        for button, fix, idle in ((self.declare_button, declare, "Choose a one-sided relation (a hatched cell)"),
                                  (self.remove_button, remove, "Choose a one-sided relation (a hatched cell)")):
            button.setEnabled(fix is not None)
            button.setToolTip(fix.label if fix is not None else idle)
            button.setAccessibleDescription(fix.label if fix is not None else idle)

    # -- fixing ---------------------------------------------------------------------------------
    def fixes(self, marks) -> list[Fix]:
        team = self.controller.team
        if team is None:
            return []
        return [f for m in marks if m.one_sided for f in one_sided_fixes(team, m.relation)]

    def fix_current(self, kind: str) -> bool:
        fix = next((f for f in self.fixes(self.current_marks()) if f.kind == kind), None)
        return fix is not None and self.controller.do(fix.op)

    def edit_current(self) -> None:
        """Show the source agent's list that holds the current cell's relation, to edit it."""
        marks = self.current_marks()
        if not marks:
            return
        from app.ui.panels.presenter import relation_field

        source = marks[0].relation[1]
        here = relation_field(marks[0].relation, source)
        self.controller.show_field(source, here.path if here is not None else "tools")

    def _context_menu(self, pos: QPoint) -> None:
        index = self.table.indexAt(pos)
        if not index.isValid():
            index = self.table.currentIndex()  # the keyboard's menu key: the current cell
            pos = self.table.visualRect(index).center()
        if not index.isValid():
            return
        self.table.setCurrentIndex(index)
        menu = QMenu(self)
        for fix in self.fixes(self.model.marks(index.row(), index.column())):
            action = menu.addAction(fix.label)
            action.triggered.connect(lambda _c=False, op=fix.op: self.controller.do(op))
        if self.current_marks():
            menu.addSeparator()
            menu.addAction("Edit in the property panel", self.edit_current)
        if not menu.isEmpty():
            menu.exec(self.table.viewport().mapToGlobal(pos))
