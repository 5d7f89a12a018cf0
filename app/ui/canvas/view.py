"""The canvas view: zoom, pan, keyboard nudges, context menus and export. What a menu asks for
(new agent, delete, duplicate, pin, link, auto-layout) goes to the canvas actions (app/ui/actions.py),
which turn it into operations; the view only says which agents and relations it is about.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QContextMenuEvent,
    QImage,
    QImageWriter,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsView, QInputDialog, QLabel, QMenu, QWidget

from app.model import operations as ops
from app.model.relations import RelationKey
from app.model.team import team_title
from app.ui.actions import CanvasActions, Point
from app.ui.canvas.card import CARD_H, CARD_W, CardItem, style
from app.ui.canvas.edge import Edge
from app.ui.canvas.keyboard import CanvasKeyboard
from app.ui.canvas.scene import CanvasScene
from app.ui.commands import Merge
from app.ui.controller import Controller

MIN_ZOOM = 0.01
MAX_ZOOM = 4.0
GRID_STEP = 24
EXPORT_MARGIN = 32.0
FIT_MARGIN = 24  # screen pixels around the team after zoom to fit
NUDGE: dict[int, tuple[int, int]] = {Qt.Key.Key_Left: (-1, 0), Qt.Key.Key_Right: (1, 0), Qt.Key.Key_Up: (0, -1), Qt.Key.Key_Down: (0, 1)}


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


class CanvasView(QGraphicsView):
    zoomChanged = Signal(float)

    def __init__(self, controller: Controller, actions: CanvasActions, parent: QWidget | None = None):
        self.controller = controller
        self.canvas_actions = actions
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

        self._opening: str | None = None  # the folder being read, said on the empty canvas
        self.empty_label = QLabel(self.viewport())
        self.empty_label.setObjectName("canvasEmptyState")
        self.empty_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty_label.setWordWrap(True)
        self.empty_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self._update_empty_state()

        self.canvas_scene.contentChanged.connect(self._update_empty_state)
        actions.layoutRunning.connect(self._layout_running)
        actions.layoutFinished.connect(self.zoom_to_fit)
        controller.teamOpened.connect(lambda _team: self._new_team())
        self.keyboard = CanvasKeyboard(self)  # arrows between cards, Enter, Shift+F10 (keyboard.py)

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

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        # The dotted grid is a quiet help up close and noise far out.
        if self.zoom() >= 0.5:
            painter.fillRect(rect, self.backgroundBrush())
        else:
            painter.fillRect(rect, style().colors.background)

    def show_opening(self, folder_name: str | None) -> None:
        """Say on the empty canvas which folder is being opened (None: that opening ended)."""
        self._opening = folder_name
        self._update_empty_state()

    def _update_empty_state(self) -> None:
        team = self.controller.team
        if team is None and self._opening:
            text = f"Opening {self._opening}…"
        elif team is None:
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

    def resizeEvent(self, event: QResizeEvent) -> None:
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

    def wheelEvent(self, event: QWheelEvent) -> None:
        delta = event.angleDelta().y() or event.pixelDelta().y()
        if not delta:
            return
        self.set_zoom(self.zoom() * (1.0015 ** delta), event.position())
        event.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
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
        moved: dict[str, Point | None] = {}
        for n in names:
            card = self.canvas_scene.cards[n]
            moved[n] = (card.pos().x() + dx * step, card.pos().y() + dy * step)
        self.controller.do(ops.MoveAgents(moved), Merge.NUDGE, tuple(sorted(names)))
        return True

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat():
            self._space = False
            self.viewport().unsetCursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event) -> None:
        self._space = False
        super().focusOutEvent(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
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

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None:
            delta = event.position() - self._pan_from
            self._pan_from = event.position()
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - int(delta.x()))
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - int(delta.y()))
            event.accept()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
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
    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
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
            menu.addAction("New agent here", lambda: self.canvas_actions.new_agent((at.x(), at.y())))
            menu.addSeparator()
            menu.addAction("Auto-layout", lambda: self.canvas_actions.auto_layout())
            menu.addAction("Zoom to fit", self.zoom_to_fit)
        menu.exec(event.globalPos())

    def _card_menu(self, menu: QMenu, card: CardItem) -> None:
        names = self.canvas_scene.selected_names() or [card.agent_name]
        pinned = self.controller.team.pinned if self.controller.team is not None else frozenset()
        one = len(names) == 1
        menu.addAction("Edit properties", lambda: self.controller.show_field(card.agent_name, "name"))
        menu.addSeparator()
        menu.addAction("Add hand-off to…", lambda: self.ask_link(card.agent_name, "handoff"))
        menu.addAction("Add parallel with…", lambda: self.ask_link(card.agent_name, "parallel"))
        menu.addSeparator()
        actions = self.canvas_actions
        menu.addAction("Duplicate" if one else f"Duplicate {len(names)} agents", lambda: actions.duplicate(names))
        all_pinned = all(n in pinned for n in names)
        menu.addAction("Unpin" if all_pinned else "Pin in place", lambda: actions.set_pinned(names, not all_pinned))
        menu.addSeparator()
        menu.addAction("Delete" if one else f"Delete {len(names)} agents",
                       lambda: self.canvas_actions.delete(*self.selection()))

    def _edge_menu(self, menu: QMenu, edge: Edge) -> None:
        r = edge.relation
        if r.one_sided:
            menu.addAction("Declare the missing side", lambda: self.canvas_actions.declare_missing_side(r.key))
        edges = self.canvas_scene.selected_edges() or [edge]
        menu.addAction("Delete link" if len(edges) == 1 else f"Delete {len(edges)} links",
                       lambda: self.canvas_actions.unlink([e.relation.key for e in edges]))

    # -- what the menus ask for ----------------------------------------------------------------
    def selection(self) -> tuple[list[str], list[RelationKey]]:
        """The selected agents and relations (what Delete acts on)."""
        scene = self.canvas_scene
        return scene.selected_names(), [e.relation.key for e in scene.selected_edges()]

    def visible_center(self) -> Point:
        at = self.mapToScene(self.viewport().rect().center())
        return (at.x(), at.y())

    def ask_link(self, source: str, kind: str) -> bool:
        others = self.canvas_actions.link_candidates(source)
        af = self.controller.team.agent(source) if self.controller.team is not None else None
        agent = (af.agent or af.sketch) if af is not None else None
        have = set(agent.coordination_list("hands_off_to" if kind == "handoff" else "parallel_with")) if agent else set()
        left = [n for n in others if n not in have]  # never offer (or preselect) an existing link
        if others and not left:
            self.controller.error.emit(f"{source} is already linked to every other agent.")
        others = left
        if not others:
            return False
        title = "Add hand-off" if kind == "handoff" else "Add parallel"
        prompt = f"{source} hands off to:" if kind == "handoff" else f"{source} works in parallel with:"
        target, ok = QInputDialog.getItem(self, title, prompt, others, 0, True)
        if not ok or not target:
            return False
        return self.canvas_actions.link(source, target, kind)

    def _new_team(self) -> None:
        self._update_empty_state()
        self.zoom_to_fit()

    def _layout_running(self, running: bool) -> None:
        if running:
            self.viewport().setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.viewport().unsetCursor()

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
        scene.apply_focus(names=[])  # an exported picture shows the whole team, nothing dimmed
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
            scene._syncing_selection = False
            scene.apply_focus()

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
        # QImageWriter, not QImage.save: PySide6 takes the format of save() as str at run time and
        # its type stubs say bytes; the writer takes bytes in both (and save() uses it anyway).
        return QImageWriter(path, b"PNG").write(image)

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

