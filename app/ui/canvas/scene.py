"""The canvas scene: a live view of the Controller's team. It owns no data.

`teamOpened` rebuilds it; `teamChanged` updates only what changed (cards of changed files, moved
positions, the relation set). User gestures become operations through `controller.do`: one
`MoveAgents` per drag, one `Link` per link drag.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene

from app.model import operations as ops
from app.ui.canvas.card import CARD_H, CARD_W, CardData, CardItem, style
from app.ui.canvas.edge import EdgeItem

DIM = 0.22
PLACE_GAP_X = 80.0
PLACE_GAP_Y = 32.0


def card_data(team, name: str, problems: dict[str, tuple[int, str | None]]) -> CardData:
    """The few display values of one agent."""
    af = team.agent(name)
    agent = getattr(af, "agent", None)
    count, severity = problems.get(name, (0, None))
    pinned = name in team.pinned
    if agent is None:
        return CardData(name=name, problems=count, severity=severity, pinned=pinned,
                        invalid=getattr(af, "error", None) is not None, model="?", tools="?")
    tools = agent.tool_names()
    if tools is None:
        tools_label = "all tools"
    elif not tools:
        tools_label = "no tools"
    else:
        tools_label = f"{len(tools)} tool{'s' if len(tools) != 1 else ''}"
    model = agent.model if isinstance(agent.model, str) and agent.model.strip() else "inherit"
    return CardData(
        name=name,
        description=agent.description if isinstance(agent.description, str) else "",
        model=model,
        tools=tools_label,
        color=agent.color if isinstance(agent.color, str) else None,
        problems=count,
        severity=severity,
        pinned=pinned,
        invalid=getattr(af, "error", None) is not None,
    )


def problems_by_agent(team) -> dict[str, tuple[int, str | None]]:
    """{agent: (count, worst severity)} for errors and warnings; info is not worth a dot."""
    out: dict[str, tuple[int, str | None]] = {}
    by_file: dict[str, str] = {}
    for problem in getattr(team, "problems", []) or []:
        if problem.severity not in ("error", "warning"):
            continue
        name = problem.agent
        if not name and problem.file:
            if not by_file:
                by_file = {path: af.name for path, af in team.files.items() if af.name}
            name = by_file.get(problem.file)
        if not name:
            continue
        count, worst = out.get(name, (0, None))
        worst = "error" if problem.severity == "error" or worst == "error" else "warning"
        out[name] = (count + 1, worst)
    return out


class CanvasScene(QGraphicsScene):
    contentChanged = Signal()   # cards added or removed (the view refreshes its empty state)
    moved = Signal()            # a drag ended with a MoveAgents operation

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.cards: dict[str, CardItem] = {}
        self.edges: dict[tuple[str, str, str], EdgeItem] = {}
        self.snapping = False
        self.linking = False
        self.interacting = False  # a drag is under way: no hover dimming
        self._link_source: CardItem | None = None
        self._link_line: QGraphicsPathItem | None = None
        self._link_target: CardItem | None = None
        self._press_positions: dict[str, QPointF] = {}
        self._syncing_selection = False
        self._problems: dict[str, tuple[int, str | None]] = {}
        self._fallback: dict[str, tuple[float, float]] = {}
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        controller.teamOpened.connect(self._on_team_opened)
        controller.teamChanged.connect(self._on_team_changed)
        controller.selectionChanged.connect(self._on_controller_selection)
        self.selectionChanged.connect(self._on_scene_selection)
        if controller.team is not None:
            self._on_team_opened(controller.team)

    @property
    def team(self):
        return self.controller.team

    # -- building -------------------------------------------------------------------------------
    def _on_team_opened(self, team) -> None:
        self._syncing_selection = True
        try:
            self.clear()  # deletes every item, the link line included
            self.cards.clear()
            self.edges.clear()
            self._fallback.clear()
            self._link_line = None
            self.linking = False
            self._problems = problems_by_agent(team)
            for name in team.names():
                self._add_card(name)
            self._sync_edges()
        finally:
            self._syncing_selection = False
        self.contentChanged.emit()

    def _add_card(self, name: str) -> CardItem:
        card = CardItem(card_data(self.team, name, self._problems))
        card.setPos(*self._position_of(name))
        self.addItem(card)
        self.cards[name] = card
        return card

    def _position_of(self, name: str) -> tuple[float, float]:
        pos = self.team.positions.get(name)
        if pos is not None:
            return float(pos[0]), float(pos[1])
        if name not in self._fallback:
            self._fallback[name] = self._free_spot()
        return self._fallback[name]

    def _free_spot(self) -> tuple[float, float]:
        """Somewhere visible and empty for an agent with no saved position: right of the content."""
        placed = [c for c in self.cards.values()]
        if not placed:
            return (0.0, 0.0)
        right = max(c.pos().x() for c in placed) + CARD_W + PLACE_GAP_X
        top = min(c.pos().y() for c in placed)
        taken = {(c.pos().x(), c.pos().y()) for c in placed}
        y = top
        while (right, y) in taken:
            y += CARD_H + PLACE_GAP_Y
        return (right, y)

    def _on_team_changed(self, change) -> None:
        team = self.team
        if team is None:
            return
        self._problems = problems_by_agent(team)
        self._syncing_selection = True
        try:
            names = team.names()
            structure = bool(getattr(change, "structure", True))
            if structure:
                current = set(names)
                for name in [n for n in self.cards if n not in current]:
                    card = self.cards.pop(name)
                    for edge in list(card.edges):
                        self._remove_edge(edge)
                    self.removeItem(card)
                    self._fallback.pop(name, None)
                for name in names:
                    if name not in self.cards:
                        self._add_card(name)
            # Card contents: cheap to recompute and compare, and problems on one agent can
            # change because of an edit to another (a one-sided relation), so check them all.
            for name, card in self.cards.items():
                card.set_data(card_data(team, name, self._problems))
            for name in getattr(change, "positions", ()) or ():
                card = self.cards.get(name)
                if card is not None:
                    x, y = self._position_of(name)
                    if card.pos() != QPointF(x, y):
                        card.setPos(x, y)
            if structure or getattr(change, "files", None):
                self._sync_edges()
            self._reselect()
        finally:
            self._syncing_selection = False
        if structure:
            gone = [n for n in self.controller.selection if n not in self.cards]
            if gone:
                self.controller.select([n for n in self.controller.selection if n in self.cards])
            self.contentChanged.emit()

    def _sync_edges(self) -> None:
        relations = {(r.kind, r.source, r.target): r for r in self.team.relations()}
        for key in [k for k in self.edges if k not in relations]:
            self._remove_edge(self.edges[key])
        for key, rel in relations.items():
            edge = self.edges.get(key)
            if edge is not None:
                if edge.relation != rel:
                    edge.set_relation(rel)
                continue
            src, dst = self.cards.get(rel.source), self.cards.get(rel.target)
            if src is None or dst is None:
                continue  # a reference to an agent that does not exist: the Problems panel says so
            edge = EdgeItem(rel, src, dst)
            self.addItem(edge)
            self.edges[key] = edge
            src.edges.append(edge)
            if dst is not src:
                dst.edges.append(edge)
        # A→B and B→A side by side rather than on top of each other.
        for (kind, s, t), edge in self.edges.items():
            offset = 0.0
            if kind == "handoff" and ("handoff", t, s) in self.edges:
                offset = 6.0
            if offset != edge.offset:
                edge.offset = offset
                edge.update_path()

    def _remove_edge(self, edge: EdgeItem) -> None:
        self.edges.pop(edge.key, None)
        for card in (edge.source, edge.target):
            if edge in card.edges:
                card.edges.remove(edge)
        self.removeItem(edge)

    def content_rect(self) -> QRectF:
        rect = QRectF()
        for card in self.cards.values():
            rect = rect.united(card.sceneBoundingRect())
        return rect

    def refresh_style(self) -> None:
        """Repaint everything after a palette change."""
        for card in self.cards.values():
            card._relayout()
            card.update()
        for edge in self.edges.values():
            edge.restyle()
        self.update()

    # -- selection ------------------------------------------------------------------------------
    def selected_names(self) -> list[str]:
        return [i.agent_name for i in self.selectedItems() if isinstance(i, CardItem)]

    def selected_edges(self) -> list[EdgeItem]:
        return [i for i in self.selectedItems() if isinstance(i, EdgeItem)]

    def _on_scene_selection(self) -> None:
        if self._syncing_selection:
            return
        selected = set(self.selected_names())
        old = [n for n in self.controller.selection if n in selected]
        new = sorted(selected.difference(old))
        self.controller.select(old + new)

    def _on_controller_selection(self, names: list[str]) -> None:
        if self._syncing_selection:
            return
        self._syncing_selection = True
        try:
            wanted = set(names)
            for item in self.selectedItems():
                if isinstance(item, CardItem) and item.agent_name not in wanted:
                    item.setSelected(False)
            for name in names:
                card = self.cards.get(name)
                if card is not None and not card.isSelected():
                    card.setSelected(True)
        finally:
            self._syncing_selection = False

    def _reselect(self) -> None:
        self._on_controller_selection_force(self.controller.selection)

    def _on_controller_selection_force(self, names: list[str]) -> None:
        wanted = set(names)
        for name, card in self.cards.items():
            want = name in wanted
            if card.isSelected() != want:
                card.setSelected(want)

    # -- hover: the agent and its neighbours stay, the rest fades -------------------------------
    def hover_card(self, card: CardItem | None) -> None:
        if self.interacting or self.linking:
            return
        if card is None:
            for c in self.cards.values():
                c.setOpacity(1.0)
            for e in self.edges.values():
                e.setOpacity(1.0)
            return
        name = card.agent_name
        keep = {name}
        touching = set()
        for edge in card.edges:
            keep.add(edge.relation.source)
            keep.add(edge.relation.target)
            touching.add(id(edge))
        for n, c in self.cards.items():
            c.setOpacity(1.0 if n in keep else DIM)
        for e in self.edges.values():
            e.setOpacity(1.0 if id(e) in touching else DIM * 0.6)

    # -- dragging cards: one MoveAgents per drag ------------------------------------------------
    def mousePressEvent(self, event) -> None:
        super().mousePressEvent(event)
        if self.linking:
            return
        grabber = self.mouseGrabberItem()
        if event.button() == Qt.MouseButton.LeftButton and isinstance(grabber, CardItem):
            self.hover_card(None)
            self.interacting = True
            self.snapping = True
            self._press_positions = {n: QPointF(c.pos()) for n, c in self.cards.items() if c.isSelected()}
            self._press_positions.setdefault(grabber.agent_name, QPointF(grabber.pos()))

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or not self._press_positions:
            return
        start, self._press_positions = self._press_positions, {}
        self.snapping = False
        self.interacting = False
        self.commit_moves(start)

    def commit_moves(self, start: dict[str, QPointF]) -> bool:
        """Turn the cards' new places into one MoveAgents operation (one undo step)."""
        moved = {}
        for name, was in start.items():
            card = self.cards.get(name)
            if card is not None and card.pos() != was:
                moved[name] = (float(card.pos().x()), float(card.pos().y()))
        if not moved:
            return False
        ok = self.controller.do(ops.MoveAgents(moved))
        if not ok:  # the model refused: put the cards back where the model has them
            for name in moved:
                card = self.cards.get(name)
                if card is not None:
                    card.setPos(*self._position_of(name))
        self.moved.emit()
        return ok

    # -- linking by dragging from a card's handle -----------------------------------------------
    def begin_link(self, card: CardItem, at: QPointF) -> None:
        self.hover_card(None)
        self.linking = True
        self._link_source = card
        self._link_target = None
        line = QGraphicsPathItem()
        pen = QPen(style().colors.handle, 2.0, Qt.PenStyle.DashLine)
        pen.setCapStyle(Qt.PenCapStyle.RoundCap)
        line.setPen(pen)
        line.setZValue(10)
        self.addItem(line)
        self._link_line = line
        self.update_link(at)

    def update_link(self, at: QPointF) -> None:
        if not self.linking or self._link_source is None or self._link_line is None:
            return
        start = self._link_source.pos() + self._link_source.handle_center()
        path = QPainterPath(start)
        reach = max(30.0, abs(at.x() - start.x()) * 0.5)
        path.cubicTo(start + QPointF(reach, 0), at - QPointF(reach, 0), at)
        self._link_line.setPath(path)
        target = self.card_at(at, exclude=self._link_source)
        if target is not self._link_target:
            if self._link_target is not None:
                self._link_target.set_drop_target(False)
            if target is not None:
                target.set_drop_target(True)
            self._link_target = target

    def finish_link(self, at: QPointF, modifiers) -> bool:
        source = self._link_source
        target = self.card_at(at, exclude=source)
        self.cancel_link()
        if source is None or target is None:
            return False
        kind = "parallel" if modifiers & Qt.KeyboardModifier.ShiftModifier else "handoff"
        return self.link(source.agent_name, target.agent_name, kind)

    def cancel_link(self) -> None:
        if self._link_target is not None:
            self._link_target.set_drop_target(False)
        if self._link_line is not None:
            self.removeItem(self._link_line)
        self._link_line = None
        self._link_source = None
        self._link_target = None
        self.linking = False

    def link(self, source: str, target: str, kind: str = "handoff") -> bool:
        if source == target:
            self.controller.error.emit("An agent cannot hand off to itself.")
            return False
        existing = self._find_relation(source, target, kind)
        if existing is not None and not existing.one_sided:
            what = "hands off to" if kind == "handoff" else "already works in parallel with"
            self.controller.error.emit(f"{source} {what} {target} already.")
            return False
        return self.controller.do(ops.Link(source, target, kind))

    def _find_relation(self, source: str, target: str, kind: str):
        if kind == "parallel":
            a, b = sorted((source, target))
            edge = self.edges.get(("parallel", a, b))
        else:
            edge = self.edges.get(("handoff", source, target))
        return edge.relation if edge is not None else None

    def card_at(self, at: QPointF, exclude: CardItem | None = None) -> CardItem | None:
        for item in self.items(at):
            if isinstance(item, CardItem) and item is not exclude:
                return item
        return None
