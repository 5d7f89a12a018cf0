"""The problems panel: the team's validation problems, live, with quick fixes.

A table model mirrors `team.problems` after every change, filtered by severity and sorted.
Clicking a problem selects its agent and focuses the field in the property panel. Each quick fix is one
model operation (a `Batch` when it takes several), so it is one undo step.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    Qt,
)
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.model.fixes import Fix, quick_fixes
from app.model.validation import Problem
from app.ui.panels.presenter import relation_field
from app.ui.panels.severity import SEVERITIES, SEVERITY_WORDS, severity_icon
from app.ui.panels.widgets import make_muted
from app.ui.panels.wording import display_message

# ------------------------------------------------------------------------------------ models --
_RANK = {severity: rank for rank, severity in enumerate(SEVERITIES)}


class ProblemsModel(QAbstractTableModel):
    """The team's problems as the table shows them: those of the shown severities, sorted.

    The order: severity first (errors on top), then the sorted column's text; problems with
    equal keys keep the team's order. It filters and sorts itself, once per change, with plain
    keys: a QSortFilterProxyModel over a Python model calls back into Python for every
    comparison and every row (a million `data()` calls to sort 60,000 problems: seconds, see
    benchmarks/problems_panel.py). `problems` is the team's list in its order, `rows` the shown.
    """

    COLUMNS = ("Problem", "Agent", "Location")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.problems: list[Problem] = []
        self.rows: list[Problem] = []
        self.shown: frozenset[str] = frozenset(SEVERITIES)
        self.sort_column = 0
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._icons = {s: severity_icon(s) for s in SEVERITIES}
        self._orders: dict[tuple[int, Qt.SortOrder], list[Problem]] = {}

    # -- what is shown ---------------------------------------------------------------------------
    def set_problems(self, problems: Iterable[Problem]) -> None:
        problems = list(problems)
        if problems == self.problems:
            return
        self.beginResetModel()
        self.problems = problems
        self._orders.clear()
        self.rows = self._arranged()
        self.endResetModel()

    def set_shown(self, severities: Iterable[str]) -> None:
        """Show only the problems of these severities (a reset: rows come and go)."""
        shown = frozenset(severities)
        if shown == self.shown:
            return
        self.beginResetModel()
        self.shown = shown
        self.rows = self._arranged()
        self.endResetModel()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Qt's entry point (a click on a header). The same rows in a new order: the selection and
        the current row follow their problems."""
        if not 0 <= column < len(self.COLUMNS):
            return
        self.layoutAboutToBeChanged.emit()
        self.sort_column, self.sort_order = column, order
        old = self.persistentIndexList()
        held = [(index, self.rows[index.row()]) for index in old]
        self.rows = self._arranged()
        if held:
            where = {id(p): r for r, p in enumerate(self.rows)}
            self.changePersistentIndexList(
                [index for index, _p in held],
                [self.index(where[id(p)], index.column()) for index, p in held])
        self.layoutChanged.emit()

    def _arranged(self) -> list[Problem]:
        shown = self.shown
        return [p for p in self._ordered() if p.severity in shown]

    def _ordered(self) -> list[Problem]:
        """Every problem in the current order; kept per order until the problems change, so that
        filtering never sorts and going back to an order is free."""
        order = (self.sort_column, self.sort_order)
        ordered = self._orders.get(order)
        if ordered is not None:
            return ordered
        problems = self.problems
        column = self.sort_column
        if column == 0:
            texts = [p.message for p in problems]
        elif column == 1:
            texts = [p.agent or "" for p in problems]
        else:  # location()'s text, spelled out here: a call per problem would double the time
            texts = [(f"{p.file}:{p.line}" if p.line else p.file) if p.file else "" for p in problems]
        ranks = [_RANK.get(p.severity, len(SEVERITIES)) for p in problems]
        reverse = self.sort_order == Qt.SortOrder.DescendingOrder
        # By (severity, text) in two stable passes over indices, the text first: the keys are
        # plain lists read in C, twice as fast as one pass on tuples. A stable descending sort
        # keeps ties in the team's order too.
        indices = sorted(range(len(problems)), key=texts.__getitem__, reverse=reverse)
        indices.sort(key=ranks.__getitem__, reverse=reverse)
        ordered = self._orders[order] = [problems[i] for i in indices]
        return ordered

    def row_of(self, problem: Problem) -> int | None:
        try:
            return self.rows.index(problem)
        except ValueError:
            return None

    # -- Qt's table ------------------------------------------------------------------------------
    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.COLUMNS[section]
        return None

    @staticmethod
    def location(problem) -> str:
        if not problem.file:
            return ""
        return f"{problem.file}:{problem.line}" if problem.line else problem.file

    @staticmethod
    def texts(problem: Problem) -> tuple[str, str, str]:
        """What the three columns show."""
        return display_message(problem.message), problem.agent or "", ProblemsModel.location(problem)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        p = self.rows[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:  # in the property panel's words (wording.py)
            return self.texts(p)[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self._icons.get(p.severity)
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole message, wrapped (rich text wraps)
            return (f"<p>{html.escape(p.severity)}: {html.escape(display_message(p.message))}"
                    f"<br>({html.escape(p.code)})</p>") if col == 0 else None
        if role == Qt.ItemDataRole.UserRole:
            return p
        return None


# ------------------------------------------------------------------------------------- panel --
class ProblemsPanel(QWidget):
    """`ProblemsPanel(controller)`: the live problem list."""

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self.controller = controller
        self.model = ProblemsModel(self)

        # A table, not a tree: a QTreeView walks every row through the Python model on each
        # reset or sort (two calls a row, ~120 ms at 60,000 problems); a table of fixed-height
        # rows asks only for the rows on screen.
        self.view = QTableView(self)
        self.view.setObjectName("problemsView")
        self.view.setModel(self.model)
        self.view.setShowGrid(False)
        self.view.setWordWrap(False)
        self.view.setCornerButtonEnabled(False)
        rows = self.view.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        rows.setDefaultSectionSize(max(20, self.fontMetrics().height() + 6))
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setIconSize(QSize(16, 16))
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, 170)
        header.resizeSection(2, 220)
        self.view.clicked.connect(self._activated)
        self.view.activated.connect(self._activated)
        self.view.customContextMenuRequested.connect(self._context_menu)
        self.view.selectionModel().currentChanged.connect(lambda *_: self._update_fix_button())

        self.empty = QLabel("No problems: every agent is valid and every relation is declared on both sides.",
                            self)
        self.empty.setObjectName("problemsEmpty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        make_muted(self.empty)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)

        bar = QHBoxLayout()
        bar.setContentsMargins(8, 4, 8, 4)
        bar.setSpacing(4)
        self.filters: dict[str, QToolButton] = {}
        for sev in SEVERITIES:
            b = QToolButton(self)
            b.setObjectName(f"filter.{sev}")
            b.setCheckable(True)
            b.setChecked(True)
            b.setAutoRaise(True)
            b.setIcon(severity_icon(sev))
            b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
            b.setToolTip(f"Show or hide {SEVERITY_WORDS[sev].lower()}")
            b.toggled.connect(self._filter_changed)
            self.filters[sev] = b
            bar.addWidget(b)
        bar.addStretch(1)
        self.fix_button = QToolButton(self)
        self.fix_button.setObjectName("quickFixButton")
        self.fix_button.setText("Quick fix")
        self.fix_button.setToolTip("Fix the selected problem (one undo step)")
        self.fix_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.fix_menu = QMenu(self.fix_button)
        self.fix_button.setMenu(self.fix_menu)
        self.fix_button.setEnabled(False)
        bar.addWidget(self.fix_button)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(0)
        lay.addLayout(bar)
        lay.addWidget(self.stack, 1)

        controller.teamOpened.connect(lambda _t: self.refresh())
        controller.teamChanged.connect(lambda _c: self.refresh())
        self.refresh()

    # ----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        team = self.controller.team
        problems = list(team.problems) if team is not None else []
        current = self.current_problem()
        self.model.set_problems(problems)
        counts = Counter(p.severity for p in problems)
        for sev, b in self.filters.items():
            b.setText(f"{SEVERITY_WORDS[sev]} {counts[sev]}")
        self._keep_current(current)
        self.stack.setCurrentWidget(self.view if problems else self.empty)
        self._update_fix_button()

    def _keep_current(self, problem: Problem | None) -> None:
        """After a reset of the model: the problem that was current is current again, if shown."""
        row = self.model.row_of(problem) if problem is not None else None
        if row is not None and self.view.currentIndex().row() != row:
            self.view.setCurrentIndex(self.model.index(row, 0))

    def _filter_changed(self) -> None:
        current = self.current_problem()
        self.model.set_shown([s for s, b in self.filters.items() if b.isChecked()])
        self._keep_current(current)
        self._update_fix_button()

    def problem_at(self, index: QModelIndex | QPersistentModelIndex) -> Problem | None:
        if not index.isValid() or index.model() is not self.model:
            return None
        problem = self.model.data(self.model.index(index.row(), 0), Qt.ItemDataRole.UserRole)
        return problem if isinstance(problem, Problem) else None

    def current_problem(self) -> Problem | None:
        return self.problem_at(self.view.currentIndex())

    def visible_problems(self) -> list[Problem | None]:
        return list(self.model.rows)

    def _activated(self, index: QModelIndex) -> None:
        p = self.problem_at(index)
        if p is None or not p.agent:
            return
        team = self.controller.team
        if team is None or team.agent(p.agent) is None:
            return
        self.controller.show_field(p.agent, self.field_for(p))

    @staticmethod
    def field_for(problem: Problem) -> str:
        if problem.field:
            return problem.field
        if problem.relation is not None and problem.agent:
            # the agent's own list that names the relation: the same table the property panel shows
            here = relation_field(problem.relation, problem.agent)
            if here is not None:
                return here.path
        return {
            "missing-description": "description", "invalid-name": "name", "missing-name": "name",
            "duplicate-name": "name", "name-file-mismatch": "name", "unknown-color": "color",
            "unknown-model": "model", "yaml-error": "name",
            "asymmetric-handoff": "coordination.hands_off_to",
            "asymmetric-parallel": "coordination.parallel_with",
            "unknown-reference": "coordination.hands_off_to",
            "self-reference": "coordination.hands_off_to",
            "handoff-cycle": "coordination.hands_off_to",
        }.get(problem.code, "name")

    def fixes_for(self, problem: Problem | None) -> list[Fix]:
        team = self.controller.team
        return quick_fixes(team, problem) if problem is not None and team is not None else []

    def apply_fix(self, fix: Fix) -> bool:
        return self.controller.do(fix.op)

    def _fill_menu(self, menu: QMenu, problem: Problem | None) -> bool:
        menu.clear()
        fixes = self.fixes_for(problem)
        for fix in fixes:
            action = menu.addAction(display_message(fix.label))
            action.triggered.connect(lambda _=False, f=fix: self.apply_fix(f))
        if problem is not None and problem.agent:
            if fixes:
                menu.addSeparator()
            go = menu.addAction(f"Show {problem.agent}")
            go.triggered.connect(lambda _=False, p=problem: self._show(p))
        return bool(fixes)

    def _show(self, problem: Problem) -> None:
        if self.controller.team is not None and self.controller.team.agent(problem.agent) is not None:
            self.controller.show_field(problem.agent, self.field_for(problem))

    def _update_fix_button(self) -> None:
        has = self._fill_menu(self.fix_menu, self.current_problem())
        self.fix_button.setEnabled(has)

    def _context_menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        problem = self.problem_at(index)
        if problem is None:
            return
        self.view.setCurrentIndex(index)
        menu = QMenu(self)
        self._fill_menu(menu, problem)
        if not menu.isEmpty():
            menu.exec(self.view.viewport().mapToGlobal(pos))


__all__ = ["Fix", "ProblemsModel", "ProblemsPanel", "QFont", "quick_fixes", "severity_icon"]
