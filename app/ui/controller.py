"""The GUI's one handle on the open team: the Team, its undo stack and the selection.

Every widget changes the team through `Controller.do(op)`; nothing else mutates it. The canvas and
the panels observe the signals below and own no data of their own.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from app.model.operations import Operation, OperationError
from app.model.team import Team, TeamChange


class OperationCommand(QUndoCommand):
    """One model operation on the undo stack. `apply()` returns the inverse, so undo and redo
    simply swap the operation they hold."""

    def __init__(self, team: Team, op: Operation, inverse: Operation, merge_key: object = None):
        super().__init__(op.label)
        self._team = team
        self._redo_op = op
        self._undo_op = inverse
        self._merge_key = merge_key
        self._applied = True  # the controller applied it before pushing, to catch errors first

    def redo(self) -> None:
        if self._applied:  # QUndoStack.push calls redo(); the operation has already run
            self._applied = False
            return
        self._undo_op = self._team.apply(self._redo_op)

    def undo(self) -> None:
        self._redo_op = self._team.apply(self._undo_op)

    def id(self) -> int:
        return 1 if self._merge_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        # A typing burst in one field is one undo step: keep our inverse, take their operation.
        if not isinstance(other, OperationCommand) or other._merge_key != self._merge_key:
            return False
        self._redo_op = other._redo_op
        self.setText(other.text())
        return True


class Controller(QObject):
    teamOpened = Signal(object)        # Team
    teamChanged = Signal(object)       # TeamChange
    selectionChanged = Signal(list)    # list[str] of agent names
    focusField = Signal(str, str)      # agent name, field name ("model", "coordination.hands_off_to"…)
    error = Signal(str)                # a plain-English message for the status bar / a dialog

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.team: Team | None = None
        self.undo_stack = QUndoStack(self)
        self._selection: list[str] = []

    # -- the team -------------------------------------------------------------------------------
    def set_team(self, team: Team) -> None:
        self.team = team
        self.undo_stack.clear()  # history never crosses teams
        self._selection = []
        team.subscribe(self.teamChanged.emit)
        self.teamOpened.emit(team)
        self.selectionChanged.emit([])

    def do(self, op: Operation, merge_key: object = None) -> bool:
        """Apply `op` as one undo step. Returns False (and emits `error`) if the model refused it."""
        if self.team is None:
            return False
        try:
            inverse = self.team.apply(op)
        except OperationError as exc:
            self.error.emit(str(exc))
            return False
        self.undo_stack.push(OperationCommand(self.team, op, inverse, merge_key))
        return True

    def notify(self, change: TeamChange) -> None:
        self.teamChanged.emit(change)

    # -- selection (never part of the undo history) ---------------------------------------------
    @property
    def selection(self) -> list[str]:
        return list(self._selection)

    def select(self, names: list[str]) -> None:
        names = list(names)
        if names != self._selection:
            self._selection = names
            self.selectionChanged.emit(names)

    def show_field(self, agent: str, field: str) -> None:
        self.select([agent])
        self.focusField.emit(agent, field)
