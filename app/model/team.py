"""A team: the agent files of one folder, their relations as a graph, problems and layout.

`Team.apply(operation)` is the only mutator (see operations.py). The team remembers the bytes it
last read from or wrote to each path (`_disk`), so `save()` writes exactly the files whose bytes
differ, deletes the files of removed agents, and notices when somebody else changed a file.

Memory and start-up matter when a team of 10,000 agents opens: the bytes of a file are kept as the
text they decode to (decoding is exact, so `text.encode("utf-8")` gives them back byte for byte;
holding both doubled the memory), and networkx is imported and the relation graph built only when
`team.graph` is first used (the command line's validate never needs it).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from app.io.document import Document, UnreadableFile, decode, os_error_words, parse_document, read_bytes
from app.io.parse_cache import ParseCache
from app.io.reader import YamlProblem, read_frontmatter
from app.model.agent import Agent

if TYPE_CHECKING:
    import networkx as nx

    from app.model.operations import Operation
    from app.model.validation import Problem

SIDECAR = ".agent-canvas.json"
SIDECAR_MAX_BYTES = 16 * 1024 * 1024


class TeamError(Exception):
    """The folder cannot be opened as a team; str(e) says why in plain English."""


Base = bytes | str | None  # bytes on disk, or the text they decode to exactly (the same bytes)


def _as_bytes(base: Base) -> bytes | None:
    return base if base is None or type(base) is bytes else base.encode("utf-8")


class AgentFile:
    """One agent file: what is on disk, the current text and what it says.

    path: str                 relative POSIX path inside the team folder
    disk: bytes | None        bytes as last read from / written to disk at `path`; None = not on disk yet
    text: str                 current full text
    agent: Agent | None       None when the file has no frontmatter (not an agent)
    error: YamlProblem | None invalid YAML → read-only for edits, repairable
    doc: Document | None; data: dict | None (the parsed frontmatter, the recovered one when invalid);
    invalid: dict[str, Any]   keys whose value has the wrong type

    `disk` may be given (and is kept) as the text the bytes decode to: the bytes are made again
    on demand, so a clean file holds one copy of its content, not two.
    """

    __match_args__ = ("path", "disk", "text", "agent", "error", "doc", "data", "invalid")

    def __init__(self, path: str, disk: Base, text: str, agent: Agent | None, error: YamlProblem | None,
                 doc: Document | None = None, data: dict | None = None,
                 invalid: dict[str, Any] | None = None):
        self.path = path
        self._base = disk
        self.text = text
        self.agent = agent
        self.error = error
        self.doc = doc
        self.data = data
        self.invalid = {} if invalid is None else invalid

    @property
    def disk(self) -> bytes | None:
        return _as_bytes(self._base)

    @disk.setter
    def disk(self, value: Base) -> None:
        self._base = value

    def _fields(self) -> tuple:
        return (self.path, self.disk, self.text, self.agent, self.error, self.doc, self.data, self.invalid)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()  # type: ignore[attr-defined]

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return (f"AgentFile(path={self.path!r}, disk=<{'none' if self._base is None else 'on disk'}>, "
                f"agent={self.name!r}, error={self.error!r})")

    @property
    def name(self) -> str | None:
        return self.agent.name if self.agent is not None else None

    @property
    def dirty(self) -> bool:
        base = self._base
        if base is None:
            return True
        if type(base) is str:
            return self.text != base
        return self.text.encode("utf-8") != base

    @property
    def editable(self) -> bool:
        return self.agent is not None and self.error is None

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1][:-3]


def parse_file(path: str, text: str, disk: Base, read: Callable = read_frontmatter) -> AgentFile:
    """Text of an agent file → AgentFile (never raises). `disk`: the bytes on disk, or the text
    they decode to (see AgentFile). `read`: read_frontmatter, or a ParseCache's."""
    doc = parse_document(text)
    if doc.frontmatter is None:
        return AgentFile(path, disk, text, None, None, doc)
    fm = read(doc.frontmatter, doc.frontmatter_line)
    data = fm.data if fm.error is None else fm.recovered
    agent, invalid = Agent.parse(data)
    return AgentFile(path, disk, text, agent, fm.error, doc, data, invalid)


