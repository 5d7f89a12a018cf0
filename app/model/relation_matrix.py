"""The relation matrix: agents × agents, each cell the relations between its row's agent and its
column's agent, which way each one goes and who declares it.

Qt-free, so the matrix view (app/ui/matrix/) only paints what this says and the tests check it
against hand-written teams. A cell is read from the row's side: "out" means the row's agent is
the source (it hands work to the column's agent, may start it, lists it as an observer), "in"
that the column's agent is (the row receives work from it), "both" a parallel link.
`declared` says which file declares it: both agents', only the row's, or only the column's.

Cells are worked out per pair of agents on first use and kept; a change notice (TeamChange)
that keeps every name updates only the pairs its relations touch (`apply`), so typing in a
10,000-agent team does not rebuild a million cells.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Literal, NamedTuple

from app.model.changes import TeamChange
from app.model.relations import TWO_SIDED, Kind, Relation, RelationKey, components_in_order

Direction = Literal["out", "in", "both"]
Declarer = Literal["both", "row", "column"]
Order = Literal["folder", "name", "clusters"]
ORDERS: tuple[Order, ...] = ("folder", "name", "clusters")
ORDER_WORDS: dict[Order, str] = {"folder": "By folder", "name": "By name", "clusters": "By hand-off groups"}

# The order marks appear in inside a cell (and in its tooltip): what a reader looks for first.
_KIND_RANK = {"handoff": 0, "parallel": 1, "spawn": 2, "observer": 3}
_DIRECTION_RANK = {"out": 0, "both": 0, "in": 1}


class Mark(NamedTuple):
    """One relation as one cell shows it."""

    kind: Kind
    direction: Direction
    declared: Declarer
    relation: RelationKey

    @property
    def one_sided(self) -> bool:
        return self.declared != "both" and self.kind in TWO_SIDED


EMPTY: tuple[Mark, ...] = ()
Pair = tuple[str, str]  # two names, sorted


def mark(relation: Relation, row: str) -> Mark:
    """`relation` seen from `row`'s side (row is its source or its target)."""
    column = relation.target if relation.source == row else relation.source
    if relation.kind == "parallel":
        direction: Direction = "both"
    else:
        direction = "out" if relation.source == row else "in"
    by = relation.declared_by
    declared: Declarer = "both" if row in by and column in by else "row" if row in by else "column"
    return Mark(relation.kind, direction, declared, relation.key)


def _pair(a: str, b: str) -> Pair:
    return (a, b) if a < b else (b, a)


def order_names(names: Iterable[str], order: Order, folders: Mapping[str, str] | None = None,
                handoffs: Iterable[tuple[str, str]] = ()) -> list[str]:
    """The agents in the matrix's order.

    folder: by folder (the team's top folder first), then by name. name: by name. clusters: the
    groups of agents that hand work among themselves (networkx's Louvain communities of the
    hand-off graph, seeded, so the same team always gives the same order), biggest first; inside
    a group along the hand-offs (who hands work on comes before whom it goes to), loops together.
    """
    names = sorted(names)
    if order == "name":
        return names
    if order == "folder":
        folders = folders or {}
        return sorted(names, key=lambda n: (folders.get(n, ""), n))
    return _clustered(names, [(s, t) for s, t in handoffs if s != t])


def _clustered(names: list[str], handoffs: list[tuple[str, str]]) -> list[str]:
    import networkx as nx  # deferred: ~0.2 s of import the editor's start does not need

    graph: nx.Graph = nx.Graph()
    graph.add_nodes_from(names)  # sorted: Louvain's result depends on the order nodes come in
    graph.add_edges_from(sorted(handoffs))
    groups = nx.community.louvain_communities(graph, seed=0) if graph.number_of_edges() else []
    grouped = [sorted(g) for g in groups if len(g) > 1]
    grouped.sort(key=lambda g: (-len(g), g[0]))
    out: list[str] = []
    for group in grouped:
        members = set(group)
        inside = [(s, t) for s, t in handoffs if s in members and t in members]
        for component in components_in_order(group, inside):
            out.extend(component)
    placed = set(out)
    out.extend(n for n in names if n not in placed)  # agents without hand-offs: last, by name
    return out


