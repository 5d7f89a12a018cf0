"""The problems panel: the team's validation problems, live, with quick fixes.

A table model mirrors `team.problems` after every change; a proxy filters by severity. Clicking a
problem selects its agent and focuses the field in the property panel. Each quick fix is one
model operation (a `Batch` when it takes several), so it is one undo step.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    QSize,
    QSortFilterProxyModel,
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
    QToolButton,
    QTreeView,
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
class ProblemsModel(QAbstractTableModel):
    COLUMNS = ("Problem", "Agent", "Location")

    def __init__(self, parent=None):
        super().__init__(parent)
        self.problems: list[Problem] = []
        self._icons = {s: severity_icon(s) for s in SEVERITIES}

    def set_problems(self, problems: Iterable[Problem]) -> None:
        problems = list(problems)
        if problems == self.problems:
            return
        self.beginResetModel()
        self.problems = problems
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self.problems)

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

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        p = self.problems[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:  # in the property panel's words (wording.py)
            return (display_message(p.message), p.agent or "", self.location(p))[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 0:
            return self._icons.get(p.severity)
        if role == Qt.ItemDataRole.ToolTipRole:  # the whole message, wrapped (rich text wraps)
            return (f"<p>{html.escape(p.severity)}: {html.escape(display_message(p.message))}"
                    f"<br>({html.escape(p.code)})</p>") if col == 0 else None
        if role == Qt.ItemDataRole.UserRole:
            return p
        if role == Qt.ItemDataRole.UserRole + 1:  # sort key: severity first, then file and line
            return (SEVERITIES.index(p.severity) if p.severity in SEVERITIES else 9,
                    (p.message, p.agent or "", self.location(p))[col])
        return None


class SeverityFilter(QSortFilterProxyModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.shown = set(SEVERITIES)
        self.setSortRole(Qt.ItemDataRole.UserRole + 1)

    def set_shown(self, severities) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+
            self.beginFilterChange()
            self.shown = set(severities)
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.shown = set(severities)
            self.invalidateFilter()

    def filterAcceptsRow(self, row: int, parent: QModelIndex | QPersistentModelIndex) -> bool:
        model = self.sourceModel()
        assert isinstance(model, ProblemsModel)  # the only model it filters
        return model.problems[row].severity in self.shown

    def lessThan(self, left, right) -> bool:
        a = left.data(Qt.ItemDataRole.UserRole + 1)
        b = right.data(Qt.ItemDataRole.UserRole + 1)
        return a < b


# ------------------------------------------------------------------------------------- panel --
class ProblemsPanel(QWidget):
    """`ProblemsPanel(controller)`: the live problem list."""

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("problemsPanel")
        self.controller = controller
        self.model = ProblemsModel(self)
        self.proxy = SeverityFilter(self)
        self.proxy.setSourceModel(self.model)

        self.view = QTreeView(self)
        self.view.setObjectName("problemsView")
        self.view.setModel(self.proxy)
        self.view.setRootIsDecorated(False)
        self.view.setUniformRowHeights(True)
        self.view.setAlternatingRowColors(True)
        self.view.setSortingEnabled(True)
        self.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.setIconSize(QSize(16, 16))
        header = self.view.header()
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
        counts = {s: sum(1 for p in problems if p.severity == s) for s in SEVERITIES}
        for sev, b in self.filters.items():
            b.setText(f"{SEVERITY_WORDS[sev]} {counts[sev]}")
        if current is not None and current in problems:
            src = self.model.index(problems.index(current), 0)
            self.view.setCurrentIndex(self.proxy.mapFromSource(src))
        self.stack.setCurrentWidget(self.view if problems else self.empty)
        self._update_fix_button()

    def _filter_changed(self) -> None:
        self.proxy.set_shown([s for s, b in self.filters.items() if b.isChecked()])

    def problem_at(self, index: QModelIndex | QPersistentModelIndex) -> Problem | None:
        if not index.isValid():
            return None
        problem = self.proxy.mapToSource(index).data(Qt.ItemDataRole.UserRole)
        return problem if isinstance(problem, Problem) else None

    def current_problem(self) -> Problem | None:
        return self.problem_at(self.view.currentIndex())

    def visible_problems(self) -> list[Problem | None]:
        return [self.problem_at(self.proxy.index(r, 0)) for r in range(self.proxy.rowCount())]

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