class Relation(NamedTuple):
    """One relation between two agents. Immutable; a NamedTuple rather than a frozen dataclass
    because a big team has tens of thousands of them and a tuple is built 3× faster."""

    kind: Literal["handoff", "parallel"]
    source: str
    target: str  # parallel: source < target
    declared_by: frozenset[str]  # which side(s) declare it: a subset of {source, target}

    @property
    def one_sided(self) -> bool:
        return len(self.declared_by) < 2


def _relation(kind: str, source: str, target: str, mask: int) -> Relation:
    declared = frozenset((source, target)) if mask == 3 else frozenset((source if mask == 1 else target,))
    return Relation(kind, source, target, declared)


@dataclass(frozen=True)
class TeamChange:
    files: frozenset[str] = frozenset()
    positions: frozenset[str] = frozenset()
    structure: bool = False


@dataclass(frozen=True)
class SaveFailure:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


# Where Claude Code looks for a project's subagents, inside the project folder.
PROJECT_AGENTS = Path(".claude") / "agents"


def _looks_like_agent(path: str) -> bool:
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


def _has_agents(folder: Path, limit: int = 2000) -> bool:
    """Whether an agent file lies anywhere below `folder` (hidden folders aside, as in a team).
    Past `limit` Markdown files it answers yes: a folder that big is a team of its own."""
    for count, (_rel, entry) in enumerate(_walk(folder)):
        if count >= limit or _looks_like_agent(entry.path):
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
        if not inner.is_dir() or not _has_agents(inner):
            return folder
        if not claude and _has_agents(folder):
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


def _walk(root: Path, unreadable: dict[str, str] | None = None) -> Iterable[tuple[str, os.DirEntry]]:
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


class _DiskBytes(MutableMapping):
    """path → bytes last read from / written to disk there, as a dict of bytes to its users.

    Stored as the text the bytes decode to whenever that is exact (every file read, every file
    written from its text), so the content of a clean file is held once, shared with its
    AgentFile.text; the bytes are encoded again only when asked for (conflict checks, hashes).
    """

    def __init__(self) -> None:
        self._base: dict[str, str | bytes] = {}

    def __getitem__(self, path: str) -> bytes:
        base = self._base[path]
        return base if type(base) is bytes else base.encode("utf-8")

    def __setitem__(self, path: str, value: str | bytes) -> None:
        self._base[path] = value

    def __delitem__(self, path: str) -> None:
        del self._base[path]

    def __contains__(self, path: object) -> bool:
        return path in self._base

    def __iter__(self) -> Iterator[str]:
        return iter(self._base)

    def __len__(self) -> int:
        return len(self._base)

    def base(self, path: str) -> str | bytes | None:
        """The stored form (text or bytes) without encoding it; None when not on disk."""
        return self._base.get(path)


