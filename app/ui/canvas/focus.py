"""What stays at full strength when agents are selected (or one is hovered): the agents, their
relations and their direct neighbours; with two agents, also every hand-off path between them.
No Qt: the scene applies it, tests check it on plain relations."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

RelationKey = tuple[str, str, str]  # kind, source, target


@dataclass(frozen=True)
class Focus:
    agents: frozenset[str] = frozenset()      # shown at full strength (the rest is dimmed)
    relations: frozenset[RelationKey] = frozenset()  # relations of the focused agents
    path: frozenset[RelationKey] = field(default=frozenset())  # hand-offs on a path between two

    @property
    def active(self) -> bool:
        return bool(self.agents)


def _reach(start: str, step: dict[str, list[str]]) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for m in step.get(todo.pop(), ()):
            if m not in seen:
                seen.add(m)
                todo.append(m)
    return seen


def focus_of(focused: Iterable[str], relations: Iterable[RelationKey],
             everything: Iterable[RelationKey] | None = None) -> Focus:
    """`relations`: at least those of the focused agents; `everything`: all of them, for the
    paths between two focused agents (default: `relations`)."""
    centre = set(focused)
    if not centre:
        return Focus()
    rels = list(relations)
    agents = set(centre)
    mine = set()
    for key in rels:
        _, s, t = key
        if s in centre or t in centre:
            mine.add(key)
            agents.update((s, t))
    path: set[RelationKey] = set()
    if len(centre) == 2:
        a, b = sorted(centre)
        succ: dict[str, list[str]] = {}
        pred: dict[str, list[str]] = {}
        rels = rels if everything is None else list(everything)
        for kind, s, t in rels:
            if kind == "handoff" and s != t:
                succ.setdefault(s, []).append(t)
                pred.setdefault(t, []).append(s)
        for x, y in ((a, b), (b, a)):
            after_x, before_y = _reach(x, succ), _reach(y, pred)
            if y not in after_x:
                continue
            # s→t lies on a path x ⇝ y exactly when x reaches s and t reaches y.
            path.update(k for k in rels if k[0] == "handoff" and k[1] in after_x and k[2] in before_y)
        agents.update(n for _, s, t in path for n in (s, t))
    return Focus(frozenset(agents), frozenset(mine), frozenset(path))
