"""The open team among the other agents Claude Code would see beside it (app/model/team_scopes.py):
which folders are read, where the team ranks, which definitions lose a name clash — on folders
laid out the way Claude Code keeps them, with a fake HOME."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.model import operations as ops
from app.model import scopes
from app.model.team import Team
from app.model.team_scopes import load_around, place


def agent(folder: Path, name: str, description: str | None = "Does a job.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    lines = ["---", f"name: {name}"] + ([f"description: {description}"] if description else []) + ["---", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.fixture
def world(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)
    managed = tmp_path / "managed"
    monkeypatch.setattr(scopes, "managed_folder", lambda: managed)
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    project = repo / "service" / ".claude" / "agents"
    f = {
        "team-reviewer": agent(project, "reviewer"),
        "team-auditor": agent(project, "security-auditor"),
        "team-planner": agent(project, "planner"),
        "managed": agent(managed / ".claude" / "agents", "security-auditor"),
        "parent": agent(repo / ".claude" / "agents", "planner"),
        "parent-only": agent(repo / ".claude" / "agents", "releaser"),
        "user": agent(home / ".claude" / "agents", "reviewer"),
        "user-only": agent(home / ".claude" / "agents", "writer"),
        "user-skipped": agent(home / ".claude" / "agents", "draft", description=None),
    }
    plugin = tmp_path / "plugins" / "toolkit"
    f["plugin"] = agent(plugin / "agents", "reviewer")
    record = home / ".claude" / "plugins" / "installed_plugins.json"
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"version": 2, "plugins": {"toolkit@market": [{"installPath": str(plugin)}]}}))
    return Team.load(project), f


def test_the_other_scopes_are_read_and_the_open_team_ranks_as_the_nearest_project(world):
    team, f = world
    around = load_around(team.root)
    assert around.scope == "project"
    assert [(sf.scope, sf.plugin) for sf in around.folders] == [
        ("managed", None), ("project", None), ("user", None), ("plugin", "toolkit")]
    assert around.position == 1  # after the managed folder, before the parent project folder
    placed = place(around, team)
    got = {(a.name, a.file): (a.scope, a.active, a.shadowed_by, a.skipped is not None) for a in placed.others}
    assert got == {
        ("security-auditor", f["managed"]): ("managed", True, None, False),
        ("planner", f["parent"]): ("project", False, f["team-planner"], False),
        ("releaser", f["parent-only"]): ("project", True, None, False),
        ("reviewer", f["user"]): ("user", False, f["team-reviewer"], False),
        ("writer", f["user-only"]): ("user", True, None, False),
        ("draft", f["user-skipped"]): ("user", False, None, True),
        ("toolkit:reviewer", f["plugin"]): ("plugin", True, None, False),  # a plugin's id never clashes
    }
    assert placed.overridden == {"security-auditor": f["managed"]}  # the organisation's definition wins


def test_placing_follows_the_team_as_it_is_now_without_reading_the_other_folders_again(world):
    team, f = world
    around = load_around(team.root)
    f["user"].unlink()  # read once: what the editor shows until the team is opened again
    team.apply(ops.RenameAgent("security-auditor", "auditor"))
    team.apply(ops.RenameAgent("reviewer", "code-reviewer"))
    placed = place(around, team)
    assert placed.overridden == {}
    user = next(a for a in placed.others if a.file == f["user"])
    assert (user.name, user.active, user.shadowed_by) == ("reviewer", True, None)


def test_the_user_folder_opened_as_the_team_is_the_user_scope_and_not_read_twice(world):
    _team, f = world
    team = Team.load(f["user"].parent)
    around = load_around(team.root)
    assert around.scope == "user"
    assert all(sf.folder != team.root for sf in around.folders)
    placed = place(around, team)
    assert {a.name for a in placed.others if a.scope == "user"} == set()
    assert next(a for a in placed.others if a.name == "toolkit:reviewer").active