class Team:
    def __init__(self, root: Path):
        self.root = Path(root)
        self.files: dict[str, AgentFile] = {}
        self.unreadable: dict[str, str] = {}  # relative path → plain-English reason
        self._graph: nx.MultiDiGraph | None = None  # built on first use of .graph
        self.positions: dict[str, tuple[float, float]] = {}
        self.pinned: set[str] = set()
        self.problems: list[Problem] = []
        self.sidecar_problem: str | None = None
        self._disk = _DiskBytes()  # path → bytes last read/written there
        self._by_name: dict[str, list[str]] = {}  # agent name → paths (sorted)
        self._relations: list[Relation] = []
        self._odd_references: dict[str, list[tuple[str, str]]] = {}  # path → (list key, name)
        self._listeners: list[Callable[[TeamChange], None]] = []
        self._sidecar_disk: bytes | None = None
        self._saved_layout: tuple[dict, frozenset] = ({}, frozenset())
        # Filled while an operation runs; turned into one TeamChange at the end of apply().
        self._pending_files: set[str] = set()
        self._pending_positions: set[str] = set()
        self._pending_structure = False
        self._pending_old: dict[str, AgentFile | None] = {}
        # Kept for cheap refreshes after an edit (see _refresh_files).
        self._rel_map: dict[tuple[str, str, str], Relation] = {}
        self._counts: dict[tuple[str, str, str], list[int]] | None = None
        self._file_problems: dict[str, list[Problem]] = {}
        self._rel_problems: dict[tuple[str, str, str], Problem] = {}
        self._cycle_problems: list[Problem] = []
        self._cycle_of: dict[str, int] = {}  # agent name → its loop of hand-offs

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, root: str | os.PathLike) -> Team:
        with _no_gc(promote=True):
            return cls._load(root)

    @classmethod
    def _load(cls, root: str | os.PathLike) -> Team:
        team = cls(Path(root))
        if not team.root.is_dir():
            raise TeamError(f"There is no folder at {root}.")
        try:
            found = list(_walk(team.root, team.unreadable))
        except OSError as e:
            raise TeamError(f"Cannot read the folder {root}: {os_error_words(e, 'read')}") from None
        files: dict[str, AgentFile] = {}
        disk = team._disk
        cache = ParseCache.open(team.root)  # frontmatter parsed by earlier runs, keyed on its text
        for rel, entry in found:
            try:
                text = decode(_read_entry(entry))  # the bytes are dropped: the text gives them back
            except UnreadableFile as e:
                team.unreadable[rel] = str(e)
                continue
            disk[rel] = text
            files[rel] = parse_file(rel, text, text, cache.read_frontmatter)
        cache.save()
        team.files = files
        team._load_sidecar()
        team._refresh()
        return team

    def _load_sidecar(self) -> None:
        path = self.root / SIDECAR
        self.sidecar_problem = None
        try:
            raw = read_bytes(path, max_bytes=SIDECAR_MAX_BYTES)
        except UnreadableFile as e:
            if path.exists() or path.is_symlink():
                self.sidecar_problem = f"The layout file {SIDECAR} cannot be read: {e}"
            return
        from app.model.layout import parse_sidecar

        self._sidecar_disk = raw
        positions, pinned, problem = parse_sidecar(raw)
        self.positions, self.pinned, self.sidecar_problem = positions, pinned, problem
        self._saved_layout = (dict(positions), frozenset(pinned))

    # -- queries ---------------------------------------------------------------------------------
    @property
    def graph(self) -> nx.MultiDiGraph:
        """The relations as a networkx MultiDiGraph, built on first use and kept current."""
        graph = self._graph
        if graph is None:
            graph = self._graph = relation_graph(sorted(self._by_name), self._relations)
        return graph

    @graph.setter
    def graph(self, value: nx.MultiDiGraph | None) -> None:
        self._graph = value

    def agent(self, name: str) -> AgentFile | None:
        paths = self._by_name.get(name)
        return self.files[paths[0]] if paths else None

    def files_named(self, name: str) -> list[AgentFile]:
        return [self.files[p] for p in self._by_name.get(name, ())]

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def relations(self) -> list[Relation]:
        return list(self._relations)

    def path_of(self, rel: str) -> Path:
        return self.root / rel

    def dirty(self) -> bool:
        if any(f.dirty for f in self.files.values()):
            return True
        if any(p not in self.files for p in self._disk):
            return True
        return self.layout_dirty()

    def layout_dirty(self) -> bool:
        return (self.positions, frozenset(self.pinned)) != self._saved_layout

    def accept_layout(self) -> None:
        """Count the current positions as unchanged (the editor's automatic first layout is not
        an edit of the user's: opening a folder must not make it unsaved). The sidecar is written
        at the next save that follows a real move."""
        self._saved_layout = (dict(self.positions), frozenset(self.pinned))

    def subscribe(self, fn: Callable[[TeamChange], None]) -> None:
        self._listeners.append(fn)

    def unsubscribe(self, fn: Callable[[TeamChange], None]) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    # -- the one mutator ------------------------------------------------------------------------
    def apply(self, op: Operation) -> Operation:
        """Run `op`; returns its inverse. Listeners hear one TeamChange afterwards."""
        self._pending_files, self._pending_positions, self._pending_structure = set(), set(), False
        self._pending_old = {}
        try:
            inverse = op.apply(self)
        finally:
            old_files, self._pending_old = self._pending_old, {}
            change = self._take_change()
            if change.files:
                self._refresh(old_files)
        self._notify(change)  # even an empty change: listeners may show the dirty state
        return inverse

    def _take_change(self) -> TeamChange:
        change = TeamChange(frozenset(self._pending_files), frozenset(self._pending_positions),
                            self._pending_structure)
        self._pending_files, self._pending_positions, self._pending_structure = set(), set(), False
        return change

    def _notify(self, change: TeamChange) -> None:
        for fn in list(self._listeners):
            fn(change)

    # Internal primitives used by operations. Each records what changed for the TeamChange.
    def _set_texts(self, texts: dict[str, str | None]) -> dict[str, str | None]:
        """Replace the text of several files at once (None = remove the file); returns old texts."""
        old: dict[str, str | None] = {}
        reindex = False
        names_before = None
        for path, text in texts.items():
            current = self.files.get(path)
            old[path] = current.text if current is not None else None
            if (current.text if current is not None else None) == text:
                continue
            if names_before is None:
                names_before = self._name_set()
            self._pending_old.setdefault(path, current)  # the file as the last refresh saw it
            if text is None:
                del self.files[path]
                reindex = True
            else:
                new = self.files[path] = parse_file(path, text, self._disk.base(path))
                reindex = reindex or current is None or current.name != new.name
            self._pending_files.add(path)
        if reindex:
            self.files = dict(sorted(self.files.items()))
            self._index_names()
            if self._name_set() != names_before:
                self._pending_structure = True
        return old

    def _set_layout(self, positions: dict[str, tuple[float, float] | None],
                    pinned: dict[str, bool]) -> tuple[dict, dict]:
        """Set positions (None = forget) and pinned flags; returns the old values in the same shape."""
        old_pos = {n: self.positions.get(n) for n in positions}
        old_pin = {n: n in self.pinned for n in pinned}
        for n, pos in positions.items():
            if pos is None:
                self.positions.pop(n, None)
            else:
                self.positions[n] = (float(pos[0]), float(pos[1]))
            if old_pos[n] != self.positions.get(n):
                self._pending_positions.add(n)
        for n, flag in pinned.items():
            if flag:
                self.pinned.add(n)
            else:
                self.pinned.discard(n)
            if old_pin[n] != flag:
                self._pending_positions.add(n)
        return old_pos, old_pin

    def _name_set(self) -> frozenset[str]:
        return frozenset(self._by_name)

    # -- derived state ---------------------------------------------------------------------------
    def _index_names(self) -> None:
        by_name: dict[str, list[str]] = {}
        for path, f in self.files.items():
            name = f.agent.name if f.agent is not None else None
            if name:
                by_name.setdefault(name, []).append(path)
        self._by_name = by_name

    def _refresh(self, old_files: dict[str, AgentFile | None] | None = None) -> None:
        """Bring names, relations, graph and problems up to date with the files.

        `old_files` (path → the file before an edit) allows a cheap update when no agent was
        added, removed or renamed: only the relations and problems those files touch are
        redone, so an edit in a team of 10,000 stays instant. Otherwise everything is rebuilt,
        linearly in the size of the team. A test checks both ways give the same result.
        """
        with _no_gc():
            if not old_files or not self._refresh_files(old_files):
                self._rebuild()

    def _contributions(self, f: AgentFile | None) -> tuple[list[tuple[str, str, str, int]], list[tuple[str, str]]]:
        """What one file declares: ((kind, source, target, side bit)…), (odd references…)."""
        rels: list[tuple[str, str, str, int]] = []
        odd: list[tuple[str, str]] = []
        agent = f.agent if f is not None else None
        if agent is None or agent.coordination is None or not agent.name:
            return rels, odd
        names = self._by_name
        me = agent.name
        c = agent.coordination
        for other in c.hands_off_to:
            if other != me and other in names:
                rels.append(("handoff", me, other, 1))
            else:
                odd.append(("hands_off_to", other))
        for other in c.receives_from:
            if other != me and other in names:
                rels.append(("handoff", other, me, 2))
            else:
                odd.append(("receives_from", other))
        for other in c.parallel_with:
            if other != me and other in names:
                rels.append(("parallel", me, other, 1) if me < other else ("parallel", other, me, 2))
            else:
                odd.append(("parallel_with", other))
        return rels, odd

    def _rebuild(self) -> None:
        from app.model.validation import _Lines, file_problems, relation_problem

        self._index_names()
        names = self._by_name
        # (source, target) → who declares it: 1 = the source, 2 = the target, 3 = both.
        handoff: dict[tuple[str, str], int] = {}
        parallel: dict[tuple[str, str], int] = {}
        get_h, get_p = handoff.get, parallel.get
        odd: dict[str, list[tuple[str, str]]] = {}
        for path, f in self.files.items():
            agent = f.agent
            if agent is None or agent.coordination is None or not agent.name:
                continue
            me = agent.name
            c = agent.coordination
            mine = None
            for other in c.hands_off_to:
                if other != me and other in names:
                    key = (me, other)
                    handoff[key] = get_h(key, 0) | 1
                else:
                    mine = mine or odd.setdefault(path, [])
                    mine.append(("hands_off_to", other))
            for other in c.receives_from:
                if other != me and other in names:
                    key = (other, me)
                    handoff[key] = get_h(key, 0) | 2
                else:
                    mine = mine or odd.setdefault(path, [])
                    mine.append(("receives_from", other))
            for other in c.parallel_with:
                if other != me and other in names:
                    if me < other:
                        key, bit = (me, other), 1
                    else:
                        key, bit = (other, me), 2
                    parallel[key] = get_p(key, 0) | bit
                else:
                    mine = mine or odd.setdefault(path, [])
                    mine.append(("parallel_with", other))
        self._odd_references = odd
        # In file order (deterministic: files are sorted by path); exports sort for themselves.
        rel_map = {("handoff", s, t): _relation("handoff", s, t, m) for (s, t), m in handoff.items()}
        rel_map.update({("parallel", s, t): _relation("parallel", s, t, m) for (s, t), m in parallel.items()})
        self._rel_map = rel_map
        self._relations = list(rel_map.values())
        self._counts = None  # built on the first cheap refresh
        self._graph = None  # rebuilt when somebody asks for it
        lines = _Lines()
        self._file_problems = {path: file_problems(self, f, lines) for path, f in self.files.items()}
        self._rel_problems = {key: relation_problem(self, r, lines) for key, r in rel_map.items() if r.one_sided}
        self._set_cycles(lines)
        self._collect_problems()

    def _set_cycles(self, lines) -> None:
        from app.model.validation import cycle_problems, handoff_cycles

        components = handoff_cycles(self)
        self._cycle_of = {n: i for i, c in enumerate(components) for n in c}
        self._cycle_problems = cycle_problems(self, lines, components)

    def _collect_problems(self) -> None:
        from app.model.validation import team_problems

        problems = team_problems(self)
        for path in self.files:
            problems += self._file_problems[path]
        rel_problems = self._rel_problems
        problems += [rel_problems[key] for key in self._rel_map if key in rel_problems]
        problems += self._cycle_problems
        self.problems = problems

    def _refresh_files(self, old_files: dict[str, AgentFile | None]) -> bool:
        """Cheap refresh after edits that kept every agent's name; False when it does not apply."""
        from app.model.validation import _Lines, file_problems, relation_problem

        for path, old in old_files.items():
            new = self.files.get(path)
            if old is None or new is None or old.name != new.name:
                return False
        if self._counts is None:  # count each side's declarations, as of before the edit
            counts: dict[tuple[str, str, str], list[int]] = {}
            for path, f in self.files.items():
                for kind, s, t, bit in self._contributions(old_files.get(path, f))[0]:
                    c = counts.get((kind, s, t))
                    if c is None:
                        c = counts[(kind, s, t)] = [0, 0]
                    c[bit - 1] += 1
            self._counts = counts
        counts = self._counts
        affected: set[tuple[str, str, str]] = set()
        for path, old in old_files.items():
            for kind, s, t, bit in self._contributions(old)[0]:
                counts[(kind, s, t)][bit - 1] -= 1
                affected.add((kind, s, t))
            rels, odd = self._contributions(self.files[path])
            for kind, s, t, bit in rels:
                c = counts.get((kind, s, t))
                if c is None:
                    c = counts[(kind, s, t)] = [0, 0]
                c[bit - 1] += 1
                affected.add((kind, s, t))
            if odd:
                self._odd_references[path] = odd
            else:
                self._odd_references.pop(path, None)
        lines = _Lines()
        # Loops only change when a hand-off appears between agents not already in one loop
        # together, or one disappears from inside a loop.
        loops_changed = False
        cycle_of = self._cycle_of
        graph, rel_map = self._graph, self._rel_map  # graph None: not built yet, nothing to update
        for key in affected:
            kind, s, t = key
            c = counts[key]
            mask = (1 if c[0] > 0 else 0) | (2 if c[1] > 0 else 0)
            before = rel_map.get(key)
            if mask == 0:
                del counts[key]
                if before is not None:
                    del rel_map[key]
                    if graph is not None:
                        graph.remove_edge(s, t, key=kind)
                    if kind == "handoff" and s in cycle_of and cycle_of.get(t) == cycle_of[s]:
                        loops_changed = True
                self._rel_problems.pop(key, None)
                continue
            r = _relation(kind, s, t, mask)
            if before is None:
                if graph is not None:
                    graph.add_edge(s, t, key=kind, relation=r)
                if kind == "handoff" and not (s in cycle_of and cycle_of.get(t) == cycle_of[s]):
                    loops_changed = True
            elif before != r and graph is not None:
                graph[s][t][kind]["relation"] = r
            rel_map[key] = r
            if r.one_sided:
                self._rel_problems[key] = relation_problem(self, r, lines)
            else:
                self._rel_problems.pop(key, None)
        self._relations = list(rel_map.values())
        for path in old_files:
            self._file_problems[path] = file_problems(self, self.files[path], lines)
        if loops_changed:
            self._set_cycles(lines)
        else:  # the same loops; only a line number may have moved
            self._cycle_problems = [
                replace(p, line=lines.line(self.files[p.file], p.field)) if p.file in old_files else p
                for p in self._cycle_problems]
        self._collect_problems()
        return True

    # -- saving ----------------------------------------------------------------------------------
    def _target(self, rel: str) -> Path:
        """Where to write `rel`: through a symlinked file to the file it points at."""
        path = self.root / rel
        try:
            if path.is_symlink():
                return Path(os.path.realpath(path))
        except OSError:
            pass
        return path

    def save(self) -> list[SaveFailure]:
        """Write every changed file, remove the files of removed agents, write the layout if it
        changed. Returns failures in plain English; anything not saved stays in memory."""
        from app.io.writer import WriteError, atomic_write

        failures: list[SaveFailure] = []
        changed: set[str] = set()
        disk = self._disk
        for path, f in self.files.items():
            base = disk.base(path)
            if type(base) is str and base == f.text:  # unchanged (usually the very same string)
                continue
            data = f.text.encode("utf-8")
            expected = _as_bytes(base)
            if data == expected:
                continue
            try:
                atomic_write(self._target(path), data, expected=expected)
            except WriteError as e:
                failures.append(SaveFailure(path, _save_words(e)))
                continue
            disk[path] = f.disk = f.text  # exactly the bytes written, kept as their text
            changed.add(path)
        for path in [p for p in self._disk if p not in self.files]:
            if failures:
                # Never remove an old file while a file that may hold its content is unsaved
                # (a renamed agent whose new file could not be written).
                failures.append(SaveFailure(path, "Not removed yet, because other files could not be saved."))
                continue
            problem = self._remove_file(path)
            if problem:
                failures.append(SaveFailure(path, problem))
            else:
                changed.add(path)
        if self.layout_dirty():
            failure = self._save_layout()
            if failure:
                failures.append(failure)
        self._notify(TeamChange(files=frozenset(changed)))  # also when only the layout was written
        return failures

    def _save_layout(self) -> SaveFailure | None:
        """Write the sidecar; an empty layout removes it (there is nothing to remember)."""
        from app.io.writer import WriteError, atomic_write

        path = self.root / SIDECAR
        if not self.positions and not self.pinned:
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                current = None
            except OSError as e:
                return SaveFailure(SIDECAR, os_error_words(e, "remove"))
            if current is not None:
                if current != self._sidecar_disk:
                    return SaveFailure(SIDECAR, "The layout file changed on disk since it was opened, so "
                                                "it was not removed.")
                try:
                    path.unlink()
                except OSError as e:
                    return SaveFailure(SIDECAR, os_error_words(e, "remove"))
            data = None
        else:
            data = self.sidecar_bytes()
            try:
                atomic_write(path, data, expected=self._sidecar_disk)
            except WriteError as e:
                return SaveFailure(SIDECAR, _save_words(e))
        self._sidecar_disk = data
        self._saved_layout = (dict(self.positions), frozenset(self.pinned))
        if self.sidecar_problem:
            self.sidecar_problem = None
            self._collect_problems()
        return None

    def _remove_file(self, rel: str) -> str | None:
        path = self.root / rel
        try:
            current = path.read_bytes() if not path.is_symlink() else self._target(rel).read_bytes()
        except FileNotFoundError:
            del self._disk[rel]
            return None
        except OSError as e:
            return os_error_words(e, "remove")
        if current != self._disk[rel]:
            return ("The file changed on disk since it was opened, so it was not removed. "
                    "Reload it to see the other change.")
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        except OSError as e:
            return os_error_words(e, "remove")
        del self._disk[rel]
        return None

    def sidecar_bytes(self) -> bytes:
        from app.model.layout import sidecar_bytes

        return sidecar_bytes(self.positions, self.pinned)

    # -- outside changes ------------------------------------------------------------------------
    def disk_changed(self, path: str | os.PathLike) -> bool:
        """True when the bytes on disk at `path` differ from those last read or written."""
        rel = self._rel(path)
        try:
            current = read_bytes(self.root / rel)
        except UnreadableFile:
            current = None
        return current != self._disk.get(rel)

    def reload_file(self, path: str | os.PathLike) -> None:
        """Re-read one file that changed on disk (it is added, replaced or dropped)."""
        rel = self._rel(path)
        names_before = self._name_set()
        self.unreadable.pop(rel, None)
        full = self.root / rel
        try:
            if not full.exists():
                raise FileNotFoundError
            text = decode(read_bytes(full))
        except FileNotFoundError:
            self._disk.pop(rel, None)
            self.files.pop(rel, None)
        except UnreadableFile as e:
            self._disk.pop(rel, None)
            self.files.pop(rel, None)
            self.unreadable[rel] = str(e)
        else:
            self._disk[rel] = text
            self.files[rel] = parse_file(rel, text, text)
            self.files = dict(sorted(self.files.items()))
        self._refresh()
        self._notify(TeamChange(files=frozenset({rel}), structure=self._name_set() != names_before))

    def adopt_disk(self, path: str | os.PathLike, data: bytes | None) -> None:
        """The user keeps their unsaved text over an outside change: the file is now based on
        `data` (the bytes on disk now; None = the file is gone), so save() replaces them instead
        of refusing as a conflict. The text and the undo history stay as they are."""
        rel = self._rel(path)
        if data is None:
            self._disk.pop(rel, None)
        else:
            self._disk[rel] = data
        f = self.files.get(rel)
        if f is not None:
            f.disk = data
        self._notify(TeamChange(files=frozenset({rel})))

    def _rel(self, path: str | os.PathLike) -> str:
        p = Path(path)
        if p.is_absolute():
            try:
                p = p.relative_to(self.root)
            except ValueError:
                p = Path(os.path.relpath(p, self.root))
        return p.as_posix()


