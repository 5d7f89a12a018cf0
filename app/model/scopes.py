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
    folder: Path | None = None  # the agents folder it was found in
    plugin: str | None = None   # the plugin it comes with


@dataclass(frozen=True)
class ScopeFolder:
    """One agents folder Claude Code reads, as loaded: its scope, the plugin it belongs to, the
    team read from it (None: no such folder) and its agents as (name, file, skip reason)."""

    scope: Scope
    folder: Path
    plugin: str | None
    team: Team | None
    agents: tuple[tuple[str, Path, str | None], ...]


SKIP_CODES = frozenset({"missing-description", "yaml-error", "invalid-name"})


def load_folder(folder: Path, scope: Scope, plugin: str | None = None) -> ScopeFolder:
    """Read one agents folder: every agent file with the name Claude Code gives it (a plugin's
    `plugin:subfolder:name`) and the reason it would skip it, or None."""
    if not folder.is_dir():
        return ScopeFolder(scope, folder, plugin, None, ())
    team = Team.load(folder)
    return ScopeFolder(scope, folder, plugin, team, tuple(agents_of(team, folder, plugin)))


def agents_of(team: Team, folder: Path, plugin: str | None) -> list[tuple[str, Path, str | None]]:
    reasons: dict[str, str] = {}
    for p in team.problems:
        if p.file and p.code in SKIP_CODES and p.severity == "error":
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


def scope_folders(start: Path, home: Path | None = None) -> list[tuple[Scope, Path, str | None]]:
    """(scope, agents folder, plugin) of every folder Claude Code reads when started in `start`,
    highest precedence first."""
    user = user_folder(home)
    out: list[tuple[Scope, Path, str | None]] = [("managed", managed_folder() / ".claude" / "agents", None)]
    out += [("project", folder, None) for folder in project_folders(start)]
    out.append(("user", user / "agents", None))
    out += [("plugin", folder, plugin) for plugin, folder in plugin_folders(user)]
    return out


def resolve(folders: list[ScopeFolder]) -> list[ScopedAgent]:
    """Every definition of `folders` (highest precedence first), each marked active or shadowed
    by the first definition of its name; a skipped file shadows nothing."""
    winner: dict[str, Path] = {}
    out = []
    for sf in folders:
        for name, file, skipped in sf.agents:
            if skipped is not None:  # never loaded, so it shadows nothing
                out.append(ScopedAgent(name, sf.scope, file, False, None, skipped, sf.folder, sf.plugin))
                continue
            first = winner.setdefault(name, file)
            out.append(ScopedAgent(name, sf.scope, file, first == file, None if first == file else first,
                                   None, sf.folder, sf.plugin))
    return out


def visible_agents(start: Path, home: Path | None = None) -> list[ScopedAgent]:
    """Every agent definition Claude Code would read when started in `start`, highest scope
    first, each marked active or shadowed by the definition that wins."""
    return resolve([load_folder(folder, scope, plugin) for scope, folder, plugin in scope_folders(start, home)])
