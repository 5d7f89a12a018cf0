"""The peer for benchmarks/canvas.py: a conventional QGraphicsView node canvas.

Built the way most PySide node editors (NodeGraphQt-style) build one, with none of our canvas's
tricks: one QGraphicsItem per agent (rounded rect, colour stripe, name and description as child
QGraphicsTextItems, painted in Python), one QGraphicsPathItem per relation (cubic curve, arrow
head, painted in Python), antialiasing on, the default viewport update mode, no item caching,
and every card repositions its edges from itemChange when it moves.

It reads the team with the same Team.load and lays it out with the same layered_layout as the
app, so the difference measured is the canvas. `child()` runs in its own interpreter (started by
benchmarks/canvas.py) and returns the same figures as canvas.py's own child.
"""

from __future__ import annotations

import os
import statistics
import time
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QMouseEvent, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QApplication,
    QGraphicsItem,
    QGraphicsPathItem,
    QGraphicsScene,
    QGraphicsTextItem,
    QGraphicsView,
)

CARD_W, CARD_H = 240.0, 84.0


class EdgeItem(QGraphicsPathItem):
    def __init__(self, source: NodeItem, target: NodeItem, parallel: bool):
        super().__init__()
        self.source, self.target, self.parallel = source, target, parallel
        pen = QPen(QColor("#7a8190"), 1.5)
        if parallel:
            pen.setStyle(Qt.PenStyle.DashLine)
        self.setPen(pen)
        self.setZValue(-1)
        self.arrow = QPolygonF()
        self.update_path()

    def update_path(self) -> None:
        a = self.source.pos() + QPointF(CARD_W, CARD_H / 2)
        b = self.target.pos() + QPointF(0.0, CARD_H / 2)
        dx = max(40.0, abs(b.x() - a.x()) / 2)
        path = QPainterPath(a)
        path.cubicTo(a + QPointF(dx, 0.0), b - QPointF(dx, 0.0), b)
        self.setPath(path)
        if not self.parallel:
            self.arrow = QPolygonF([b, b + QPointF(-10.0, -5.0), b + QPointF(-10.0, 5.0)])

    def boundingRect(self) -> QRectF:
        return super().boundingRect().adjusted(-12, -12, 12, 12)

    def paint(self, painter: QPainter, option, widget=None) -> None:
        painter.setPen(self.pen())
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path())
        if not self.parallel:
            painter.setBrush(QBrush(self.pen().color()))
            painter.drawPolygon(self.arrow)


class NodeItem(QGraphicsItem):
    def __init__(self, name: str, description: str, color: str | None):
        super().__init__()
        self.edges: list[EdgeItem] = []
        self.stripe = QColor(color) if color and QColor.isValidColorName(color) else QColor("#8a93a6")
        self.setFlags(QGraphicsItem.GraphicsItemFlag.ItemIsMovable
                      | QGraphicsItem.GraphicsItemFlag.ItemIsSelectable
                      | QGraphicsItem.GraphicsItemFlag.ItemSendsGeometryChanges)
        title = QGraphicsTextItem(name, self)
        title.setDefaultTextColor(QColor("#f0f2f5"))
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        title.setPos(12, 4)
        text = QGraphicsTextItem(description, self)
        text.setDefaultTextColor(QColor("#b8bfcc"))
        text.setTextWidth(CARD_W - 20)
        text.setPos(12, 26)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemClipsChildrenToShape)

    def boundingRect(self) -> QRectF:
        return QRectF(-2, -2, CARD_W + 4, CARD_H + 4)

    def shape(self) -> QPainterPath:
        path = QPainterPath()
        path.addRoundedRect(QRectF(0, 0, CARD_W, CARD_H), 8, 8)
        return path

    def paint(self, painter: QPainter, option, widget=None) -> None:
        rect = QRectF(0, 0, CARD_W, CARD_H)
        painter.setPen(QPen(QColor("#f5b342") if self.isSelected() else QColor("#4a5060"), 1.5))
        painter.setBrush(QColor("#2b2f38"))
        painter.drawRoundedRect(rect, 8, 8)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self.stripe)
        painter.drawRoundedRect(QRectF(0, 0, 6, CARD_H), 3, 3)

    def itemChange(self, change, value):
        if change == QGraphicsItem.GraphicsItemChange.ItemPositionHasChanged:
            for edge in self.edges:
                edge.update_path()
        return super().itemChange(change, value)


def build_scene(team, positions) -> tuple[QGraphicsScene, dict[str, NodeItem], int]:
    scene = QGraphicsScene()
    nodes: dict[str, NodeItem] = {}
    for name in team.names():
        f = team.agent(name)
        agent = f.agent if f is not None else None
        node = NodeItem(name, (agent.description or "") if agent else "", agent.color if agent else None)
        x, y = positions.get(name, (0.0, 0.0))
        node.setPos(x, y)
        scene.addItem(node)
        nodes[name] = node
    edges = 0
    for rel in team.relations():
        a, b = nodes.get(rel.source), nodes.get(rel.target)
        if a is None or b is None or a is b:
            continue
        edge = EdgeItem(a, b, rel.kind == "parallel")
        a.edges.append(edge)
        b.edges.append(edge)
        scene.addItem(edge)
        edges += 1
    return scene, nodes, edges