@contextmanager
def _no_gc(promote: bool = False) -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects that all stay alive.

    Loading 10,000 agents creates millions of objects; each young-generation collection would
    walk ever more of them for nothing (load took 3× longer with the collector running).
    Reference counting still frees everything that is dropped.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled and promote:
            # What was built is long-lived: move it straight to the oldest generation (freeze +
            # unfreeze only splice lists) instead of letting the first young collection walk
            # millions of objects (~0.3 s at 10,000 agents). It is still collected as usual.
            gc.freeze()
            gc.unfreeze()
        if enabled:
            gc.enable()


def _read_entry(entry: os.DirEntry) -> bytes:
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


def _save_words(e: Exception) -> str:
    return str(e) or "The file could not be written."


def relation_graph(nodes: list[str], relations: list[Relation]) -> nx.MultiDiGraph:
    """The MultiDiGraph of the relations (keys "handoff"/"parallel", edge attribute "relation").

    Filled through the adjacency dicts networkx itself uses, the way `add_edges_from` leaves them
    (one key dict shared by the successor and predecessor side): about 4× faster than
    `add_edges_from`, which matters when a team of 10,000 agents opens. A test checks the result
    equals the graph `add_edges_from` builds.
    """
    import networkx as nx

    node: dict[str, dict] = {n: {} for n in nodes}
    succ: dict[str, dict] = {n: {} for n in nodes}
    pred: dict[str, dict] = {n: {} for n in nodes}
    for r in relations:
        kind, source, target, _ = r  # unpacking a tuple is cheaper than three attribute reads
        out = succ[source]
        keys = out.get(target)
        if keys is None:
            keys = out[target] = pred[target][source] = {}
        keys[kind] = {"relation": r}
    graph = nx.MultiDiGraph()
    graph._node = node
    graph._adj = graph._succ = succ
    graph._pred = pred
    return graph


def handoff_digraph(team: Team) -> nx.DiGraph:
    """A plain DiGraph of the hand-offs only, built the same way (validation finds loops without it)."""
    import networkx as nx

    succ: dict[str, dict] = {n: {} for n in team._by_name}
    pred: dict[str, dict] = {n: {} for n in team._by_name}
    for r in team._relations:
        if r.kind == "handoff":
            succ[r.source][r.target] = pred[r.target][r.source] = {}
    graph = nx.DiGraph()
    graph._node = {n: {} for n in succ}
    graph._adj = graph._succ = succ
    graph._pred = pred
    return graph
