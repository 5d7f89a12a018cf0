"""Finding a team on disk: which folder to open, and the agent files inside it."""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from app.io.document import UnreadableFile, os_error_words, read_bytes

# Where Claude Code looks for a project's subagents, inside the project folder.
PROJECT_AGENTS = Path(".claude") / "agents"


def looks_like_agent(path: str) -> bool:
    """Whether the file starts with frontmatter that has a `name:` key (a README or a docs page
    with a title does not)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096)
    except OSError:
        return False
    lines = head.lstrip(b"\xef\xbb\xbf").splitlines()
    if not lines or lines[0].rstrip() != b"---":
        return False
    for line in lines[1:]:
        if line.rstrip() == b"---":
            return False
        if line.startswith(b"name:"):
            return True
    return False


def has_agents(folder: Path, limit: int = 2000) -> bool:
    """Whether an agent file lies anywhere below `folder` (hidden folders aside, as in a team).
    Past `limit` Markdown files it answers yes: a folder that big is a team of its own."""
    for count, (_rel, entry) in enumerate(walk(folder)):
        if count >= limit or looks_like_agent(entry.path):
            return True
    return False


def team_folder(path: str | os.PathLike) -> Path:
    """The folder to open for `path`: `path` itself, or its `.claude/agents` when `path` is a
    project that keeps its agents where Claude Code looks for them.

    That is when `path/.claude/agents` (or `path/agents` for a `.claude` folder) holds agent
    files and `path` holds none of its own, at any depth (a README or docs do not count: an agent
    file starts with frontmatter that names it). Hidden folders are otherwise never entered."""
    folder = Path(path)
    claude = folder.name == ".claude"
    inner = folder / "agents" if claude else folder / PROJECT_AGENTS
    try:
        if not inner.is_dir() or not has_agents(inner):
            return folder
        if not claude and has_agents(folder):
            return folder
    except OSError:
        return folder
    return inner


def team_home(root: Path) -> Path:
    """The folder a user thinks of for the team at `root`: the project for a `.claude/agents`."""
    return root.parent.parent if root.name == "agents" and root.parent.name == ".claude" else root


def team_title(root: Path) -> str:
    """A short name for the team at `root`: the folder's name, or "project (.claude/agents)"."""
    home = team_home(root)
    return root.name if home == root else f"{home.name} ({PROJECT_AGENTS.as_posix()})"


def walk(root: Path, unreadable: dict[str, str] | None = None) -> Iterable[tuple[str, os.DirEntry]]:
    """(relative POSIX path, entry) of every *.md below root, like os.walk(followlinks=False):
    hidden folders are skipped and symlinked folders are not entered (so no symlink loops).
    A subfolder that cannot be listed is noted in `unreadable` ("sub/": reason)."""
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as e:
            if not prefix:
                raise
            if unreadable is not None:
                unreadable[prefix] = "This folder cannot be opened: " + os_error_words(e, "read")
            continue
        subdirs = []
        for entry in entries:
            name = entry.name
            try:
                if entry.is_dir(follow_symlinks=False):
                    if not name.startswith("."):
                        subdirs.append((entry.path, prefix + name + "/"))
                    continue
            except OSError:
                continue
            if name.lower().endswith(".md"):
                yield prefix + name, entry
        stack.extend(reversed(subdirs))



def leaves_folder(root: Path, path: str | os.PathLike) -> bool:
    """Whether `path` (a link, or in a linked folder) resolves to somewhere outside `root`."""
    try:
        real = Path(os.path.realpath(path))
        real.relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return True
    return False


def read_entry(entry: os.DirEntry) -> bytes:
    """Bytes of a directory entry that should be an agent file; UnreadableFile otherwise.

    Only regular files are opened: a FIFO or device named *.md would block or never end.
    `is_file()` costs no system call for a plain file (the folder listing says what it is).
    """
    try:
        regular = entry.is_file()  # follows a symlinked file
    except OSError:
        regular = False
    if not regular:
        if entry.is_symlink() and not os.path.exists(entry.path):
            raise UnreadableFile("The file is a symbolic link that points nowhere (or loops).")
        raise UnreadableFile("This is not a regular file (a folder, device or pipe), so it is not read.")
    return read_bytes(entry.path)


# Where agent files live in a repository: Claude Code's project folder, and the folders of the
# dialects that later versions read. `validate --files` validates the team each file belongs to.
AGENT_FOLDERS = ((".claude", "agents"), (".github", "agents"), (".opencode", "agent"), (".opencode", "agents"),
                 (".gemini", "agents"), (".cursor", "agents"), (".factory", "droids"))


def team_of(file: str) -> str:
    """The team folder that `file` belongs to, as the path was given: the nearest enclosing agent
    folder (.claude/agents, .github/agents…), else the file's own folder."""
    parts = Path(file).parts
    for i in range(len(parts) - 2, 0, -1):
        if (parts[i - 1], parts[i]) in AGENT_FOLDERS:
            return str(Path(*parts[:i + 1]))
    return str(Path(file).parent)
