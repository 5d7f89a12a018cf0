"""The relations between agents: what each file declares, the index of relations, and the graph
analyses (loops of hand-offs) through networkx.

A relation exists once per (kind, source, target), whoever declares it; `declared_by` says which
side(s) do. The index is rebuilt linearly when agents come, go or are renamed, and updated in
place for an edit that keeps every name (typing in a field of a 10,000-agent team must not redo
the whole team). Both ways give the same result (tests/model/test_team.py checks it).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, NamedTuple

from app.model.agent_file import AgentFile
from app.model.spawn import spawn_targets

if TYPE_CHECKING:  # networkx costs ~0.2 s to import: only analyses that need it import it
    import networkx as nx

# handoff and parallel are declared in `coordination:` (by either side); spawn (the agents it may
# start: Agent(...) in tools) and observer (`observer:`) live only in the source's file.
Kind = Literal["handoff", "parallel", "spawn", "observer"]
TWO_SIDED = ("handoff", "parallel")
RelationKey = tuple[str, str, str]  # (kind, source, target)


class Relation(NamedTuple):
    """One relation between two agents. Immutable; a NamedTuple rather than a frozen dataclass
    because a big team has tens of thousands of them and a tuple is built 3× faster."""

    kind: Kind
    source: str
    target: str  # parallel: source < target
    declared_by: frozenset[str]  # which side(s) declare it: a subset of {source, target}

    @property
    def one_sided(self) -> bool:
        """Declared by one side only, where both should declare it (hand-offs and parallels)."""
        return len(self.declared_by) < 2 and self.kind in TWO_SIDED

    @property
    def key(self) -> RelationKey:
        return (self.kind, self.source, self.target)


def make_relation(kind: str, source: str, target: str, mask: int) -> Relation:
    """mask: 1 = the source declares it, 2 = the target does, 3 = both."""
    declared = frozenset((source, target)) if mask == 3 else frozenset((source if mask == 1 else target,))
    return Relation(kind, source, target, declared)  # type: ignore[arg-type]  # kind is checked by callers


def _mask(rel: Relation) -> int:
    """make_relation's mask of an existing relation."""
    if len(rel.declared_by) == 2:
        return 3
    return 1 if rel.source in rel.declared_by else 2


# (kind, source, target, side bit) declared by one file; (list key, name) it names oddly.
Declaration = tuple[str, str, str, int]
OddReference = tuple[str, str]


def declarations(f: AgentFile | None, names: Collection[str]) -> tuple[list[Declaration], list[OddReference]]:
    """What one file declares: relations to agents that exist, and references to itself or to
    names that are not in the team (validation reports those)."""
    rels: list[Declaration] = []
    odd: list[OddReference] = []
    agent = f.summary if f is not None else None  # the sketch only before the team is checked
    if agent is None or not agent.name:
        return rels, odd
    me = agent.name
    _source_only(agent, me, names, rels, odd)
    c = agent.coordination
    if c is None:
        return rels, odd
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


def _source_only(agent, me: str, names: Collection[str], rels: list[Declaration], odd: list[OddReference]) -> None:
    """The relations only the source's file declares: agents it may start, its observers."""
    for other in spawn_targets(agent.tools):
        if other != me and other in names:
            rels.append(("spawn", me, other, 1))
        else:
            odd.append(("tools", other))
    observers = getattr(agent, "observer", None)
    for other in observers if isinstance(observers, list) else ():
        if other != me and other in names:
            rels.append(("observer", me, other, 1))
        else:
            odd.append(("observer", other))


@dataclass(frozen=True)
class RelationDelta:
    """What an update did to the relations (keys), for the change notice."""

    added: frozenset[RelationKey] = frozenset()
    removed: frozenset[RelationKey] = frozenset()
    changed: frozenset[RelationKey] = frozenset()  # who declares it changed
    # Every key an edited file declared before or after (a superset of the three above): their
    # problems may have moved to another line.
    touched: frozenset[RelationKey] = frozenset()

    def __bool__(self) -> bool:
        return bool(self.added or self.removed or self.changed)


def _delta(before: Mapping[RelationKey, Relation], after: Mapping[RelationKey, Relation],
           keys: Iterable[RelationKey] | None = None) -> RelationDelta:
    if not before and keys is None:  # a team just read: everything is new (the common big case)
        return RelationDelta(frozenset(after), touched=frozenset(after))
    added, removed, changed = set(), set(), set()
    for key in (set(before) | set(after)) if keys is None else keys:
        old, new = before.get(key), after.get(key)
        if old is None and new is not None:
            added.add(key)
        elif new is None and old is not None:
            removed.add(key)
        elif old != new:
            changed.add(key)
    return RelationDelta(frozenset(added), frozenset(removed), frozenset(changed),
                         frozenset(added | removed | changed) if keys is None else frozenset(keys))