class RelationMatrix:
    """The matrix of one team's relations.

    `RelationMatrix(names, relations, folders=None, order="folder")`; `folders` maps an agent to
    its file's folder (relative, "" for the team's top folder).
    """

    def __init__(self, names: Iterable[str], relations: Iterable[Relation],
                 folders: Mapping[str, str] | None = None, order: Order = "folder"):
        self.folders: dict[str, str] = dict(folders or {})
        self._pairs: dict[Pair, list[Relation]] = {}
        for r in relations:
            self._pairs.setdefault(_pair(r.source, r.target), []).append(r)
        self._cells: dict[tuple[str, str], tuple[Mark, ...]] = {}
        self.order: Order = order
        self.names: list[str] = []
        self._index: dict[str, int] = {}
        self._arrange(list(names))

    @classmethod
    def of_team(cls, team, order: Order = "folder") -> RelationMatrix:
        """The matrix of a `Team` (anything with names(), relations(), agent(name).path)."""
        return cls(team.names(), team.relations(), team_folders(team), order)

    # -- queries -------------------------------------------------------------------------------
    def __len__(self) -> int:
        return len(self.names)

    def index(self, name: str) -> int | None:
        return self._index.get(name)

    def cell(self, row: int, column: int) -> tuple[Mark, ...]:
        """The marks of the cell at (row, column), in the order they are drawn."""
        names = self.names
        return self.marks(names[row], names[column])

    def marks(self, row: str, column: str) -> tuple[Mark, ...]:
        key = (row, column)
        found = self._cells.get(key)
        if found is not None:
            return found
        rels = self._pairs.get(_pair(row, column))
        if not rels or row == column:
            return EMPTY
        marks = tuple(sorted((mark(r, row) for r in rels),
                             key=lambda m: (_KIND_RANK[m.kind], _DIRECTION_RANK[m.direction])))
        self._cells[key] = marks
        return marks

    def relations(self) -> list[Relation]:
        return [r for rels in self._pairs.values() for r in rels]

    def handoffs(self) -> list[tuple[str, str]]:
        return [(r.source, r.target) for rels in self._pairs.values() for r in rels if r.kind == "handoff"]

    # -- changes -------------------------------------------------------------------------------
    def set_order(self, order: Order) -> None:
        self.order = order
        self._arrange(self.names)

    def apply(self, change: TeamChange, relation: Callable[[RelationKey], Relation | None],
              folders: Mapping[str, str] | None = None) -> list[tuple[int, int]] | None:
        """Follow a change notice; `relation(key)` gives a relation as it is now (None: gone).

        Returns the (row, column) cells whose marks changed, or None when the agents changed
        (added, removed, renamed) or an agent moved to another folder in the folder order: then
        the caller builds the matrix again (`of_team`), since rows and columns move."""
        if change.structure:
            return None
        if folders is not None and change.updated:
            moved = [n for n in change.updated if folders.get(n, "") != self.folders.get(n, "")]
            if moved:
                return None
        keys = change.relations_added | change.relations_removed | change.relations_changed
        cells: list[tuple[int, int]] = []
        for kind, source, target in keys:
            pair = _pair(source, target)
            rels = [r for r in self._pairs.get(pair, []) if r.key != (kind, source, target)]
            now = relation((kind, source, target))
            if now is not None:
                rels.append(now)
            if rels:
                self._pairs[pair] = rels
            else:
                self._pairs.pop(pair, None)
            self._cells.pop((source, target), None)
            self._cells.pop((target, source), None)
            a, b = self._index.get(source), self._index.get(target)
            if a is not None and b is not None:
                cells += [(a, b), (b, a)]
        # The order stays as it is (even by hand-off groups, which an edit may shift): rows that
        # jump while the user fixes them would lose the reader. Choosing the order again redoes it.
        return sorted(set(cells))

    def _arrange(self, names: Sequence[str]) -> None:
        self.names = order_names(names, self.order, self.folders, self.handoffs())
        self._index = {n: i for i, n in enumerate(self.names)}


def team_folders(team) -> dict[str, str]:
    """Each agent's folder inside the team ("" for the top folder)."""
    out = {}
    for name in team.names():
        f = team.agent(name)
        out[name] = posixpath.dirname(f.path) if f is not None else ""
    return out


# -- in words (tooltips, screen readers, the legend) ----------------------------------------------
def describe(m: Mark, row: str, column: str) -> str:
    """One mark of the cell (row, column) in a plain sentence."""
    if m.kind == "spawn":
        return f"{row} may start {column} (its tools)" if m.direction == "out" else \
            f"{column} may start {row} (its tools)"
    if m.kind == "observer":
        return f"{row} lists {column} as an observer" if m.direction == "out" else \
            f"{column} lists {row} as an observer"
    if m.kind == "parallel":
        what, lists = f"{row} and {column} work in parallel", ("parallel-with", "parallel-with")
    elif m.direction == "out":
        what, lists = f"{row} hands work to {column}", ("hands-off-to", "receives-from")
    else:
        what, lists = f"{row} receives work from {column}", ("receives-from", "hands-off-to")
    if m.declared == "both":
        return f"{what}; both files say so"
    if m.declared == "row":
        return f"{what}, but only {row}'s file says so ({column} does not list {row} in its {lists[1]})"
    return f"{what}, but only {column}'s file says so ({row} does not list {column} in its {lists[0]})"


def describe_cell(marks: Sequence[Mark], row: str, column: str) -> str:
    if not marks:
        return f"No relation between {row} and {column}"
    return ". ".join(describe(m, row, column) for m in marks) + "."


def handoff_summary(matrix: RelationMatrix, name: str) -> str:
    """Whom `name` hands work to, and which of those hand-offs only one file declares."""
    out = [(column, m) for column in matrix.names for m in matrix.marks(name, column)
           if m.kind == "handoff" and m.direction == "out"]
    if not out:
        return f"{name} hands work to no one."
    text = f"{name} hands work to {len(out)}: " + ", ".join(c for c, _m in out) + "."
    lone = [f"{c} (only {name if m.declared == 'row' else c}'s file says so)" for c, m in out if m.one_sided]
    return text + (f" One-sided: {', '.join(lone)}." if lone else " Every one is declared on both sides.")
