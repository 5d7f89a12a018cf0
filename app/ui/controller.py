"""The GUI's one handle on the open team: the Team, its undo stack and the selection.

Every widget changes the team through `Controller.do(op)`; nothing else mutates it. The canvas and
the panels observe the signals below and own no data of their own.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.model.changes import TeamChange
from app.model.first_layout import unplaced_placement
from app.model.operations import MoveAgents, Operation
from app.model.team import Team
from app.ui.commands import Merge, OperationCommand


class Controller(QObject):
    teamOpened = Signal(object)        # Team
    teamChanged = Signal(object)       # TeamChange
    selectionChanged = Signal(list)    # list[str] of agent names
    focusField = Signal(str, str)      # agent name, field name ("model", "coordination.hands_off_to"…)
    relationShown = Signal(object)     # RelationKey: the relation chosen (its source is selected)
    error = Signal(str)                # a plain-English message for the status bar / a dialog
    aboutToSave = Signal()             # editors commit what is being typed
    aboutToJournal = Signal()          # editors commit typed text without ending its undo step
    scopesChanged = Signal()           # `overridden` changed (app/ui/scope_groups.py)

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.team: Team | None = None
        self.undo_stack = QUndoStack(self)
        self._selection: list[str] = []
        # Agent → the file of a definition in another scope that Claude Code uses instead of it.
        self.overridden: dict[str, str] = {}

    # -- the team -------------------------------------------------------------------------------
    def set_team(self, team: Team, place: bool = True, placement: MoveAgents | None = None) -> None:
        """Make `team` the open one. `place`: first give the agents without a saved position one
        (the automatic first layout; the rest stay) — `placement` when it was worked out already
        (off the GUI thread). That is not an undo step (there is nothing to go back to) and not an
        unsaved change: opening a folder to look at it leaves it as it was."""
        if place:
            if placement is None:
                placement = unplaced_placement(team)
            if placement is not None:
                layout_was_saved = not team.layout_dirty()
                team.apply(placement)
                if layout_was_saved:
                    team.accept_layout()
        self.team = team
        self.undo_stack.clear()  # history never crosses teams
        self._selection = []
        self.overridden = {}  # until the other scopes are read (app/ui/scope_groups.py)
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

    def show_relation(self, key: tuple[str, str, str]) -> None:
        """Select the relation's source agent and say which relation was chosen (the property
        panel picks its entry without taking the keyboard away from where the user is)."""
        self.select([key[1]])
        self.relationShown.emit(key)

    def show_field(self, agent: str, field: str) -> None:
        self.select([agent])
        self.focusField.emit(agent, field)