class RelationIndex:
    """Every relation of a team, by key, plus each file's odd references."""

    def __init__(self) -> None:
        self._map: dict[RelationKey, Relation] = {}
        self._odd: dict[str, list[OddReference]] = {}  # path → odd references
        # Per key, how many declarations each side makes; built on the first cheap update.
        self._counts: dict[RelationKey, list[int]] | None = None

    # -- queries -------------------------------------------------------------------------------
    def relations(self) -> list[Relation]:
        """In file order (deterministic: files are sorted by path); exports sort for themselves."""
        return list(self._map.values())

    def get(self, key: RelationKey) -> Relation | None:
        return self._map.get(key)

    def __contains__(self, key: object) -> bool:
        return key in self._map

    def odd_references(self, path: str) -> list[OddReference]:
        return self._odd.get(path, [])

    # -- building --------------------------------------------------------------------------------
    def rebuild(self, files: Mapping[str, AgentFile], names: Collection[str]) -> RelationDelta:
        """Everything again from the files (agents came, went or were renamed)."""
        # (kind, source, target) → who declares it: 1 = the source, 2 = the target, 3 = both.
        masks: dict[RelationKey, int] = {}
        odd: dict[str, list[OddReference]] = {}
        for path, f in files.items():
            rels, refs = declarations(f, names)
            for kind, s, t, bit in rels:
                key = (kind, s, t)
                masks[key] = masks.get(key, 0) | bit
            if refs:
                odd[path] = refs
        before = self._map
        # The relations that did not change are kept (checking a team opened from sketches
        # rebuilds all 72,875 of a 10,000-agent team, nearly all the same: 20 MB less at the peak).
        self._map = {}
        for key, mask in masks.items():
            old = before.get(key)
            self._map[key] = old if old is not None and _mask(old) == mask else make_relation(*key, mask)
        self._odd = odd
        self._counts = None
        return _delta(before, self._map)

    def update(self, old_files: Mapping[str, AgentFile | None], files: Mapping[str, AgentFile],
               names: Collection[str]) -> RelationDelta | None:
        """Update after edits to `old_files` (path → the file before) that kept every agent's
        name; None when that is not the case (then call rebuild)."""
        for path, old in old_files.items():
            new = files.get(path)
            if old is None or new is None or old.name != new.name:
                return None
        if self._counts is None:  # count each side's declarations, as of before the edit
            counts: dict[RelationKey, list[int]] = {}
            for path, f in files.items():
                for kind, s, t, bit in declarations(old_files.get(path, f), names)[0]:
                    counts.setdefault((kind, s, t), [0, 0])[bit - 1] += 1
            self._counts = counts
        counts = self._counts
        affected: set[RelationKey] = set()
        for path, old in old_files.items():
            for kind, s, t, bit in declarations(old, names)[0]:
                counts[(kind, s, t)][bit - 1] -= 1
                affected.add((kind, s, t))
            rels, refs = declarations(files[path], names)
            for kind, s, t, bit in rels:
                counts.setdefault((kind, s, t), [0, 0])[bit - 1] += 1
                affected.add((kind, s, t))
            if refs:
                self._odd[path] = refs
            else:
                self._odd.pop(path, None)
        before = {key: self._map[key] for key in affected if key in self._map}
        for key in affected:
            c = counts[key]
            mask = (1 if c[0] > 0 else 0) | (2 if c[1] > 0 else 0)
            if mask == 0:
                del counts[key]
                self._map.pop(key, None)
            else:
                self._map[key] = make_relation(*key, mask)
        return _delta(before, self._map, affected)

    # -- graphs (networkx, imported on first use) ---------------------------------------------
    def graph(self, names: Iterable[str]) -> nx.MultiDiGraph:
        """The relations as a MultiDiGraph keyed by kind, with the Relation as edge attribute
        "relation"."""
        import networkx as nx

        graph: nx.MultiDiGraph = nx.MultiDiGraph()
        graph.add_nodes_from(names)
        for r in self._map.values():
            graph.add_edge(r.source, r.target, key=r.kind, relation=r)
        return graph

    def handoffs(self) -> list[tuple[str, str]]:
        return [(s, t) for kind, s, t in self._map if kind == "handoff"]


def components_in_order(nodes: Iterable[str], edges: Iterable[tuple[str, str]]) -> list[list[str]]:
    """The strongly connected components of the directed graph (each loop as one group, every
    other node alone), in an order where every edge between groups points forward.

    Linear, never an enumeration of paths (exponential on agent teams, which have loops). The
    standard library's graphlib answers a graph without loops (most teams) without importing
    networkx, which costs ~0.2 s of the editor's start; networkx condenses the loops otherwise.
    """
    import graphlib

    nodes = list(nodes)
    edges = list(edges)
    sorter: graphlib.TopologicalSorter[str] = graphlib.TopologicalSorter()
    for n in nodes:
        sorter.add(n)
    for s, t in edges:
        sorter.add(t, s)
    try:
        return [[n] for n in sorter.static_order()]
    except graphlib.CycleError:
        pass
    import networkx as nx

    graph: nx.DiGraph = nx.DiGraph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from(edges)
    condensed = nx.condensation(graph)
    return [sorted(condensed.nodes[c]["members"]) for c in nx.lexicographical_topological_sort(condensed)]


def handoff_loops(nodes: Iterable[str], handoffs: Iterable[tuple[str, str]]) -> list[list[str]]:
    """Each group of agents that can hand work around in a circle, once, sorted."""
    return sorted(c for c in components_in_order(nodes, handoffs) if len(c) > 1)
