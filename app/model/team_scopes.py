"""The open team among the other agents Claude Code would see beside it.

When a project's `.claude/agents` is open, Claude Code started in that project also reads the
managed folder, the project folders above it (up to the repository root), the user's
`~/.claude/agents` and the installed plugins' agents (scopes.py). The editor shows those as a
read-only group and marks which definitions lose a name clash: `load_around(root)` reads the other
folders once (disk), `place(around, team)` ranks the team's current agents among them (no disk,
so it can follow every rename).

The open folder counts as the nearest project folder, whatever its name (a team kept outside
`.claude/agents` is ranked as if installed there), unless it is the user's or the managed folder.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.model.folder import team_home
from app.model.scopes import (
    ORDER,
    Scope,
    ScopedAgent,
    ScopeFolder,
    agents_of,
    load_folder,
    managed_folder,
    resolve,
    scope_folders,
    user_folder,
)
from app.model.team import Team


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


@dataclass(frozen=True)
class Around:
    """The folders read beside a team: `folders` (highest precedence first, the team's own folder
    left out) and where the team ranks among them."""

    root: Path
    scope: Scope                      # the team's own scope
    folders: tuple[ScopeFolder, ...]
    position: int                     # the team goes before folders[position]


def team_scope(root: Path, home: Path | None = None) -> Scope:
    if _same(root, user_folder(home) / "agents"):
        return "user"
    if _same(root, managed_folder() / ".claude" / "agents"):
        return "managed"
    return "project"


def load_around(root: Path, home: Path | None = None) -> Around:
    """Read every other folder Claude Code would read when started in the team's project."""
    scope = team_scope(root, home)
    folders = [load_folder(folder, s, plugin) for s, folder, plugin in scope_folders(team_home(root), home)
               if not _same(folder, root)]
    rank = ORDER.index(scope)
    position = next((i for i, f in enumerate(folders) if ORDER.index(f.scope) >= rank), len(folders))
    return Around(root, scope, tuple(folders), position)


@dataclass(frozen=True)
class Placement:
    others: tuple[ScopedAgent, ...]   # the other folders' agents, each active or shadowed
    overridden: dict[str, Path]       # team agent → the file whose definition wins over it


def place(around: Around, team: Team) -> Placement:
    """Rank the team's agents, as they are now, among the other folders' agents."""
    own = ScopeFolder(around.scope, team.root, None, team, tuple(agents_of(team, team.root, None)))
    order = [*around.folders[: around.position], own, *around.folders[around.position:]]
    others, overridden = [], {}
    for agent in resolve(order):
        if agent.folder == team.root:
            if agent.shadowed_by is not None and not agent.shadowed_by.is_relative_to(team.root):
                overridden[agent.name] = agent.shadowed_by  # a twin in the team is a duplicate-name error
        else:
            others.append(agent)
    return Placement(tuple(others), overridden)
