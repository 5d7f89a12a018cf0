"""The GUI's one handle on the open team: the Team, its undo stack and the selection.

Every widget changes the team through `Controller.do(op)`; nothing else mutates it. The canvas and
the panels observe the signals below and own no data of their own.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.model.changes import TeamChange
from app.model.operations import Operation
from app.model.team import Team
from app.ui.commands import Merge, OperationCommand


class Controller(QObject):
    teamOpened = Signal(object)        # Team
    teamChanged = Signal(object)       # TeamChange
    selectionChanged = Signal(list)    # list[str] of agent names
    focusField = Signal(str, str)      # agent name, field name ("model", "coordination.hands_off_to"…)
    error = Signal(str)                # a plain-English message for the status bar / a dialog
    aboutToSave = Signal()             # editors commit what is being typed
    aboutToJournal = Signal()          # editors commit typed text without ending its undo step

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
        if team.recovered:  # opening finished or undid a save that was killed half-way
            self.error.emit(team.recovered)

    def do(self, op: Operation, merge: Merge | None = None, merge_key: object = None) -> bool:
        """Apply `op` as one undo step (none when it changes nothing). Returns False, and emits
        `error`, when the model refused it."""
        if self.team is None:
            return False
        command = OperationCommand(self.team, op, merge, merge_key)
        self.undo_stack.push(command)  # push() runs redo(), which applies the operation
        if not command.ok:
            self.error.emit(command.error or "")
            return False
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
