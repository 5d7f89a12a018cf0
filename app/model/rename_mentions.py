"""After a rename, the instructions (bodies) that still mention the old name, and the one step
that updates them. A name counts only as a whole name: "code-reviewer" is not found in
"code-reviewers" or "senior-code-reviewer"."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from app.model import operations as ops

if TYPE_CHECKING:
    from app.model.team import Team


def _pattern(name: str) -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-]){re.escape(name)}(?![\w-])")


def mentions(team: Team, name: str) -> list[str]:
    """The agents whose instructions mention `name` (sorted; only editable files)."""
    pattern = _pattern(name)
    out = []
    for agent in team.names():
        f = team.agent(agent)
        if f is not None and f.editable and f.doc is not None and pattern.search(f.doc.body):
            out.append(agent)
    return out


def update_mentions(team: Team, old: str, new: str) -> ops.Batch:
    """SetBody for every agent whose instructions mention `old`: one undo step."""
    pattern = _pattern(old)
    steps = []
    for agent in mentions(team, old):
        f = team.agent(agent)
        assert f is not None and f.doc is not None
        steps.append(ops.SetBody(agent, pattern.sub(new, f.doc.body)))
    return ops.Batch(f"Update the instructions that mention {old}", tuple(steps))