def child(folder: Path, viewport: tuple[int, int], rss_mb, budget_s: float = 20.0) -> dict:
    """Every measurement for one team folder, mirroring canvas.py's child for our canvas.
    Each loop stops early once it has run `budget_s` seconds (reported as *_samples)."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from app.model.layout import layered_layout
    from app.model.team import Team

    app = QApplication.instance() or QApplication([])

    class PaintCounter(QObject):
        paints = 0

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                PaintCounter.paints += 1
            return False

    view = QGraphicsView()
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    view.setBackgroundBrush(QColor("#1e2027"))
    view.resize(*viewport)
    view.show()
    app.processEvents()
    vp = view.viewport()
    view.resize(view.width() + viewport[0] - vp.width(), view.height() + viewport[1] - vp.height())
    app.processEvents()
    counter = PaintCounter()
    vp.installEventFilter(counter)
    out: dict = {"viewport": [vp.width(), vp.height()]}
    state: dict = {}

    def open_to_first_frame(use_saved: bool) -> tuple[float, float]:
        old = view.scene()
        if old is not None:
            view.setScene(None)
            old.deleteLater()
            app.processEvents()
        PaintCounter.paints = 0
        t0, c0 = time.perf_counter(), time.process_time()
        team = Team.load(folder)
        positions = dict(team.positions) if use_saved else {}
        out["peer_used_saved_layout"] = bool(use_saved and len(positions) >= len(team.names()))
        if not out["peer_used_saved_layout"]:
            positions = layered_layout(team, {})
        scene, nodes, edges = build_scene(team, positions)
        view.setScene(scene)
        vp.repaint()
        while PaintCounter.paints == 0:
            app.processEvents()
        state.update(team=team, scene=scene, nodes=nodes)
        out["agents"], out["edges"] = len(nodes), edges
        return time.perf_counter() - t0, time.process_time() - c0

    out["first_frame_new_s"], out["first_frame_new_cpu_s"] = open_to_first_frame(False)
    out["first_frame_saved_s"], out["first_frame_saved_cpu_s"] = open_to_first_frame(True)
    out["rss_open_mb"] = rss_mb()
    nodes = state["nodes"]  # state keeps the scene alive

    def full_repaint_ms(n: int) -> tuple[float, float, int]:
        t0 = time.perf_counter()
        vp.repaint()
        cold = (time.perf_counter() - t0) * 1000
        times: list[float] = []
        start = time.perf_counter()
        while len(times) < n and (not times or time.perf_counter() - start < budget_s):
            t0 = time.perf_counter()
            vp.repaint()
            times.append((time.perf_counter() - t0) * 1000)
        return cold, statistics.median(times), len(times)

    # fit the cards, as our canvas does (the curves of wrap-around relations reach further out)
    cards = QRectF()
    for node in nodes.values():
        cards = cards.united(node.sceneBoundingRect())
    view.fitInView(cards, Qt.AspectRatioMode.KeepAspectRatio)
    out["fit_zoom"] = view.transform().m11()
    out["fit_repaint_cold_ms"], out["fit_repaint_ms"], out["fit_repaint_samples"] = full_repaint_ms(20)
    busiest = max(nodes.values(), key=lambda n: len(n.edges))
    out["drag_card_edges"] = len(busiest.edges)

    def drag_ms(steps: int = 60) -> tuple[list[float], list[float]]:
        centre = busiest.sceneBoundingRect().center()
        view.centerOn(centre)
        app.processEvents()
        start = QPointF(view.mapFromScene(busiest.pos() + QPointF(CARD_W - 3, CARD_H / 2)))
        left = Qt.MouseButton.LeftButton

        def send(kind, pos, button, buttons):
            ev = QMouseEvent(kind, pos, QPointF(vp.mapToGlobal(pos.toPoint())), button, buttons,
                             Qt.KeyboardModifier.NoModifier)
            QApplication.sendEvent(vp, ev)

        send(QEvent.Type.MouseButtonPress, start, left, left)
        app.processEvents()
        assert busiest.isSelected(), "the drag did not grab the card"
        times: list[float] = []
        cpu: list[float] = []
        began = time.perf_counter()
        for i in range(1, steps + 1):
            if times and time.perf_counter() - began > budget_s:
                break
            PaintCounter.paints = 0
            pos = start + QPointF(8.0 * i, 8.0 * (i % 2))
            t0, c0 = time.perf_counter(), time.process_time()
            send(QEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, left)
            while PaintCounter.paints == 0 and time.perf_counter() - t0 < 5.0:
                app.processEvents()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        send(QEvent.Type.MouseButtonRelease, pos, left, Qt.MouseButton.NoButton)
        app.processEvents()
        return times, cpu

    def summary(times: list[float]) -> tuple[float, float]:
        ordered = sorted(times)
        return statistics.median(ordered), ordered[max(0, int(len(ordered) * 0.95) - 1)]

    before = QPointF(busiest.pos())
    times, cpu = drag_ms()
    out["drag_fit_ms"], out["drag_fit_p95_ms"] = summary(times)
    out["drag_fit_cpu_ms"] = statistics.median(cpu)
    out["drag_fit_samples"] = len(times)
    out["drag_moved_px"] = busiest.pos().x() - before.x()
    view.resetTransform()
    view.centerOn(busiest.sceneBoundingRect().center())
    app.processEvents()
    out["one_repaint_cold_ms"], out["one_repaint_ms"], _ = full_repaint_ms(20)
    times, cpu = drag_ms()
    out["drag_ms"], out["drag_p95_ms"] = summary(times)
    out["drag_cpu_ms"] = statistics.median(cpu)
    out["drag_samples"] = len(times)
    out["rss_mb"] = rss_mb()
    view.close()
    return out
