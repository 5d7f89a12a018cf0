"""The canvas scene: a live view of the Controller's team. It owns no data.

`teamOpened` rebuilds it; `teamChanged` carries a change notice of facts (agents added, removed,
renamed, updated, moved; relations added, removed, changed), and each kind has its handler:
nothing is diffed. User gestures become operations through `controller.do`: one
`MoveAgents` per drag, one `Link` per link drag.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QPainterPath, QPen
from PySide6.QtWidgets import QGraphicsPathItem, QGraphicsScene, QGraphicsView, QToolTip

from app.model import operations as ops
from app.model.bulk import building_many_objects
from app.ui.canvas import dimming
from app.ui.canvas.agent_view import card_data, problems_by_agent
from app.ui.canvas.card import CARD_H, CARD_W, CardItem, style
from app.ui.canvas.edge import Edge, EdgeIndex, EdgeLayer, EdgeOverlay, assign_ports
from app.ui.canvas.focus import Focus

DIM = dimming.DIM
PLACE_GAP_X = 80.0
PLACE_GAP_Y = 32.0


# Relations are routed around cards (edge.py, Edge._route) in teams up to this size: there the
# picture is read relation by relation. A bigger team is read as an overview, and routing its
# thousands of long relations would cost seconds at open and tens of ms per drag step.
ROUTE_MAX_CARDS = 150


GRID_CELL = 512.0  # scene units per cell of the edge hit-test grid


class CanvasScene(QGraphicsScene):
    contentChanged = Signal()   # cards added or removed (the view refreshes its empty state)
    moved = Signal()            # a drag ended with a MoveAgents operation
    edgeSelectionChanged = Signal()

    def __init__(self, controller, parent=None):
        super().__init__(parent)
        self.controller = controller
        self.cards: dict[str, CardItem] = {}
        self._boxes: dict[str, tuple[float, float, float, float]] = {}  # name → card rectangle
        self.edges: dict[tuple[str, str, str], Edge] = {}
        self.edge_layer: EdgeLayer
        self.overlay: EdgeOverlay
        self.snapping = False
        self.linking = False
        self.routing = True  # relations go around cards (small teams; see ROUTE_MAX_CARDS)
        self.interacting = False  # a drag is under way: no hover dimming
        self._moving: set[tuple[str, str, str]] = set()  # relations drawn live during a drag
        self._hover_edge: Edge | None = None
        self._hover_card: CardItem | None = None
        self.focus = Focus()  # what the selection (or the hovered card) keeps at full strength
        self._static_dirty = False
        self._ports_dirty: set[str] = set()  # cards whose relations' attachment points are stale
        self.edge_index = EdgeIndex()
        self._index_timer = QTimer(self)
        self._index_timer.setInterval(0)
        self._index_timer.timeout.connect(self._warm_index)
        self._hover_at: tuple[QPointF, float] | None = None
        self._hover_timer = QTimer(self)
        self._hover_timer.setSingleShot(True)
        self._hover_timer.setInterval(0)
        self._hover_timer.timeout.connect(self._hover_check)
        self._link_source: CardItem | None = None
        self._link_line: QGraphicsPathItem | None = None
        self._link_target: CardItem | None = None
        self._press_positions: dict[str, QPointF] = {}
        self._syncing_selection = False
        self._problems: dict[str, tuple[int, str | None]] = {}
        self._fallback: dict[str, tuple[float, float]] = {}
        self.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.BspTreeIndex)
        self._add_layers()
        controller.teamOpened.connect(self._on_team_opened)
        controller.teamChanged.connect(self._on_team_changed)
        controller.selectionChanged.connect(self._on_controller_selection)
        self.selectionChanged.connect(self._on_scene_selection)
        if controller.team is not None:
            self._on_team_opened(controller.team)

    @property
    def team(self):
        return self.controller.team

    def _add_layers(self) -> None:
        self.edge_layer = EdgeLayer()
        self.overlay = EdgeOverlay()
        self.addItem(self.edge_layer)
        self.addItem(self.overlay)

    # -- building -------------------------------------------------------------------------------
    def _on_team_opened(self, team) -> None:
        # Building thousands of items allocates many small objects that all stay alive.
        with building_many_objects():
            self._build(team)
        self.contentChanged.emit()

    def _build(self, team) -> None:
        self._syncing_selection = True
        try:
            self.clear()  # deletes every item, the link line and the edge layers included
            self.cards.clear()
            self._boxes.clear()
            self.edges.clear()
            self._fallback.clear()
            self._moving.clear()
            self.edge_index.clear()
            self._hover_edge = None
            self._hover_card = None
            self.focus = Focus()
            self._link_line = None
            self.linking = False
            self.interacting = False
            self.snapping = False
            self._press_positions = {}
            self._add_layers()
            self._problems = problems_by_agent(team)
            for name in team.names():
                self._add_card(name)
            self.routing = len(self.cards) <= ROUTE_MAX_CARDS
            self._sync_edges()
            self._rebuild_edges()
        finally:
            self._syncing_selection = False

    def _add_card(self, name: str) -> CardItem:
        card = CardItem(card_data(self.team, name, self._problems, self.controller.overridden))
        x, y = self._position_of(name)
        card.setPos(x, y)
        self.addItem(card)
        self.cards[name] = card
        self._boxes[name] = (x, y, x + CARD_W, y + CARD_H)
        return card

    def card_moved(self, card: CardItem) -> None:
        """A card moved (CardItem.itemChange): its box, then its relations, follow."""
        p = card.pos()
        x, y = p.x(), p.y()
        self._boxes[card.agent_name] = (x, y, x + CARD_W, y + CARD_H)
        if not card.edges:
            return
        for e in card.edges:
            e.update_path()
            self.edge_index.changed(e)
        # Attachment points follow the order of the cards at the other ends: this card's and its
        # neighbours' change. Now during a drag (a few cards), else once the change is all in.
        near = {card.agent_name} | {n for e in card.edges for n in (e.relation.source, e.relation.target)}
        if self.interacting:
            self._ports_dirty |= near
            self._flush_ports()
        else:
            self._ports_dirty |= near
        if self.interacting and all(e.key in self._moving for e in card.edges):
            self.overlay.refresh()  # only the live layer changes while dragging
        else:
            self._static_dirty = True

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

    # -- following the model: one handler per kind of fact in the change notice ---------------
    def _on_team_changed(self, change) -> None:
        team = self.team
        if team is None:
            return
        self._syncing_selection = True
        try:
            for old, new in change.renamed:
                self._rename_card(old, new)
            for name in change.removed:
                self._remove_card(name)
            added = [name for name in sorted(change.added) if name not in self.cards]
            for name in added:
                self._add_card(name)
            # Cards to refresh: agents whose file changed, renamed or moved (the pin mark), and
            # those whose problems changed (an edit to one agent can make another's relation
            # one-sided). Typing in a field of a 5,000-agent team must not rebuild 5,000 cards.
            stale = set(change.updated) | {new for _, new in change.renamed} | set(change.moved)
            if change.problems:
                old_problems, self._problems = self._problems, problems_by_agent(team)
                stale.update(n for n in set(old_problems) | set(self._problems)
                             if old_problems.get(n) != self._problems.get(n))
            for name in stale:
                card = self.cards.get(name)
                if card is not None:
                    card.set_data(card_data(team, name, self._problems, self.controller.overridden))
            moved = [name for name in change.moved if name in self.cards]
            for name in moved:
                self._move_card(name)
            self._on_relations(change)
            was_routing = self.routing
            self.routing = len(self.cards) <= ROUTE_MAX_CARDS
            if self.routing != was_routing:  # crossed ROUTE_MAX_CARDS: every relation changes style
                self._reroute_near(list(self.cards), everything=True)
            elif self.routing and (moved or change.structure):
                # Relations that went around a removed card find their way again too (routed ones
                # are always redone).
                self._reroute_near(moved + added + [new for _, new in change.renamed])
            self._reselect()
        finally:
            self._syncing_selection = False
        if self.focus.active:
            self.apply_focus(full=True)
        self._rebuild_edges()
        if change.structure:
            gone = [n for n in self.controller.selection if n not in self.cards]
            if gone:
                renamed = dict(change.renamed)
                self.controller.select([renamed.get(n, n) for n in self.controller.selection
                                        if renamed.get(n, n) in self.cards])
            self.contentChanged.emit()

    def _rename_card(self, old: str, new: str) -> None:
        card = self.cards.pop(old, None)
        if card is None:
            return
        self.cards[new] = card
        self._boxes[new] = self._boxes.pop(old)
        if old in self._fallback:
            self._fallback[new] = self._fallback.pop(old)
        card.set_data(card_data(self.team, new, self._problems, self.controller.overridden))

    def _remove_card(self, name: str) -> None:
        card = self.cards.pop(name, None)
        if card is None:
            return
        self._boxes.pop(name, None)
        if self._hover_card is card:
            self._hover_card = None
        for edge in list(card.edges):
            self._remove_edge(edge)
        self.removeItem(card)
        self._fallback.pop(name, None)

    def _move_card(self, name: str) -> None:
        card = self.cards[name]
        x, y = self._position_of(name)
        if card.pos() != QPointF(x, y):
            card.setPos(x, y)

    def _on_relations(self, change) -> None:
        for key in change.relations_removed:
            edge = self.edges.get(key)
            if edge is not None:
                self._remove_edge(edge)
        team = self.team
        current = {r.key: r for r in team.relations()} if (change.relations_added or change.relations_changed) \
            else {}
        for key in change.relations_added:
            rel = current.get(key)
            if rel is not None and key not in self.edges:
                self._add_edge(rel)
        for key in change.relations_changed:
            edge, rel = self.edges.get(key), current.get(key)
            if edge is not None and rel is not None and edge.relation != rel:
                edge.relation = rel
                self._static_dirty = True
        self._ports_dirty.update(n for _, s, t in change.relations_added | change.relations_removed
                                 for n in (s, t))

    # -- relations ------------------------------------------------------------------------------
    def _sync_edges(self) -> None:
        """Every relation of the team as an edge (a team was opened)."""
        # Ports first, then each curve once (72,875 relations at 10,000 agents: 1 s saved).
        fresh = [e for rel in self.team.relations() if (e := self._add_edge(rel, path=False))]
        for card in self.cards.values():
            assign_ports(card)
        self._ports_dirty.clear()
        for e in fresh:
            e.update_path()
            self.edge_index.changed(e)

    def _add_edge(self, rel, path: bool = True) -> Edge | None:
        src, dst = self.cards.get(rel.source), self.cards.get(rel.target)
        if src is None or dst is None:
            return None  # a reference to an agent that does not exist: the Problems panel says so
        edge = Edge(rel, src, dst, path)
        if path:
            self.edge_index.changed(edge)
        self.edges[edge.key] = edge
        src.edges.append(edge)
        if dst is not src:
            dst.edges.append(edge)
        self._static_dirty = True
        return edge

    def _flush_ports(self) -> None:
        """Each relation its own attachment point on its cards' sides (edge.assign_ports)."""
        dirty, self._ports_dirty = self._ports_dirty, set()
        changed: dict[int, Edge] = {}
        for name in dirty:
            card = self.cards.get(name)
            if card is not None:
                for e in assign_ports(card):
                    changed[id(e)] = e
        for e in changed.values():
            e.update_path()
            self.edge_index.changed(e)
        if changed:
            if self.interacting and all(e.key in self._moving for e in changed.values()):
                self.overlay.refresh()
            else:
                self._static_dirty = True

    def card_rects(self, left: float, top: float, right: float, bottom: float,
                   skip=()) -> list[tuple[float, float, float, float]] | None:
        """(left, top, right, bottom) of every card that overlaps the rectangle, but `skip`
        (what a relation routes around; Edge._route asks). None when relations are not routed
        (a big team: see ROUTE_MAX_CARDS)."""
        if not self.routing or self.interacting:  # during a drag: plain curves, routed at the drop
            return None
        # A plain scan of at most ROUTE_MAX_CARDS boxes: the scene's BSP index would be rebuilt
        # for every question while cards are being added or dragged.
        return [box for name, box in self._boxes.items()
                if box[0] < right and left < box[2] and box[1] < bottom and top < box[3] and name not in skip]

    def _reroute_near(self, names: list[str], everything: bool = False) -> None:
        """Cards moved, came or went (a drop, undo, auto-layout, a new agent…): their relations,
        relations that now pass behind one of them, and every relation that went around
        something (what it went around may be gone) find their way again."""
        rects = [self._boxes[name] for name in names if name in self._boxes]
        own = {e.key for name in names if name in self.cards for e in self.cards[name].edges}
        for edge in self.edges.values():
            left, top, right, bottom = edge.bounds
            if everything or edge.routed or edge.key in own or any(
                    left < r and l < right and top < b and t < bottom for l, t, r, b in rects):
                before = edge.segments
                edge.update_path()
                if edge.segments != before:
                    self.edge_index.changed(edge)
                    self._static_dirty = True

    def _remove_edge(self, edge: Edge) -> None:
        self.edges.pop(edge.key, None)
        for card in (edge.source, edge.target):
            if edge in card.edges:
                card.edges.remove(edge)
        if self._hover_edge is edge:
            self._hover_edge = None
        self._moving.discard(edge.key)
        self.edge_index.removed(edge.key)
        self._static_dirty = True

    def _rebuild_edges(self) -> None:
        """Hand the resting relations to the cached layer and the live ones to the overlay."""
        if self._ports_dirty:
            self._flush_ports()
        if self.edge_index.pending and not self.interacting:
            self._index_timer.start()  # bring the hit-test index up to date when idle
        if self._static_dirty:
            self._static_dirty = False
            moving = self._moving
            self.edge_layer.set_edges([e for k, e in self.edges.items() if k not in moving])
        self._refresh_overlay()

    def _refresh_overlay(self) -> None:
        live: dict[int, Edge] = {}
        for key in self._moving:
            e = self.edges.get(key)
            if e is not None:
                live[id(e)] = e
        for key in self.focus.relations | self.focus.path:
            e = self.edges.get(key)
            if e is not None:
                live[id(e)] = e
        for e in self.edges.values():
            if e.selected:
                live[id(e)] = e
        if self._hover_edge is not None:
            live[id(self._hover_edge)] = self._hover_edge
        self.overlay.set_edges(list(live.values()))

    def edge_at(self, pos: QPointF, tolerance: float = 6.0) -> Edge | None:
        """The relation drawn nearest to `pos`, within `tolerance` scene units."""
        best, best_d = None, tolerance
        for key in self.edge_index.near(pos, tolerance):
            e = self.edges.get(key)
            if e is None:
                continue
            d = e.distance_to(pos, best_d)
            if d <= best_d:
                best, best_d = e, d
        return best

    def _warm_index(self) -> None:
        self.edge_index.sync(budget=1500)
        if not self.edge_index.pending or self.interacting:
            self._index_timer.stop()

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
        self._static_dirty = True
        self._rebuild_edges()
        self.edge_layer.update()
        self.update()

    # -- tooltips, computed when asked rather than stored on thousands of items -----------------
    def helpEvent(self, event) -> None:
        pos = event.scenePos()
        card = self.card_at(pos)
        text = card.tooltip() if card is not None else ""
        if card is None:
            edge = self.edge_at(pos, self._tolerance(event.widget()))
            text = edge.tooltip() if edge is not None else ""
        if text:
            QToolTip.showText(event.screenPos(), text, event.widget())
            event.accept()
        else:
            QToolTip.hideText()
            event.ignore()

    @staticmethod
    def _tolerance(widget) -> float:
        """6 screen pixels in scene units, whatever the zoom."""
        view = widget.parent() if widget is not None else None
        scale = view.transform().m11() if isinstance(view, QGraphicsView) else 1.0
        return 6.0 / max(scale, 0.05)

    # -- selection ------------------------------------------------------------------------------
    def selected_names(self) -> list[str]:
        return [i.agent_name for i in self.selectedItems() if isinstance(i, CardItem)]

    def selected_edges(self) -> list[Edge]:
        return [e for e in self.edges.values() if e.selected]

    def select_edges(self, edges: list[Edge], add: bool = False) -> None:
        """Select relations (the agents' selection is cleared unless `add`)."""
        if not add:
            for e in self.edges.values():
                e.selected = False
            if self.selected_names():
                self.clearSelection()
        for e in edges:
            e.selected = True
        self._refresh_overlay()
        self.edgeSelectionChanged.emit()

    def _clear_edge_selection(self) -> None:
        if any(e.selected for e in self.edges.values()):
            for e in self.edges.values():
                e.selected = False
            self._refresh_overlay()
            self.edgeSelectionChanged.emit()

    def _on_scene_selection(self) -> None:
        if self._syncing_selection:
            return
        selected = set(self.selected_names())
        if selected:
            self._clear_edge_selection()
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
        if names:
            self._clear_edge_selection()
        self.apply_focus()

    def _reselect(self) -> None:
        wanted = set(self.controller.selection)
        for name, card in self.cards.items():
            want = name in wanted
            if card.isSelected() != want:
                card.setSelected(want)

    # -- focus: the selection (else the hovered agent) and its neighbours stay, the rest fades --
    def hover_card(self, card: CardItem | None) -> None:
        if self.interacting or self.linking:
            return
        if card is self._hover_card:
            return
        self._hover_card = card
        self.apply_focus()

    def apply_focus(self, full: bool = False, names: list[str] | None = None) -> None:
        """Dim all but the focus: the selection (sticky), else the hovered agent; `names`
        overrides both (an export shows no focus). See dimming.apply."""
        if names is None:
            names = [n for n in self.controller.selection if n in self.cards]
            if not names and self._hover_card is not None and self._hover_card.agent_name in self.cards:
                names = [self._hover_card.agent_name]
        dimming.apply(self, names, full)

    def _set_hover_edge(self, edge: Edge | None) -> None:
        if edge is self._hover_edge:
            return
        if self._hover_edge is not None:
            self._hover_edge.hover = False
        self._hover_edge = edge
        if edge is not None:
            edge.hover = True
        self._refresh_overlay()

    # -- mouse: edges are hit-tested here; cards are items -------------------------------------
    def mouseMoveEvent(self, event) -> None:
        super().mouseMoveEvent(event)
        if event.buttons() != Qt.MouseButton.NoButton or self.linking or self.interacting:
            return
        # Coalesced: one hit-test per pass of the event loop, however many moves arrived.
        self._hover_at = (event.scenePos(), self._tolerance(event.widget()))
        if not self._hover_timer.isActive():
            self._hover_timer.start()

    def _hover_check(self) -> None:
        if self._hover_at is None or self.interacting or self.linking:
            return
        pos, tolerance = self._hover_at
        self._hover_at = None
        if self.card_at(pos) is not None:
            self._set_hover_edge(None)
            return
        self._set_hover_edge(self.edge_at(pos, tolerance))

    def mousePressEvent(self, event) -> None:
        pos = event.scenePos()
        if event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton) \
                and self.card_at(pos) is None and not self.linking:
            edge = self.edge_at(pos, self._tolerance(event.widget()))
            if edge is not None:
                add = bool(event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                                                | Qt.KeyboardModifier.ShiftModifier))
                if event.button() == Qt.MouseButton.RightButton and edge.selected:
                    add = True  # keep a multi-selection for the context menu
                self.select_edges([edge], add=add)
                event.accept()
                return
            if event.button() == Qt.MouseButton.LeftButton:
                self._clear_edge_selection()
        super().mousePressEvent(event)
        if self.linking:
            return
        grabber = self.mouseGrabberItem()
        if event.button() == Qt.MouseButton.LeftButton and isinstance(grabber, CardItem):
            self.hover_card(None)
            self._set_hover_edge(None)
            self.interacting = True
            self.snapping = True
            self._press_positions = {n: QPointF(c.pos()) for n, c in self.cards.items() if c.isSelected()}
            self._press_positions.setdefault(grabber.agent_name, QPointF(grabber.pos()))
            # The dragged cards' relations leave the cached layer for the live overlay, so each
            # step repaints a few curves instead of redrawing thousands.
            self._moving = {e.key for n in self._press_positions for e in self.cards[n].edges}
            self._static_dirty = True
            self._rebuild_edges()

    def mouseReleaseEvent(self, event) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or not self._press_positions:
            return
        start, self._press_positions = self._press_positions, {}
        self.snapping = False
        self.interacting = False
        self._moving = set()
        self._static_dirty = True
        self.commit_moves(start)
        self._rebuild_edges()

    def commit_moves(self, start: dict[str, QPointF]) -> bool:
        """Turn the cards' new places into one MoveAgents operation (one undo step)."""
        moved: dict[str, tuple[float, float] | None] = {}
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
