"""The change notice: what one change to a team did, in facts a view can act on directly.

Every `Team.apply`, outside change from disk and save ends in exactly one notice. A view handles
each kind of fact on its own (a card for each added agent, a card moved for each moved one…) and
never works a fact out again from the model's state or its English messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from app.model.relations import RelationKey


@dataclass(frozen=True)
class TeamChange:
    # Agents, by name. A renamed agent is in `renamed` only (old → new), not added or removed.
    added: frozenset[str] = frozenset()
    removed: frozenset[str] = frozenset()
    renamed: tuple[tuple[str, str], ...] = ()
    updated: frozenset[str] = frozenset()    # the agent's file changed (content, or on disk)
    moved: frozenset[str] = frozenset()      # position or pinned flag changed
    # Relations, by (kind, source, target).
    relations_added: frozenset[RelationKey] = frozenset()
    relations_removed: frozenset[RelationKey] = frozenset()
    relations_changed: frozenset[RelationKey] = frozenset()  # who declares it changed
    # Files (relative paths) whose text, bytes on disk or presence changed: dirty marks, saving.
    files: frozenset[str] = frozenset()
    problems: bool = False  # the list of problems is not the one before
    saved: frozenset[str] = field(default=frozenset())  # files written or removed by a save

    @property
    def structure(self) -> bool:
        """Agents came, went or were renamed."""
        return bool(self.added or self.removed or self.renamed)

    @property
    def relations(self) -> bool:
        return bool(self.relations_added or self.relations_removed or self.relations_changed)

    @property
    def empty(self) -> bool:
        return not (self.structure or self.updated or self.moved or self.relations or self.files
                    or self.problems or self.saved)

    def renamed_from(self, new: str) -> str | None:
        return next((old for old, n in self.renamed if n == new), None)
