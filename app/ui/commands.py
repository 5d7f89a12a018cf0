"""Undo commands in Qt's idiom: `QUndoStack.push()` calls `redo()`, and `redo()` is what makes the
change. A command whose operation fails, or changes nothing, marks itself obsolete, so the stack
drops it and no empty undo step appears. Typing bursts and keyboard nudges merge by a typed id.
"""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtGui import QUndoCommand

from app.model.operations import Batch, Operation, OperationError, RestoreFiles
from app.model.team import Team


class Merge(IntEnum):
    """Kinds of commands that merge into one undo step (QUndoCommand.id())."""

    TYPING = 1  # consecutive edits of one field of one agent
    NUDGE = 2   # arrow-key moves of the same cards


def files_of(op: Operation | None) -> set[str]:
    """The files an operation's snapshot names (what undoing or redoing it writes)."""
    if isinstance(op, RestoreFiles):
        return {path for path, _text in op.files}
    if isinstance(op, Batch):
        return set().union(*(files_of(inner) for inner in op.ops)) if op.ops else set()
    return set()


class OperationCommand(QUndoCommand):
    """One model operation on the undo stack. `apply()` returns the inverse, so undo and redo
    simply swap the operation they hold."""

    def __init__(self, team: Team, op: Operation, merge: Merge | None = None, merge_key: object = None):
        super().__init__(op.label)
        self._team = team
        self._redo_op: Operation = op
        self._undo_op: Operation | None = None
        self._merge = merge
        self._merge_key = merge_key
        self.error: str | None = None  # why the first redo() failed, in plain English

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def files(self) -> set[str]:
        """The files this step changes when undone or redone."""
        return files_of(self._undo_op) | files_of(self._redo_op)

    def redo(self) -> None:
        try:
            self._undo_op = self._team.apply(self._redo_op)
        except OperationError as exc:  # the team is unchanged: nothing to undo
            self.error = str(exc)
            self.setObsolete(True)
            return
        if self._team.last_change.empty:
            self.setObsolete(True)

    def undo(self) -> None:
        assert self._undo_op is not None
        self._redo_op = self._team.apply(self._undo_op)

    def id(self) -> int:
        return int(self._merge) if self._merge is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        # A typing burst in one field is one undo step: keep our inverse, take their operation.
        if not isinstance(other, OperationCommand) or other._merge_key != self._merge_key or not other.ok:
            return False
        self._redo_op = other._redo_op
        self.setText(other.text())
        return True
