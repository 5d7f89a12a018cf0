"""`agent-canvas list DIR --json`: every agent Claude Code would see when started in DIR, by
scope (managed > project, nearest first, up to the repository root > user > plugins), with
shadowing and skipped files — on folders laid out the way Claude Code keeps them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.__main__ import main
from app.model import scopes


def agent(folder: Path, name: str, description: str | None = "Does a job.", file: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / (file or f"{name}.md")
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
    files = {
        "managed": agent(managed / ".claude" / "agents", "security-auditor"),
        "root": agent(repo / ".claude" / "agents", "reviewer"),
        "root-auditor": agent(repo / ".claude" / "agents", "security-auditor"),
        "skipped": agent(repo / ".claude" / "agents", "no-description", description=None),
        "nearest": agent(repo / "service" / ".claude" / "agents", "reviewer"),
        "user": agent(home / ".claude" / "agents", "reviewer"),
        "user-only": agent(home / ".claude" / "agents", "writer"),
        "outside": agent(tmp_path / ".claude" / "agents", "above-the-repo"),
    }
    plugin = tmp_path / "plugins" / "cache" / "market" / "toolkit" / "1.0.0"
    files["plugin"] = agent(plugin / "agents", "reviewer")
    files["plugin-nested"] = agent(plugin / "agents" / "qa", "checker")
    record = home / ".claude" / "plugins" / "installed_plugins.json"
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"version": 2, "plugins": {
        "toolkit@market": [{"scope": "user", "installPath": str(plugin), "version": "1.0.0"}]}}))
    return repo / "service", files


def test_list_json_shows_every_scope_and_who_wins(world, capsys):
    start, f = world
    assert main(["list", str(start), "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["agents"]
    got = {(r["name"], r["file"]): (r["scope"], r["active"], r["shadowed_by"]) for r in rows}
    s = str
    assert got == {
        ("security-auditor", s(f["managed"])): ("managed", True, None),
        ("reviewer", s(f["nearest"])): ("project", True, None),
        ("reviewer", s(f["root"])): ("project", False, s(f["nearest"])),
        ("security-auditor", s(f["root-auditor"])): ("project", False, s(f["managed"])),
        ("no-description", s(f["skipped"])): ("project", False, None),
        ("reviewer", s(f["user"])): ("user", False, s(f["nearest"])),
        ("writer", s(f["user-only"])): ("user", True, None),
        ("toolkit:reviewer", s(f["plugin"])): ("plugin", True, None),
        ("toolkit:qa:checker", s(f["plugin-nested"])): ("plugin", True, None),
    }  # the folder above the repository root is not read
    skipped = next(r for r in rows if r["name"] == "no-description")
    assert "description" in skipped["skipped"]


def test_a_disabled_plugin_is_not_listed_and_claude_config_dir_moves_the_user_folder(world, tmp_path,
                                                                                      monkeypatch, capsys):
    start, _files = world
    home_claude = tmp_path / "home" / ".claude"
    (home_claude / "settings.json").write_text(json.dumps({"enabledPlugins": {"toolkit@market": False}}))
    assert main(["list", str(start), "--json"]) == 0
    names = {r["name"] for r in json.loads(capsys.readouterr().out)["agents"]}
    assert not {n for n in names if n.startswith("toolkit:")}
    elsewhere = tmp_path / "config"
    agent(elsewhere / "agents", "from-config-dir")
    monkeypatch.setenv("CLAUDE_CONFIG_DIR", str(elsewhere))
    assert main(["list", str(start), "--json"]) == 0
    names = {r["name"] for r in json.loads(capsys.readouterr().out)["agents"]}
    assert "from-config-dir" in names and "writer" not in names


def test_outside_a_repository_only_the_start_folder_counts(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("HOME", str(tmp_path / "nobody"))
    monkeypatch.setattr(scopes, "managed_folder", lambda: tmp_path / "none")
    agent(tmp_path / ".claude" / "agents", "parent-agent")
    start = tmp_path / "work"
    agent(start / ".claude" / "agents", "here")
    assert main(["list", str(start)]) == 0
    out = capsys.readouterr().out
    assert "here" in out and "parent-agent" not in out and "1 agent active" in out
