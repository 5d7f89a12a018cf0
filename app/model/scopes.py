"""Every agent Claude Code would see when started in a folder, from every scope, and which
definition wins when two share a name.

Precedence, highest first (Claude Code's documentation of subagent scopes): managed (the
`.claude/agents` folder in the managed-settings folder) > project (`.claude/agents` in the start
folder and each folder above it up to the repository root; the nearest wins) > user
(`~/.claude/agents`, or `$CLAUDE_CONFIG_DIR/agents`) > plugins (the `agents/` folder of each
installed plugin; their agents are named `plugin:name`, or `plugin:subfolder:name`, so they
never clash with the others). The `--agents` JSON of one session and the built-in agents are not
files and are not listed.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from app.io.document import UnreadableFile, read_bytes
from app.model.team import Team

Scope = str  # "managed" | "project" | "user" | "plugin"
ORDER = ("managed", "project", "user", "plugin")


def managed_folder() -> Path:
    """Where an organisation's managed settings live, per Claude Code's documentation."""
    if sys.platform == "win32":
        return Path(os.environ.get("ProgramData", r"C:\ProgramData")) / "ClaudeCode"
    if sys.platform == "darwin":
        return Path("/Library/Application Support/ClaudeCode")
    return Path("/etc/claude-code")


def user_folder(home: Path | None = None) -> Path:
    config = os.environ.get("CLAUDE_CONFIG_DIR")
    if config:
        return Path(config).expanduser()
    return (home or Path.home()) / ".claude"


def project_folders(start: Path) -> list[Path]:
    """`.claude/agents` of `start` and of each folder above it up to the repository root (the
    first folder holding `.git`), nearest first. Outside a repository: `start` alone."""
    start = start.resolve()
    chain = [start]
    for parent in start.parents:
        if (chain[-1] / ".git").exists():
            break
        chain.append(parent)
    else:  # no repository above: Claude Code reads the start folder's agents alone
        chain = [start]
    return [folder / ".claude" / "agents" for folder in chain]


def plugin_folders(user: Path) -> list[tuple[str, Path]]:
    """(plugin name, its agents folder) of each installed plugin, from Claude Code's record of
    installed plugins (`plugins/installed_plugins.json`, version 1 or 2), enabled or not in
    `settings.json` (`enabledPlugins`; a plugin not named there counts as enabled)."""
    record = user / "plugins" / "installed_plugins.json"
    try:
        data = json.loads(read_bytes(record).decode("utf-8"))
    except (UnreadableFile, ValueError, UnicodeDecodeError):
        return []
    try:
        settings = json.loads(read_bytes(user / "settings.json").decode("utf-8"))
        enabled = settings.get("enabledPlugins") or {}
    except (UnreadableFile, ValueError, UnicodeDecodeError, AttributeError):
        enabled = {}
    out = []
    plugins = data.get("plugins") if isinstance(data, dict) else None
    for key, entries in (plugins or {}).items():
        if isinstance(enabled, dict) and enabled.get(key) is False:
            continue
        for entry in entries if isinstance(entries, list) else [entries]:
            path = entry.get("installPath") if isinstance(entry, dict) else None
            if isinstance(path, str):
                out.append((str(key).split("@", 1)[0], Path(path) / "agents"))
                break
    return sorted(out)


@dataclass(frozen=True)
class ScopedAgent:
    name: str  # a plugin agent's scoped id
    scope: Scope
    file: Path
    active: bool
    shadowed_by: Path | None
    skipped: str | None = None  # why Claude Code would not load it, in plain words


def _agents_in(folder: Path, scope: Scope, plugin: str | None = None) -> list[tuple[str, Path, str | None]]:
    """(name, file, reason Claude Code skips it or None) of every agent file in `folder`."""
    if not folder.is_dir():
        return []
    team = Team.load(folder)
    skip_codes = {"missing-description", "yaml-error", "invalid-name"}
    reasons: dict[str, str] = {}
    for p in team.problems:
        if p.file and p.code in skip_codes and p.severity == "error":
            reasons.setdefault(p.file, p.message)
    out = []
    for rel, f in team.files.items():
        if f.agent is None or not f.name:
            continue  # a file without a name is documentation to Claude Code
        name = f.name
        if plugin is not None:
            sub = rel.rsplit("/", 1)[0].replace("/", ":") if "/" in rel else ""
            name = ":".join(part for part in (plugin, sub, name) if part)
        out.append((name, folder / rel, reasons.get(rel)))
    return out


def visible_agents(start: Path, home: Path | None = None) -> list[ScopedAgent]:
    """Every agent definition Claude Code would read when started in `start`, highest scope
    first, each marked active or shadowed by the definition that wins."""
    user = user_folder(home)
    found: list[tuple[Scope, str, Path, str | None]] = []
    found += [("managed", n, f, r) for n, f, r in _agents_in(managed_folder() / ".claude" / "agents", "managed")]
    for folder in project_folders(start):
        found += [("project", n, f, r) for n, f, r in _agents_in(folder, "project")]
    found += [("user", n, f, r) for n, f, r in _agents_in(user / "agents", "user")]
    for plugin, folder in plugin_folders(user):
        found += [("plugin", n, f, r) for n, f, r in _agents_in(folder, "plugin", plugin)]
    winner: dict[str, Path] = {}
    out = []
    for scope, name, file, skipped in found:
        if skipped is not None:  # never loaded, so it shadows nothing
            out.append(ScopedAgent(name, scope, file, False, None, skipped))
            continue
        first = winner.setdefault(name, file)
        out.append(ScopedAgent(name, scope, file, first == file, None if first == file else first))
    return out
