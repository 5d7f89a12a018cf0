"""The first layout of a team: a position for every agent that has none yet.

A model job (no Qt), so a team can be laid out where it is read — off the GUI thread when the
editor opens a big folder (app/ui/team_opening.py) — and applied on the GUI thread as one move.
"""

from __future__ import annotations

from app.model.layout import layered_layout
from app.model.operations import MoveAgents
from app.model.team import Team


def unplaced_placement(team: Team) -> MoveAgents | None:
    """The move that gives every agent without a position one, laid out around the placed ones."""
    names = set(team.names())
    missing = [n for n in team.names() if n not in team.positions]
    if not missing:
        return None
    placed = layered_layout(team, {n: p for n, p in team.positions.items() if n in names})
    new: dict[str, tuple[float, float] | None] = {
        n: (float(placed[n][0]), float(placed[n][1])) for n in missing if n in placed}
    return MoveAgents(new) if new else None
