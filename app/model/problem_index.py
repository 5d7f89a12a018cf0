"""The team's problems, kept up to date as files change, without redoing the whole team.

Each file's problems depend only on the file, the names in the team and its odd references; a
one-sided relation's on the relation and its declaring file; loops on the hand-off graph. So an
edit redoes the edited files, the relations the edit touched, and the loops only when a hand-off
appeared between agents not already in one loop together or one disappeared from inside a loop.
The order of `problems()` is always that of `validation.validate()` on the same files.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence

from app.model.agent_file import AgentFile
from app.model.relations import RelationDelta, RelationIndex, RelationKey, handoff_loops
from app.model.validation import (
    KeyLines,
    Problem,
    file_problems,
    loop_problems,
    relation_problem,
    team_problems,
)


class ProblemIndex:
    def __init__(self) -> None:
        self._files: dict[str, list[Problem]] = {}
        self._relations: dict[RelationKey, Problem] = {}
        self._loops: list[list[str]] | None = None  # None: not analysed yet (see analyse_loops)
        self._loop_of: dict[str, int] = {}
        self._loop_problems: list[Problem] = []

    @property
    def loops_known(self) -> bool:
        return self._loops is not None

    def rebuild(self, files: Mapping[str, AgentFile], names: Mapping[str, Sequence[str]],
                relations: RelationIndex) -> None:
        """Everything again."""
        lines = KeyLines()
        self._files = {path: file_problems(f, names, relations.odd_references(path), lines)
                       for path, f in files.items()}
        self._relations = {}
        for r in relations.relations():
            if r.one_sided:
                self._relations[r.key] = relation_problem(r, files[names[next(iter(r.declared_by))][0]], lines)
        self.analyse_loops(files, names, relations, lines)

    def analyse_loops(self, files: Mapping[str, AgentFile], names: Mapping[str, Sequence[str]],
                      relations: RelationIndex, lines: KeyLines | None = None) -> None:
        loops = handoff_loops(names, relations.handoffs())
        self._loops = loops
        self._loop_of = {n: i for i, loop in enumerate(loops) for n in loop}
        self._loop_problems = loop_problems(loops, lambda name: files[names[name][0]], lines)

    def update(self, paths: Collection[str], files: Mapping[str, AgentFile],
               names: Mapping[str, Sequence[str]], relations: RelationIndex, delta: RelationDelta) -> bool:
        """After edits to `paths` that kept every agent's name (RelationIndex.update's case).
        Whether any problem changed (found locally: comparing whole lists would cost more than
        the update itself in a big team)."""
        lines = KeyLines()
        changed = False
        for path in paths:
            new = file_problems(files[path], names, relations.odd_references(path), lines)
            changed = changed or new != self._files.get(path)
            self._files[path] = new
        loops_changed = False
        loop_of = self._loop_of
        for key in delta.touched:
            kind, s, t = key
            r = relations.get(key)
            if kind == "handoff" and self._loops is not None:
                same_loop = s in loop_of and loop_of.get(t) == loop_of[s]
                if (r is None and same_loop) or (key in delta.added and not same_loop):
                    loops_changed = True
            before = self._relations.get(key)
            if r is not None and r.one_sided:
                self._relations[key] = relation_problem(r, files[names[next(iter(r.declared_by))][0]], lines)
            else:
                self._relations.pop(key, None)
            changed = changed or before != self._relations.get(key)
        if self._loops is None:
            return changed
        before_loops = self._loop_problems
        if loops_changed:
            self.analyse_loops(files, names, relations, lines)
        else:  # the same loops; only a line number may have moved
            self._loop_problems = [
                p._replace(line=lines.line(files[p.file], p.field)) if p.file is not None and p.file in paths else p
                for p in self._loop_problems]
        return changed or before_loops != self._loop_problems

    def problems(self, files: Iterable[str], relations: RelationIndex, unreadable: Mapping[str, str],
                 sidecar_problem: str | None, outside_links: Collection[str] = ()) -> list[Problem]:
        out = team_problems(unreadable, sidecar_problem, outside_links)
        for path in files:
            out += self._files[path]
        rel = self._relations
        out += [rel[r.key] for r in relations.relations() if r.key in rel]
        out += self._loop_problems
        return out

    def drop(self, path: str) -> None:
        self._files.pop(path, None)
