"""A team: the agent files of one folder, composed with their relations, problems and layout.

`Team.apply(operation)` is the one way to change a team; a file changed by another program comes
in through `reload_file`, the one documented disk-event path. Both end in `_finish`, which brings
names, relations and problems up to date and tells every subscriber, in one `TeamChange`, what
happened. `files`, `positions` and `pinned` are read-only to everybody else.

Memory and start-up matter when a team of 10,000 agents opens: a clean file's bytes are held as
the text they decode to (see agent_file.py), and networkx is imported only by the analyses that
need it (`graph`, loops, layout).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING

from app.io.document import UnreadableFile, decode, os_error_words
from app.io.parse_cache import ParseCache
from app.model.agent_file import AgentFile, as_bytes, parse_file
from app.model.bulk import building_many_objects
from app.model.changes import TeamChange
from app.model.disk import DiskBytes, SaveFailure, Step, current_bytes, read_text, save_steps, write_file
from app.model.edit import Operation, Point
from app.model.folder import leaves_folder, read_entry, team_folder, team_home, team_title, walk
from app.model.intent import recover
from app.model.problem_index import ProblemIndex
from app.model.relations import Relation, RelationDelta, RelationIndex, RelationKey
from app.model.sidecar import SIDECAR, read_sidecar, sidecar_bytes
from app.model.validation import Problem, names_index

if TYPE_CHECKING:
    import networkx as nx

# Re-exported: the CLI, the GUI and the tests find these where they always were.
__all__ = ["SIDECAR", "AgentFile", "Relation", "SaveFailure", "Team", "TeamChange", "TeamError",
           "team_folder", "team_home", "team_title"]


class TeamError(Exception):
    """The folder cannot be opened as a team; str(e) says why in plain English."""


class LoadCancelled(Exception):
    """The user stopped the opening of a team (the `progress` callback of Team.load said so)."""


# Called as files are read with (files read, files found); returning False stops the opening.
LoadProgress = Callable[[int, int], bool]


class Team:
    def __init__(self, root: Path):
        self.root = Path(root)
        self._files: dict[str, AgentFile] = {}
        self.unreadable: dict[str, str] = {}  # relative path → plain-English reason
        self._positions: dict[str, Point] = {}
        self._pinned: set[str] = set()
        self.problems: list[Problem] = []
        self.sidecar_problem: str | None = None
        self.outside_links: set[str] = set()  # files that are links leading out of the folder
        self.recovered: str | None = None  # what opening did about an interrupted save, in words
        self.checked = True  # every file checked against the schema and problems known (see load)
        self._disk = DiskBytes()  # path → bytes last read/written there
        self._by_name: dict[str, list[str]] = {}  # agent name → paths (sorted)
        self._relations = RelationIndex()
        self._problems = ProblemIndex()
        self._graph: nx.MultiDiGraph | None = None  # built on first use of .graph
        self._listeners: list[Callable[[TeamChange], None]] = []
        self._sidecar_disk: bytes | None = None
        self._saved_layout: tuple[dict, frozenset] = ({}, frozenset())
        # Filled while an operation runs; turned into one TeamChange by _finish.
        self._old_files: dict[str, AgentFile | None] = {}
        self._moved: set[str] = set()
        self._renamed: dict[str, str] = {}
        self._problems_changed = False
        self.last_change = TeamChange()  # the notice of the latest change (undo commands read it)
        self._names_before: frozenset[str] | None = None  # before the change under way

    # -- loading ---------------------------------------------------------------------------------
    @classmethod
    def load(cls, root: str | os.PathLike, *, check: bool = True,
             progress: LoadProgress | None = None) -> Team:
        """Open the team in the folder `root`. `check=False` opens it from sketches (sketch.py):
        names, relations and layout are there, problems are not, until `check()` — so the editor
        can paint before the schema has loaded. Any change or save checks first. `progress` hears
        how far the reading is and may stop it (LoadCancelled); reading writes nothing, so a
        stopped opening leaves the folder as it was (but for a finished interrupted save)."""
        with building_many_objects():
            team = cls(Path(root))
            if team.root.is_dir():
                team.recovered = recover(team.root)  # a save killed half-way: finish or undo it
            team._read_folder(progress)
            team._load_sidecar()
            team.checked = check
            if check:
                for f in team._files.values():
                    f.check()
            team._rebuild(problems=check)
            return team

    def check(self) -> None:
        """Check every file against the schema and work out the problems (see load); subscribers
        hear what changed: usually only the problems."""
        if self.checked:
            return
        with building_many_objects():
            for f in self._files.values():
                f.check()
            self.checked = True
            before = frozenset(self._by_name)
            self._names_before = before
            self._old_files = {}
            delta = self._rebuild(problems=True)
        self._problems_changed = True
        self._finish(relations=delta, updated_too=before)

    def _read_folder(self, progress: LoadProgress | None = None) -> None:
        if not self.root.is_dir():
            raise TeamError(f"There is no folder at {self.root}.")
        try:
            found = list(walk(self.root, self.unreadable))
        except OSError as e:
            raise TeamError(f"Cannot read the folder {self.root}: {os_error_words(e, 'read')}") from None
        cache = ParseCache.open(self.root)  # frontmatter parsed by earlier runs, keyed on its text
        for done, (rel, entry) in enumerate(found):
            if progress is not None and not progress(done, len(found)):
                raise LoadCancelled(self.root)  # the cache is left as it was: nothing half-saved
            try:
                text = decode(read_entry(entry))  # the bytes are dropped: the text gives them back
            except UnreadableFile as e:
                self.unreadable[rel] = str(e)
                continue
            self._disk[rel] = text
            self._files[rel] = parse_file(rel, text, text, cache.read_frontmatter)
            if entry.is_symlink() and leaves_folder(self.root, entry.path):
                self.outside_links.add(rel)
        cache.save()

    def _load_sidecar(self) -> None:
        raw, positions, pinned, problem = read_sidecar(self.root)
        self._sidecar_disk = raw
        self._positions, self._pinned, self.sidecar_problem = positions, pinned, problem
        self._saved_layout = (dict(positions), frozenset(pinned))

    # -- queries ---------------------------------------------------------------------------------
    @property
    def files(self) -> Mapping[str, AgentFile]:
        return MappingProxyType(self._files)

    @property
    def positions(self) -> Mapping[str, Point]:
        return MappingProxyType(self._positions)

    @property
    def pinned(self) -> frozenset[str]:
        return frozenset(self._pinned)

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The relations as a networkx MultiDiGraph (keys "handoff"/"parallel", edge attribute
        "relation"), built on first use after a change."""
        if self._graph is None:
            self._graph = self._relations.graph(sorted(self._by_name))
        return self._graph

    def agent(self, name: str) -> AgentFile | None:
        paths = self._by_name.get(name)
        return self._files[paths[0]] if paths else None

    def files_named(self, name: str) -> list[AgentFile]:
        return [self._files[p] for p in self._by_name.get(name, ())]

    def names(self) -> list[str]:
        return sorted(self._by_name)

    def relations(self) -> list[Relation]:
        return self._relations.relations()

    def relation(self, key: RelationKey) -> Relation | None:
        """The relation (kind, source, target) as it is now; None when there is none."""
        return self._relations.get(key)

    def path_of(self, rel: str) -> Path:
        return self.root / rel

    def path_taken(self, rel: str) -> bool:
        return rel in self._files or rel in self._disk or rel in self.unreadable

    def dirty(self) -> bool:
        if any(f.dirty for f in self._files.values()):
            return True
        if any(p not in self._files for p in self._disk):
            return True
        return self.layout_dirty()

    @property
    def disk(self) -> Mapping[str, bytes]:
        """path → the bytes last read from or written to disk there (read-only to others: the
        session's conflict checks and crash journal compare against it)."""
        return self._disk

    def removed_files(self) -> dict[str, bytes]:
        """path → bytes on disk of the files the next save removes (their agents were deleted)."""
        return {p: self._disk[p] for p in self._disk if p not in self._files}

    def layout_dirty(self) -> bool:
        return (self._positions, frozenset(self._pinned)) != self._saved_layout

    def accept_layout(self) -> None:
        """Count the current positions as unchanged (the editor's automatic first layout is not
        an edit of the user's: opening a folder must not make it unsaved). The sidecar is written
        at the next save that follows a real move."""
        self._saved_layout = (dict(self._positions), frozenset(self._pinned))

    def sidecar_bytes(self) -> bytes:
        return sidecar_bytes(self._positions, self._pinned)

    def subscribe(self, fn: Callable[[TeamChange], None]) -> None:
        self._listeners.append(fn)

    def unsubscribe(self, fn: Callable[[TeamChange], None]) -> None:
        if fn in self._listeners:
            self._listeners.remove(fn)

    # -- the one mutator ------------------------------------------------------------------------
    def apply(self, op: Operation) -> Operation:
        """Run `op`; returns its inverse. Subscribers hear one TeamChange afterwards, also when
        the operation fails half-way (what it changed is then reported) or changes nothing."""
        if getattr(op, "touches_files", True):  # moving cards needs no schema (see load)
            self.check()
        try:
            return op.apply(self)
        finally:
            self._finish()

    # The edit interface operations use (app/model/edit.py: TeamEdit).
    def set_texts(self, texts: Mapping[str, str | None],
                  renamed: Mapping[str, str] | None = None) -> dict[str, str | None]:
        old: dict[str, str | None] = {}
        reindex = False
        for path, text in texts.items():
            current = self._files.get(path)
            old[path] = current.text if current is not None else None
            if old[path] == text:
                continue
            self._note_names()
            self._old_files.setdefault(path, current)  # the file as the last refresh saw it
            if text is None:
                del self._files[path]
                reindex = True
            else:
                new = self._files[path] = parse_file(path, text, self._disk.base(path))
                new.check()
                reindex = reindex or current is None or current.name != new.name
        if reindex:  # the next operation of a Batch must find agents by their new names
            self._files = dict(sorted(self._files.items()))
            self._by_name = names_index(self._files)
        self._renamed.update(renamed or {})
        return old

    def _note_names(self) -> None:
        if self._names_before is None:
            self._names_before = frozenset(self._by_name)

    def set_layout(self, positions: Mapping[str, Point | None],
                   pinned: Mapping[str, bool]) -> tuple[dict[str, Point | None], dict[str, bool]]:
        old_pos = {n: self._positions.get(n) for n in positions}
        old_pin = {n: n in self._pinned for n in pinned}
        for n, pos in positions.items():
            if pos is None:
                self._positions.pop(n, None)
            else:
                self._positions[n] = (float(pos[0]), float(pos[1]))
            if old_pos[n] != self._positions.get(n):
                self._moved.add(n)
        for n, flag in pinned.items():
            if flag:
                self._pinned.add(n)
            else:
                self._pinned.discard(n)
            if old_pin[n] != flag:
                self._moved.add(n)
        return old_pos, old_pin

    # -- outside changes: the disk-event path ---------------------------------------------------
    def disk_changed(self, path: str | os.PathLike) -> bool:
        """True when the bytes on disk at `path` differ from those last read or written."""
        rel = self._rel(path)
        return current_bytes(self.root, rel) != self._disk.get(rel)

    def reload_file(self, path: str | os.PathLike) -> None:
        """Take the file at `path` as it is on disk now (added, replaced or gone): the one way an
        outside change enters the team. Subscribers hear it like any other change."""
        rel = self._rel(path)
        text, reason = read_text(self.root, rel)
        current = self._files.get(rel)
        self._note_names()
        self._old_files.setdefault(rel, current)
        self.unreadable.pop(rel, None)
        if text is None:
            self._disk.pop(rel, None)
            self._files.pop(rel, None)
            if reason is not None:
                self.unreadable[rel] = reason
        else:
            self._disk[rel] = text
            self._files[rel] = parse_file(rel, text, text)
            if self.checked:
                self._files[rel].check()
        self._files = dict(sorted(self._files.items()))
        self._by_name = names_index(self._files)
        self._finish(disk=frozenset({rel}))

    def adopt_disk(self, path: str | os.PathLike, data: bytes | None) -> None:
        """The user keeps their unsaved text over an outside change: the file is now based on
        `data` (the bytes on disk now; None = the file is gone), so save() replaces them instead
        of refusing as a conflict. The text and the undo history stay as they are."""
        rel = self._rel(path)
        if data is None:
            self._disk.pop(rel, None)
        else:
            self._disk[rel] = data
        f = self._files.get(rel)
        if f is not None:
            f.disk = data
        self._finish(disk=frozenset({rel}))

    def _rel(self, path: str | os.PathLike) -> str:
        p = Path(path)
        if p.is_absolute():
            try:
                p = p.relative_to(self.root)
            except ValueError:
                p = Path(os.path.relpath(p, self.root))
        return p.as_posix()

    # -- bringing the derived state up to date, and telling -------------------------------------
    def _finish(self, disk: frozenset[str] = frozenset(), saved: frozenset[str] = frozenset(),
                relations: RelationDelta | None = None, updated_too: frozenset[str] = frozenset()) -> None:
        old_files, self._old_files = self._old_files, {}
        moved, self._moved = frozenset(self._moved), set()
        renamed, self._renamed = self._renamed, {}
        names_before = self._names_before if self._names_before is not None else frozenset(self._by_name)
        self._names_before = None
        delta = relations or RelationDelta()
        if old_files:
            with building_many_objects():
                delta = self._refresh(old_files)
        names_after = set(self._by_name)
        renames = tuple((old, new) for old, new in renamed.items()
                        if old in names_before and new in names_after and old not in names_after)
        added = names_after - names_before - {new for _, new in renames}
        removed = names_before - names_after - {old for old, _ in renames}
        updated = {f.name for path in old_files if (f := self._files.get(path)) is not None and f.name}
        updated |= updated_too & names_after
        change = TeamChange(
            added=frozenset(added), removed=frozenset(removed), renamed=renames,
            updated=frozenset(updated - added), moved=moved,
            relations_added=delta.added, relations_removed=delta.removed, relations_changed=delta.changed,
            files=frozenset(old_files) | disk, problems=self._problems_changed, saved=saved)
        self._problems_changed = False
        self.last_change = change
        for fn in list(self._listeners):
            fn(change)  # even an empty change: listeners may show the dirty state

    def _refresh(self, old_files: dict[str, AgentFile | None]) -> RelationDelta:
        """Names, relations and problems after edits to `old_files` (path → the file before).

        When every agent kept its name, only the relations and problems the edited files touch
        are redone, so an edit in a team of 10,000 stays instant; otherwise everything is rebuilt,
        linearly in the size of the team. tests/model/test_undo_property.py checks that both ways
        give what `validation.validate` gives from scratch."""
        names_kept = all(old is not None and (new := self._files.get(path)) is not None
                         and old.name == new.name for path, old in old_files.items())
        delta = self._relations.update(old_files, self._files, self._by_name) if names_kept else None
        if delta is None:
            return self._rebuild(problems=self.checked)
        if self._problems.update(old_files.keys(), self._files, self._by_name, self._relations, delta):
            self._problems_changed = True
        if delta:
            self._graph = None
        self._collect_problems()
        return delta

    def _rebuild(self, problems: bool = True) -> RelationDelta:
        """Names, relations and (`problems`: once the files are checked) problems from scratch."""
        self._files = dict(sorted(self._files.items()))
        self._by_name = names_index(self._files)  # already current after an edit; not after a load
        delta = self._relations.rebuild(self._files, self._by_name)
        self._graph = None
        if problems:
            before = self.problems
            self._problems.rebuild(self._files, self._by_name, self._relations)
            self._collect_problems()
            self._problems_changed = self._problems_changed or self.problems != before
        return delta

    def _collect_problems(self) -> None:
        self.problems = self._problems.problems(self._files, self._relations, self.unreadable,
                                                self.sidecar_problem, self.outside_links)

    # -- saving ----------------------------------------------------------------------------------
    def save(self, label: str = "the team", trash: bool = True) -> list[SaveFailure]:
        """Write every changed file and remove the files of removed agents (to the system trash
        unless `trash` is False), all or nothing (see disk.save_steps), then write the layout if it
        changed. Returns failures in plain English; anything not saved stays in memory, unsaved."""
        self.check()
        disk = self._disk
        steps: list[Step] = []
        for path, f in self._files.items():
            base = disk.base(path)
            if type(base) is str and base == f.text:  # unchanged (usually the very same string)
                continue
            data = f.text.encode("utf-8")
            if data != as_bytes(base):
                steps.append(Step(path, data, as_bytes(base)))
        # Removals last: never remove an old file before the file that may hold its content (a
        # renamed agent's new file) is written.
        steps += [Step(path, None, disk[path]) for path in disk if path not in self._files]
        failures = save_steps(self.root, steps, label, trash=trash)
        saved: set[str] = set()
        if not failures:
            for step in steps:
                if step.data is None:
                    del disk[step.path]
                else:
                    f = self._files[step.path]
                    disk[step.path] = f.disk = f.text  # exactly the bytes written, kept as their text
                saved.add(step.path)
        if self.layout_dirty():
            failure = self._save_layout()
            if failure:
                failures.append(failure)
        self._finish(disk=frozenset(saved), saved=frozenset(saved))  # also when only the layout was written
        return failures

    def _save_layout(self) -> SaveFailure | None:
        """Write the sidecar; an empty layout removes it (there is nothing to remember)."""
        path = self.root / SIDECAR
        data: bytes | None
        if not self._positions and not self._pinned:
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
            problem = write_file(self.root, SIDECAR, data, self._sidecar_disk)
            if problem:
                return SaveFailure(SIDECAR, problem)
        self._sidecar_disk = data
        self._saved_layout = (dict(self._positions), frozenset(self._pinned))
        if self.sidecar_problem:
            self.sidecar_problem = None
            self._collect_problems()
            self._problems_changed = True
        return None
