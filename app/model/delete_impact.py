"""What else changes when agents are deleted, in words: the question the editor asks once before
deleting ("2 other agents hand work to it; those references will be removed")."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from app.model.agent import split_names

if TYPE_CHECKING:
    from app.model.team import Team

# coordination key of ANOTHER agent that lists a deleted one → what that says, in plain words
WORDS = {
    "hands_off_to": ("hands work to", "hand work to"),
    "receives_from": ("receives work from", "receive work from"),
    "parallel_with": ("works in parallel with", "work in parallel with"),
}


def referrers(team: Team, names: Sequence[str]) -> dict[str, list[str]]:
    """coordination key → the other agents (not being deleted) whose lists name a deleted agent."""
    gone = set(names)
    out: dict[str, list[str]] = {key: [] for key in WORDS}
    for f in team.files.values():
        if f.name is None or f.name in gone or not isinstance(f.data, dict):
            continue
        block = f.data.get("coordination")
        if not isinstance(block, dict):
            continue
        for key in WORDS:
            if gone & set(split_names(block.get(key))):
                out[key].append(f.name)
    return {key: sorted(set(who)) for key, who in out.items() if who}


def delete_question(team: Team, names: Sequence[str]) -> str:
    """The one question before deleting: what goes, what else changes, and that it can be undone."""
    it = "it" if len(names) == 1 else "them"
    files = "Its file goes" if len(names) == 1 else "Their files go"
    lines = [f"Delete {names[0]}?" if len(names) == 1 else f"Delete {len(names)} agents ({', '.join(names)})?",
             f"{files} to the trash when you save, so you can get {it} back from there."]
    found = referrers(team, names)
    for key, who in found.items():
        one, many = WORDS[key]
        count = "1 other agent" if len(who) == 1 else f"{len(who)} other agents"
        lines.append(f"{count} ({', '.join(who)}) {one if len(who) == 1 else many} {it}; "
                     f"{'that reference' if len(who) == 1 else 'those references'} will be removed.")
    if not found:
        lines.append(f"No other agent refers to {it}.")
    lines.append("You can also undo this.")
    return "\n".join(lines)
