"""The canvas view: zoom, pan, context menus and the canvas commands (new, delete, duplicate,
link, pin, auto-layout, export). Every command that changes the team is one operation through
`controller.do`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QImage, QPainter, QPixmap, QTransform
from PySide6.QtWidgets import (
    QGraphicsView,
    QInputDialog,
    QLabel,
    QMenu,
    QMessageBox,
)

from app.model import operations as ops
from app.model.team import team_title
from app.ui.canvas.card import CARD_H, CARD_W, CardItem, style
from app.ui.canvas.edge import Edge
from app.ui.canvas.scene import CanvasScene
from app.ui.commands import Merge

if TYPE_CHECKING:
    from concurrent.futures import Future, ThreadPoolExecutor

MIN_ZOOM = 0.01
MAX_ZOOM = 4.0
GRID_STEP = 24
THREADED_LAYOUT_FROM = 300  # agents; smaller teams lay out faster than a thread hand-off
EXPORT_MARGIN = 32.0
FIT_MARGIN = 24  # screen pixels around the team after zoom to fit
NUDGE = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}


def _grid_brush() -> QBrush:
    c = style().colors
    tile = QPixmap(GRID_STEP, GRID_STEP)
    tile.fill(c.background)
    p = QPainter(tile)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(c.grid_dot)
    p.drawRect(0, 0, 2, 2)
    p.end()
    return QBrush(tile)


def free_name(existing, base: str = "new-agent") -> str:
    taken = set(existing)
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def layout_positions(team, keep):
    from app.model.layout import layered_layout

    return layered_layout(team, keep)


def pinned_positions(team) -> dict[str, tuple[float, float]]:
    return {n: tuple(team.positions[n]) for n in team.pinned if n in team.positions}


class CanvasView(QGraphicsView):
    zoomChanged = Signal(float)
    layoutFinished = Signal()
    _layoutReady = Signal(int, object)  # generation, Future (delivered on the GUI thread)

    def __init__(self, controller, parent=None):
        self.controller = controller
        self.canvas_scene = CanvasScene(controller)
        super().__init__(self.canvas_scene, parent)
        self.canvas_scene.setParent(self)
        self.setObjectName("canvas")
        self.setRenderHints(
            QPainter.RenderHint.Antialiasing
            | QPainter.RenderHint.TextAntialiasing
            | QPainter.RenderHint.SmoothPixmapTransform
        )
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setOptimizationFlag(QGraphicsView.OptimizationFlag.DontSavePainterState, True)
        self.setCacheMode(QGraphicsView.CacheModeFlag.CacheBackground)
        self.setDragMode(QGraphicsView.DragMode.RubberBandDrag)
        self.setRubberBandSelectionMode(Qt.ItemSelectionMode.IntersectsItemShape)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)  # set_zoom anchors itself
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.DefaultContextMenu)
        self.setSceneRect(QRectF(-200_000, -200_000, 400_000, 400_000))
        self.apply_theme()

        self._space = False
        self._pan_from: QPointF | None = None
        self._layout_generation = 0
        self._executor: ThreadPoolExecutor | None = None
        self.layout_running = False

        self.empty_label = QLabel(self.viewport())
        self.empty_label.setObjectName("canvasEmptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._update_empty_state()

        self.canvas_scene.contentChanged.connect(self._update_empty_state)
        self._layoutReady.connect(self._on_layout_ready)
        controller.teamOpened.connect(lambda _team: self._new_team())

    # -- look -----------------------------------------------------------------------------------
    def apply_theme(self) -> None:
        self.setBackgroundBrush(_grid_brush())
        self.resetCachedContent()
        if hasattr(self, "empty_label"):
            self._style_empty_label()

    def _style_empty_label(self) -> None:
        c = style().colors
        self.empty_label.setStyleSheet(
            f"QLabel#canvasEmptyState {{ color: {c.text_muted.name()}; font-size: 15px; padding: 24px; }}"
        )

    def drawBackground(self, painter: QPainter, rect: QRectF) -> None:
        # The dotted grid is a quiet help up close and noise far out.
        if self.zoom() >= 0.5:
            painter.fillRect(rect, self.backgroundBrush())
        else:
            painter.fillRect(rect, style().colors.background)

    def _update_empty_state(self) -> None:
        team = self.controller.team
        if team is None:
            text = "Open a team folder with Ctrl+O, or drop one here."
        elif not self.canvas_scene.cards:
            text = "No agents yet — press Ctrl+N to add the first one."
        else:
            text = ""
        self.empty_label.setText(text)
        self.empty_label.setVisible(bool(text))
        self._style_empty_label()
        self._place_empty_label()

    def _place_empty_label(self) -> None:
        self.empty_label.setGeometry(self.viewport().rect())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._place_empty_label()

    # -- zoom and pan ---------------------------------------------------------------------------
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom to `factor`, keeping the scene point under `anchor` (viewport pixels; default the
        centre) where it is on screen."""
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        current = self.zoom()
        if abs(factor - current) < 1e-9:
            return
        if anchor is None:
            anchor = QPointF(self.viewport().rect().center())
        fixed = self.mapToScene(anchor.toPoint())
        self.scale(factor / current, factor / current)
        drift = QPointF(self.mapFromScene(fixed)) - anchor
        h, v = self.horizontalScrollBar(), self.verticalScrollBar()
        h.setValue(h.value() + round(drift.x()))
        v.setValue(v.value() + round(drift.y()))
        self.zoomChanged.emit(self.zoom())

    def zoom_to_fit(self) -> None:
        rect = self.canvas_scene.content_rect()
        if rect.isEmpty():
            self.resetTransform()
            self.centerOn(0, 0)
            return
        # The margin is in screen pixels, so a big team is not pushed to a smaller zoom (and a
        # coarser level of detail) by a margin that only matters at 1:1.
        port = self.viewport().rect()
        scale = min((port.width() - 2 * FIT_MARGIN) / rect.width(), (port.height() - 2 * FIT_MARGIN) / rect.height())
        scale = max(MIN_ZOOM, min(1.0, scale))  # a small team is shown at 1:1, not blown up
        self.setTransform(QTransform.fromScale(scale, scale))
        self.centerOn(rect.center())
        self.zoomChanged.emit(self.zoom())

    def focus_agent(self, name: str) -> bool:
        card = self.canvas_scene.cards.get(name)
        if card is None:
            return False
        self.controller.select([name])
        if self.zoom() < 0.6:
            self.resetTransform()
            self.scale(0.8, 0.8)
        self.centerOn(card.center())
        return True

    def wheelEvent(self, event) -> None:
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if not delta:
            return
        self.set_zoom(self.zoom() * (1.0015 ** delta), event.position())
        event.accept()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = True
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            event.accept()
            return
        if event.key() == Qt.Key.Key_Escape:
            if self.canvas_scene.linking:
                self.canvas_scene.cancel_link()
            else:
                self.controller.select([])
                self.canvas_scene.select_edges([])
            return
        if event.key() in NUDGE and self.nudge(*NUDGE[event.key()],
                                               big=bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)):
            return
        super().keyPressEvent(event)

    def nudge(self, dx: int, dy: int, big: bool = False) -> bool:
        """Move the selected cards by one grid step (Shift: five). A burst of nudges of the same
        cards is one undo step."""
        team = self.controller.team
        names = self.canvas_scene.selected_names()
        if team is None or not names:
            return False
        step = 40.0 if big else 8.0
        moved = {}
        for n in names:
            card = self.canvas_scene.cards[n]
            moved[n] = (card.pos().x() + dx * step, card.pos().y() + dy * step)
        self.controller.do(ops.MoveAgents(moved), Merge.NUDGE, tuple(sorted(names)))
        return True

    def keyReleaseEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event) -> None:
        self._space = False
        super().focusOutEvent(event)

    def mousePressEvent(self, event) -> None:
        if event.button() == Qt.MouseButton.MiddleButton or (
            event.button() == Qt.MouseButton.LeftButton and self._space
        ):
            self._pan_from = event.position()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        if event.button() == Qt.MouseButton.LeftButton and isinstance(self.itemAt(event.position().toPoint()), CardItem):
            # Cards are cached pixmaps; only edges would pay for antialiasing while things move.
            self.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:
        if self._pan_from is not None and event.button() in (Qt.MouseButton.MiddleButton,
                                                             Qt.MouseButton.LeftButton):
            self._pan_from = None
            if self._space:
                self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
            else:
                self.viewport().unsetCursor()
            event.accept()
            return
        super().mouseReleaseEvent(event)
        if not self.renderHints() & QPainter.RenderHint.Antialiasing:
            self.setRenderHint(QPainter.RenderHint.Antialiasing, True)
            self.viewport().update()

    # -- context menus --------------------------------------------------------------------------
    def contextMenuEvent(self, event) -> None:
        if self.controller.team is None:
            return
        at_scene = self.mapToScene(event.pos())
        item = self.canvas_scene.card_at(at_scene)
        edge = None if item is not None else self.canvas_scene.edge_at(at_scene, 6.0 / max(self.zoom(), 0.05))
        menu = QMenu(self)
        if isinstance(item, CardItem):
            if not item.isSelected():
                self.controller.select([item.agent_name])
            self._card_menu(menu, item)
        elif edge is not None:
            if not edge.selected:
                self.canvas_scene.select_edges([edge])
            self._edge_menu(menu, edge)
        else:
            at = self.mapToScene(event.pos())
            menu.addAction("New agent here", lambda: self.new_agent(at))
            menu.addSeparator()
            menu.addAction("Auto-layout", self.auto_layout)
            menu.addAction("Zoom to fit", self.zoom_to_fit)
        menu.exec(event.globalPos())

    def _card_menu(self, menu: QMenu, card: CardItem) -> None:
        names = self.canvas_scene.selected_names() or [card.agent_name]
        team = self.controller.team
        one = len(names) == 1
        menu.addAction("Edit properties", lambda: self.controller.show_field(card.agent_name, "name"))
        menu.addSeparator()
        menu.addAction("Add hand-off to…", lambda: self.ask_link(card.agent_name, "handoff"))
        menu.addAction("Add parallel with…", lambda: self.ask_link(card.agent_name, "parallel"))
        menu.addSeparator()
        menu.addAction("Duplicate" if one else f"Duplicate {len(names)} agents", self.duplicate_selection)
        all_pinned = all(n in team.pinned for n in names)
        menu.addAction("Unpin" if all_pinned else "Pin in place", lambda: self.set_pinned(names, not all_pinned))
        menu.addSeparator()
        menu.addAction("Delete" if one else f"Delete {len(names)} agents", self.delete_selection)

    def _edge_menu(self, menu: QMenu, edge: Edge) -> None:
        r = edge.relation
        if r.one_sided:
            menu.addAction("Declare the missing side", lambda: self.declare_missing_side(edge))
        edges = self.canvas_scene.selected_edges() or [edge]
        menu.addAction("Delete link" if len(edges) == 1 else f"Delete {len(edges)} links",
                       lambda: self.unlink(edges))

    # -- commands -------------------------------------------------------------------------------
    def _do_all(self, label: str, operations: list) -> bool:
        if not operations:
            return False
        if len(operations) == 1:
            return self.controller.do(operations[0])
        return self.controller.do(ops.Batch(label, tuple(operations)))

    def new_agent(self, at: QPointF | None = None) -> str | None:
        team = self.controller.team
        if team is None:
            return None
        if at is None:
            at = self.mapToScene(self.viewport().rect().center())
        x = round((at.x() - CARD_W / 2) / 8) * 8.0
        y = round((at.y() - CARD_H / 2) / 8) * 8.0
        name = free_name(team.names())
        if not self.controller.do(ops.AddAgent(name, position=(x, y))):
            return None
        self.controller.show_field(name, "name")
        return name

    def delete_selection(self, confirm: bool = True) -> bool:
        edges = self.canvas_scene.selected_edges()
        names = self.canvas_scene.selected_names()
        if names:
            if confirm and len(names) > 1 and QGuiApplication.platformName() != "offscreen":
                answer = QMessageBox.question(
                    self, "Delete agents",
                    f"Delete {len(names)} agents? Their files are removed when you save, and every "
                    "reference to them goes too. You can undo this.",
                    QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                    QMessageBox.StandardButton.Cancel,
                )
                if answer != QMessageBox.StandardButton.Yes:
                    return False
            gone = set(names)
            unlinks = [self._unlink_op(e) for e in edges
                       if e.relation.source not in gone and e.relation.target not in gone]
            label = f"Delete {len(names)} agents" if len(names) > 1 else f"Delete {names[0]}"
            return self._do_all(label, unlinks + [ops.RemoveAgent(n) for n in names])
        if edges:
            return self.unlink(edges)
        return False

    @staticmethod
    def _unlink_op(edge: Edge):
        r = edge.relation
        return ops.Unlink(r.source, r.target, r.kind)

    def unlink(self, edges: list[Edge]) -> bool:
        label = "Delete link" if len(edges) == 1 else f"Delete {len(edges)} links"
        return self._do_all(label, [self._unlink_op(e) for e in edges])

    def declare_missing_side(self, edge: Edge) -> bool:
        r = edge.relation
        return self.controller.do(ops.Link(r.source, r.target, r.kind))

    def duplicate_selection(self) -> list[str]:
        team = self.controller.team
        names = self.canvas_scene.selected_names()
        if team is None or not names:
            return []
        before = set(team.names())
        label = f"Duplicate {names[0]}" if len(names) == 1 else f"Duplicate {len(names)} agents"
        if not self._do_all(label, [ops.DuplicateAgent(n) for n in names]):
            return []
        new = [n for n in team.names() if n not in before]
        self.controller.select(new)
        return new

    def set_pinned(self, names: list[str], pinned: bool) -> bool:
        return self.controller.do(ops.SetPinned(tuple(names), pinned))

    def ask_link(self, source: str, kind: str) -> bool:
        team = self.controller.team
        if team is None:
            return False
        others = [n for n in team.names() if n != source]
        if not others:
            self.controller.error.emit("There is no other agent to link to yet.")
            return False
        title = "Add hand-off" if kind == "handoff" else "Add parallel"
        prompt = f"{source} hands off to:" if kind == "handoff" else f"{source} works in parallel with:"
        target, ok = QInputDialog.getItem(self, title, prompt, others, 0, True)
        if not ok or not target:
            return False
        if target not in team.names():
            self.controller.error.emit(f"There is no agent called {target}.")
            return False
        return self.canvas_scene.link(source, target, kind)

    # -- auto-layout ----------------------------------------------------------------------------
    def _new_team(self) -> None:
        self._layout_generation += 1  # a layout still running for the previous team is dropped
        self.layout_running = False
        self._update_empty_state()
        self.zoom_to_fit()

    def auto_layout(self, threaded: bool | None = None) -> None:
        team = self.controller.team
        if team is None or self.layout_running:
            return
        keep = pinned_positions(team)
        if threaded is None:
            threaded = len(team.names()) > THREADED_LAYOUT_FROM
        self._layout_generation += 1
        generation = self._layout_generation
        if not threaded:
            self.apply_layout(layout_positions(team, keep))
            return
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor  # the first threaded layout

            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="layout")
        self.layout_running = True
        self.viewport().setCursor(Qt.CursorShape.BusyCursor)
        # A copy of the graph: the user may keep editing while the layout runs.
        future = self._executor.submit(layout_positions, team.graph.copy(), keep)
        # The callback runs on the worker thread; the signal queues the result to the GUI thread.
        future.add_done_callback(lambda f: self._layoutReady.emit(generation, f))

    def _on_layout_ready(self, generation: int, future: Future) -> None:
        if generation != self._layout_generation:
            return
        self.layout_running = False
        self.viewport().unsetCursor()
        try:
            positions = future.result()
        except Exception as exc:  # noqa: BLE001 - a layout bug must not take the editor down
            self.controller.error.emit(f"Auto-layout failed: {exc}")
            return
        self.apply_layout(positions)

    def apply_layout(self, positions: dict) -> bool:
        team = self.controller.team
        if team is None:
            return False
        names = set(team.names())
        moved = {
            n: (float(x), float(y))
            for n, (x, y) in positions.items()
            if n in names and n not in team.pinned and tuple(team.positions.get(n, ())) != (x, y)
        }
        ok = bool(moved) and self.controller.do(ops.Batch("Auto-layout", (ops.MoveAgents(moved),)))
        self.zoom_to_fit()
        self.layoutFinished.emit()
        return ok

    def shutdown(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    # -- export ---------------------------------------------------------------------------------
    def _export_rect(self) -> QRectF:
        rect = self.canvas_scene.content_rect()
        if rect.isEmpty():
            rect = QRectF(0, 0, CARD_W, CARD_H)
        return rect.adjusted(-EXPORT_MARGIN, -EXPORT_MARGIN, EXPORT_MARGIN, EXPORT_MARGIN)

    def _render_scene(self, painter: QPainter, target: QRectF, source: QRectF) -> None:
        scene = self.canvas_scene
        selected = scene.selectedItems()
        selected_edges = scene.selected_edges()
        scene.hover_card(None)
        scene._set_hover_edge(None)
        scene._syncing_selection = True
        # Painted afresh, not from the on-screen pixmap caches: vector text in SVG, sharp PNG.
        cached = [*scene.cards.values(), scene.edge_layer]
        for item in cached:
            item.setCacheMode(CardItem.CacheMode.NoCache)
        try:
            for item in selected:
                item.setSelected(False)
            for e in selected_edges:
                e.selected = False
            scene._refresh_overlay()
            painter.fillRect(target, style().colors.background)
            scene.render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
        finally:
            for item in cached:
                item.setCacheMode(CardItem.CacheMode.DeviceCoordinateCache)
            for item in selected:
                item.setSelected(True)
            for e in selected_edges:
                e.selected = True
            scene._refresh_overlay()
            scene._syncing_selection = False

    def export_png(self, path: str, scale: float = 2.0) -> bool:
        source = self._export_rect()
        # Keep huge teams inside what an image viewer can open.
        scale = min(scale, 16000.0 / max(source.width(), source.height()))
        size = QSize(max(1, int(source.width() * scale)), max(1, int(source.height() * scale)))
        image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor(style().colors.background))
        painter = QPainter(image)
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing
                               | QPainter.RenderHint.SmoothPixmapTransform)
        self._render_scene(painter, QRectF(0, 0, size.width(), size.height()), source)
        painter.end()
        return image.save(path, "PNG")

    def export_svg(self, path: str) -> bool:
        from PySide6.QtSvg import QSvgGenerator

        source = self._export_rect()
        generator = QSvgGenerator()
        generator.setFileName(path)
        generator.setSize(QSize(int(source.width()), int(source.height())))
        generator.setViewBox(QRectF(0, 0, source.width(), source.height()))
        team = self.controller.team
        generator.setTitle(team_title(team.root) if team is not None else "Agent Canvas")
        generator.setDescription("Exported from Agent Canvas")
        painter = QPainter()
        if not painter.begin(generator):
            return False
        painter.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self._render_scene(painter, QRectF(0, 0, source.width(), source.height()), source)
        painter.end()
        return True

