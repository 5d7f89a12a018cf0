"""The contract between operations and the team they change.

An `Operation` sees the team only through `TeamEdit`: read-only queries plus two primitives —
replace the texts of some files, and set positions/pins. `Team` implements it; operations never
touch its internals, and the team never imports the operations (no import cycle either way).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Protocol

from app.model.agent_file import AgentFile

Point = tuple[float, float]


class OperationError(Exception):
    """The operation cannot be applied; str(e) says why in plain English. The team is unchanged."""


class TeamEdit(Protocol):
    root: Path

    @property
    def files(self) -> Mapping[str, AgentFile]: ...
    @property
    def positions(self) -> Mapping[str, Point]: ...
    @property
    def pinned(self) -> frozenset[str]: ...

    def agent(self, name: str) -> AgentFile | None: ...
    def files_named(self, name: str) -> list[AgentFile]: ...
    def names(self) -> list[str]: ...
    def path_taken(self, rel: str) -> bool:
        """A file is at `rel` in the team, on disk, or waiting to be removed at the next save."""
        ...

    def set_texts(self, texts: Mapping[str, str | None],
                  renamed: Mapping[str, str] | None = None) -> dict[str, str | None]:
        """Replace the text of several files at once (None = remove the file); returns the old
        texts in the same shape. `renamed` (old name → new) says which agents this renames, so
        the change notice reports a rename rather than a removal and an addition."""
        ...

    def set_layout(self, positions: Mapping[str, Point | None],
                   pinned: Mapping[str, bool]) -> tuple[dict[str, Point | None], dict[str, bool]]:
        """Set positions (None = forget) and pinned flags; returns the old values in the same shape."""
        ...


class Operation(Protocol):
    """One change to a team. `apply` makes it and returns the operation that undoes it exactly;
    it raises OperationError, with the team unchanged, when it cannot be made."""

    @property
    def label(self) -> str: ...

    def apply(self, team: TeamEdit) -> Operation: ...
