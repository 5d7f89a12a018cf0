"""The canvas commands as operations: new agent, delete, duplicate, pin, link, unlink and
auto-layout. The view (canvas/view.py) says what the user asked for — with which agents and
relations — and these turn it into one operation through `controller.do` (one undo step).

The main window owns one `CanvasActions`; it survives team changes (a layout still running for
the previous team is dropped when another one opens).
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from app.model import operations as ops
from app.model.delete_impact import delete_question
from app.model.edit import Operation
from app.model.layout import free_spot, layered_layout
from app.model.new_agent import NewAgent, create_operation
from app.model.relations import RelationKey
from app.model.team import Team
from app.ui.canvas.card import CARD_H, CARD_W
from app.ui.controller import Controller

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

THREADED_LAYOUT_FROM = 300  # agents; smaller teams lay out faster than a thread hand-off
Point = tuple[float, float]


def free_name(existing: Iterable[str], base: str = "new-agent") -> str:
    taken = set(existing)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def pinned_positions(team: Team) -> dict[str, Point]:
    return {n: team.positions[n] for n in team.pinned if n in team.positions}


class CanvasActions(QObject):
    layoutRunning = Signal(bool)   # a threaded auto-layout started (True) or ended (False)
    layoutFinished = Signal()      # an auto-layout was applied (or found nothing to move)
    _layoutReady = Signal(int, object)  # generation, Future (delivered on the GUI thread)

    def __init__(self, controller: Controller, parent: QObject | None = None,
                 confirm: Callable[[str, str], bool] | None = None):
        """`confirm(title, question)`: asks the user before deleting several agents (None: never
        ask, as in tests)."""
        super().__init__(parent)
        self.controller = controller
        self.confirm = confirm
        self.layout_running = False
        self._layout_generation = 0
        self._executor: ThreadPoolExecutor | None = None
        self._layoutReady.connect(self._on_layout_ready)
        controller.teamOpened.connect(self._new_team)

    @property
    def team(self) -> Team | None:
        return self.controller.team

    def _do_all(self, label: str, operations: Sequence[Operation]) -> bool:
        if not operations:
            return False
        if len(operations) == 1:
            return self.controller.do(operations[0])
        return self.controller.do(ops.Batch(label, tuple(operations)))

    # -- agents ---------------------------------------------------------------------------------
    def free_spot_near(self, centre: Point, also_taken: Sequence[Point] = ()) -> Point:
        """The top-left corner of a card in the free space nearest to `centre` (scene
        coordinates, the card's centre): never over another card."""
        team = self.team
        taken = [*(team.positions.values() if team is not None else ()), *also_taken]
        return free_spot(taken, (centre[0] - CARD_W / 2, centre[1] - CARD_H / 2), (CARD_W, CARD_H))

    def new_agent(self, at: Point) -> str | None:
        """Add an agent in the free space nearest to `at` (scene coordinates) and edit its name."""
        team = self.team
        if team is None:
            return None
        name = free_name(team.names())
        if not self.controller.do(ops.AddAgent(name, position=self.free_spot_near(at))):
            return None
        self.controller.show_field(name, "name")
        return name

    def create(self, spec: NewAgent, at: Point) -> bool:
        """Add the agent the guided dialog describes, every field at once (one undo step), in the
        free space nearest to `at`; it is selected."""
        team = self.team
        if team is None:
            return False
        try:
            centre = (at[0] - CARD_W / 2, at[1] - CARD_H / 2)
            op = create_operation(spec, team, centre)
        except ops.OperationError as e:
            self.controller.error.emit(str(e))
            return False
        if not self.controller.do(op):
            return False
        self.controller.select([spec.name])
        return True

    def delete(self, names: Sequence[str], relations: Sequence[RelationKey] = (), confirm: bool = True) -> bool:
        """Delete agents (with every reference to them) and relations, as one step. Relations of
        deleted agents go with them. Asks once, saying what else changes."""
        if names:
            team = self.team
            if confirm and self.confirm is not None and team is not None and not self.confirm(
                    "Delete agent" if len(names) == 1 else "Delete agents", delete_question(team, names)):
                return False
            gone = set(names)
            unlinks = [ops.Unlink(source, target, kind) for kind, source, target in relations
                       if source not in gone and target not in gone]
            label = f"Delete {len(names)} agents" if len(names) > 1 else f"Delete {names[0]}"
            return self._do_all(label, [*unlinks, *(ops.RemoveAgent(n) for n in names)])
        if relations:
            return self.unlink(relations)
        return False

    def duplicate(self, names: Sequence[str], near: Point | None = None) -> list[str]:
        """Copy the agents, each card in the free space nearest to `near` (the view's centre), or
        to its original when None; the copies are selected. Returns their names. One undo step."""
        team = self.team
        if team is None or not names:
            return []
        taken = set(team.names())
        steps: list[Operation] = []
        placed: list[Point] = []
        new: list[str] = []
        for n in names:
            copy = free_name(taken | {posixpath.basename(p)[:-3] for p in team.files}, f"{n}-copy")
            taken.add(copy)
            own = team.positions.get(n)
            centre = near if near is not None else (
                (own[0] + CARD_W / 2 + 32, own[1] + CARD_H / 2 + 32) if own is not None else None)
            steps.append(ops.DuplicateAgent(n, copy))
            if centre is not None:
                spot = self.free_spot_near(centre, placed)
                placed.append(spot)
                steps.append(ops.MoveAgents({copy: spot}))
            new.append(copy)
        label = f"Duplicate {names[0]}" if len(names) == 1 else f"Duplicate {len(names)} agents"
        if not self.controller.do(ops.Batch(label, tuple(steps))):
            return []
        self.controller.select(new)
        return new

    def set_pinned(self, names: Sequence[str], pinned: bool) -> bool:
        return self.controller.do(ops.SetPinned(tuple(names), pinned))

    # -- relations ------------------------------------------------------------------------------
    def link_candidates(self, source: str) -> list[str]:
        """The agents `source` could be linked to (an error is reported when there are none)."""
        team = self.team
        others = [n for n in team.names() if n != source] if team is not None else []
        if team is not None and not others:
            self.controller.error.emit("There is no other agent to link to yet.")
        return others

    def link(self, source: str, target: str, kind: str) -> bool:
        team = self.team
        if team is None:
            return False
        if target not in team.names():
            self.controller.error.emit(f"There is no agent called {target}.")
            return False
        if source == target:
            self.controller.error.emit("An agent cannot hand off to itself.")
            return False
        key = ("parallel", *sorted((source, target))) if kind == "parallel" else (kind, source, target)
        existing = next((r for r in team.relations() if r.key == key), None)
        if existing is not None and not existing.one_sided:
            what = "hands off to" if kind == "handoff" else "already works in parallel with"
            self.controller.error.emit(f"{source} {what} {target} already.")
            return False
        return self.controller.do(ops.Link(source, target, kind))

    def declare_missing_side(self, relation: RelationKey) -> bool:
        kind, source, target = relation
        return self.controller.do(ops.Link(source, target, kind))

    def unlink(self, relations: Sequence[RelationKey]) -> bool:
        label = "Delete link" if len(relations) == 1 else f"Delete {len(relations)} links"
        return self._do_all(label, [ops.Unlink(source, target, kind) for kind, source, target in relations])

    # -- auto-layout ----------------------------------------------------------------------------
    def _new_team(self, _team: Team) -> None:
        self._layout_generation += 1  # a layout still running for the previous team is dropped
        if self.layout_running:
            self.layout_running = False
            self.layoutRunning.emit(False)

    def auto_layout(self, threaded: bool | None = None) -> None:
        """Lay the team out along its hand-offs (pinned agents stay), as one undo step. A big team
        is laid out on a worker thread; `layoutFinished` says when it is applied."""
        team = self.team
        if team is None or self.layout_running:
            return
        keep = pinned_positions(team)
        if threaded is None:
            threaded = len(team.names()) > THREADED_LAYOUT_FROM
        self._layout_generation += 1
        generation = self._layout_generation
        if not threaded:
            self.apply_layout(layered_layout(team, keep))
            return
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor  # the first threaded layout

            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="layout")
        self.layout_running = True
        self.layoutRunning.emit(True)
        # A copy of the graph: the user may keep editing while the layout runs.
        future = self._executor.submit(layered_layout, team.graph.copy(), keep)
        # The callback runs on the worker thread; the signal queues the result to the GUI thread.
        future.add_done_callback(lambda f: self._layoutReady.emit(generation, f))

    def _on_layout_ready(self, generation: int, future: Future[dict[str, Point]]) -> None:
        if generation != self._layout_generation:
            return
        self.layout_running = False
        self.layoutRunning.emit(False)
        try:
            positions = future.result()
        except Exception as exc:  # noqa: BLE001 - a layout bug must not take the editor down
            self.controller.error.emit(f"Auto-layout failed: {exc}")
            return
        self.apply_layout(positions)

    def apply_layout(self, positions: dict[str, Point]) -> bool:
        team = self.team
        if team is None:
            return False
        names = set(team.names())
        moved: dict[str, Point | None] = {
            n: (float(x), float(y))
            for n, (x, y) in positions.items()
            if n in names and n not in team.pinned and tuple(team.positions.get(n, ())) != (x, y)
        }
        ok = bool(moved) and self.controller.do(ops.Batch("Auto-layout", (ops.MoveAgents(moved),)))
        self.layoutFinished.emit()
        return ok

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None
