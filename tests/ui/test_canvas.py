"""The canvas, driven through real mouse and key events; every assertion is on the model or files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QPointF, QSettings, Qt
from PySide6.QtGui import QImage, QMouseEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QGraphicsView

from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.model import operations as ops
from app.ui.canvas.card import CARD_H, CARD_W, CardItem
from app.ui.main_window import MainWindow

AGENT = """---
name: {name}
description: {description}
tools: Read, Grep
model: sonnet
color: {color}
coordination:
  hands_off_to: [{handoffs}]
  receives_from: [{receives}]
  parallel_with: [{parallel}]
---

You are {name}.
"""


def write_team(folder: Path, spec: dict[str, dict]) -> Path:
    """Agents from {name: {"to": [...], "par": [...]}}; receives_from mirrors hands_off_to."""
    folder.mkdir(parents=True, exist_ok=True)
    colors = ["blue", "green", "red", "purple", "cyan", "orange"]
    for i, (name, rel) in enumerate(spec.items()):
        receives = [other for other, r in spec.items() if name in r.get("to", [])]
        text = AGENT.format(
            name=name, description=f"The {name} of the team.", color=colors[i % len(colors)],
            handoffs=", ".join(rel.get("to", [])), receives=", ".join(receives),
            parallel=", ".join(rel.get("par", [])),
        )
        (folder / f"{name}.md").write_text(text, encoding="utf-8")
    return folder


SMALL = {
    "planner": {"to": ["builder", "writer"]},
    "builder": {"to": ["reviewer"], "par": ["writer"]},
    "writer": {"to": ["reviewer"], "par": ["builder"]},
    "reviewer": {},
    "loner": {},
}


def frontmatter(path: Path) -> dict:
    doc = parse_document(path.read_text(encoding="utf-8"))
    return read_frontmatter(doc.frontmatter, doc.frontmatter_line).data


def coord(path: Path, key: str) -> list[str]:
    return list((frontmatter(path).get("coordination") or {}).get(key) or [])


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Never touch the real user's settings or journal."""
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))


@pytest.fixture
def team_dir(tmp_path):
    return write_team(tmp_path / "team", SMALL)


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    w.ask_before_discarding = False
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def opened(window, team_dir):
    assert window.open_team(team_dir)
    window.canvas.resetTransform()  # 1:1 keeps the arithmetic of drags simple
    window.canvas.centerOn(window.canvas.canvas_scene.content_rect().center())
    QApplication.processEvents()
    return window


# -- helpers: real mouse events on the viewport -------------------------------------------------

def _send(view: QGraphicsView, kind, scene_pos: QPointF, button, buttons, modifiers=Qt.KeyboardModifier.NoModifier):
    vp = view.viewport()
    local = QPointF(view.mapFromScene(scene_pos))
    glob = QPointF(vp.mapToGlobal(local.toPoint()))
    event = QMouseEvent(kind, local, glob, button, buttons, modifiers)
    QApplication.sendEvent(vp, event)


def drag(view, start: QPointF, end: QPointF, modifiers=Qt.KeyboardModifier.NoModifier, steps: int = 6):
    left = Qt.MouseButton.LeftButton
    _send(view, QEvent.Type.MouseButtonPress, start, left, left, modifiers)
    for i in range(1, steps + 1):
        p = start + (end - start) * (i / steps)
        _send(view, QEvent.Type.MouseMove, p, Qt.MouseButton.NoButton, left, modifiers)
    _send(view, QEvent.Type.MouseButtonRelease, end, left, Qt.MouseButton.NoButton, modifiers)
    QApplication.processEvents()


def click(view, at: QPointF, modifiers=Qt.KeyboardModifier.NoModifier):
    left = Qt.MouseButton.LeftButton
    _send(view, QEvent.Type.MouseButtonPress, at, left, left, modifiers)
    _send(view, QEvent.Type.MouseButtonRelease, at, left, Qt.MouseButton.NoButton, modifiers)
    QApplication.processEvents()


def card_center(window, name) -> QPointF:
    return window.canvas.canvas_scene.cards[name].center()


def handle_of(window, name) -> QPointF:
    card = window.canvas.canvas_scene.cards[name]
    return card.pos() + card.handle_center()


def show_in_view(window, *names):
    scene = window.canvas.canvas_scene
    rect = scene.cards[names[0]].sceneBoundingRect()
    for n in names[1:]:
        rect = rect.united(scene.cards[n].sceneBoundingRect())
    window.canvas.resetTransform()
    window.canvas.centerOn(rect.center())
    QApplication.processEvents()


# -- tests ---------------------------------------------------------------------------------------

def test_one_card_per_agent_and_each_relation_drawn_once(opened):
    scene = opened.canvas.canvas_scene
    team = opened.team
    cards = [i for i in scene.items() if isinstance(i, CardItem)]
    assert sorted(c.agent_name for c in cards) == sorted(team.names()) == sorted(SMALL)
    edges = list(scene.edges.values())
    keys = sorted((e.relation.kind, e.relation.source, e.relation.target) for e in edges)
    # every relation is painted, by the cached layer
    assert sorted(e.key for e in scene.edge_layer.edges) == keys
    # builder/writer declare their parallel link on both sides: still one edge
    assert keys == sorted([
        ("handoff", "planner", "builder"), ("handoff", "planner", "writer"),
        ("handoff", "builder", "reviewer"), ("handoff", "writer", "reviewer"),
        ("parallel", "builder", "writer"),
    ])
    assert all(not e.relation.one_sided for e in edges)


def test_first_open_lays_out_every_agent_without_overlap(opened):
    team = opened.team
    assert set(team.positions) == set(SMALL)
    rects = [(x, y) for x, y in team.positions.values()]
    for i, (x1, y1) in enumerate(rects):
        for x2, y2 in rects[i + 1:]:
            assert abs(x1 - x2) >= CARD_W or abs(y1 - y2) >= CARD_H
    # the cards sit where the model says
    for name, card in opened.canvas.canvas_scene.cards.items():
        assert (card.pos().x(), card.pos().y()) == team.positions[name]
    # opening is not an undoable step
    assert opened.controller.undo_stack.count() == 0


def test_drag_moves_one_undo_step_and_saves_the_sidecar(opened, team_dir):
    team = opened.team
    view = opened.canvas
    show_in_view(opened, "reviewer")
    before = team.positions["reviewer"]
    start = card_center(opened, "reviewer")
    drag(view, start, start + QPointF(83, 45))
    after = team.positions["reviewer"]
    # snapped to the 8 px grid, moved by about the drag distance
    assert after != before
    assert after[0] % 8 == 0 and after[1] % 8 == 0
    assert abs(after[0] - before[0] - 83) <= 8 and abs(after[1] - before[1] - 45) <= 8
    assert opened.controller.undo_stack.count() == 1
    assert opened.save_all()
    saved = json.loads((team_dir / ".agent-canvas.json").read_text())
    assert (saved["agents"]["reviewer"]["x"], saved["agents"]["reviewer"]["y"]) == after
    opened.controller.undo_stack.undo()
    assert team.positions["reviewer"] == before
    assert opened.canvas.canvas_scene.cards["reviewer"].pos() == QPointF(*before)
    assert opened.save_all()
    saved = json.loads((team_dir / ".agent-canvas.json").read_text())
    assert (saved["agents"]["reviewer"]["x"], saved["agents"]["reviewer"]["y"]) == before


def test_multi_selection_moves_together_as_one_step(opened):
    team = opened.team
    show_in_view(opened, "builder", "writer")
    opened.controller.select(["builder", "writer"])
    b0, w0 = team.positions["builder"], team.positions["writer"]
    start = card_center(opened, "builder")
    drag(opened.canvas, start, start + QPointF(-40, 24))
    b1, w1 = team.positions["builder"], team.positions["writer"]
    assert b1 != b0
    assert (b1[0] - b0[0], b1[1] - b0[1]) == (w1[0] - w0[0], w1[1] - w0[1])
    assert opened.controller.undo_stack.count() == 1
    opened.controller.undo_stack.undo()
    assert (team.positions["builder"], team.positions["writer"]) == (b0, w0)


def test_a_click_without_moving_is_no_undo_step(opened):
    show_in_view(opened, "planner")
    click(opened.canvas, card_center(opened, "planner"))
    assert opened.controller.selection == ["planner"]
    assert opened.controller.undo_stack.count() == 0


def test_link_by_dragging_the_handle_declares_both_sides(opened, team_dir):
    show_in_view(opened, "loner", "reviewer")
    drag(opened.canvas, handle_of(opened, "reviewer"), card_center(opened, "loner"))
    assert opened.controller.undo_stack.count() == 1
    assert opened.save_all()
    assert coord(team_dir / "reviewer.md", "hands_off_to") == ["loner"]
    assert coord(team_dir / "loner.md", "receives_from") == ["reviewer"]
    assert ("handoff", "reviewer", "loner") in opened.canvas.canvas_scene.edges


def test_link_with_shift_is_parallel_on_both_sides(opened, team_dir):
    show_in_view(opened, "loner", "reviewer")
    drag(opened.canvas, handle_of(opened, "reviewer"), card_center(opened, "loner"),
         modifiers=Qt.KeyboardModifier.ShiftModifier)
    assert opened.save_all()
    assert coord(team_dir / "reviewer.md", "parallel_with") == ["loner"]
    assert coord(team_dir / "loner.md", "parallel_with") == ["reviewer"]
    assert coord(team_dir / "reviewer.md", "hands_off_to") == []


def test_link_dropped_on_empty_canvas_changes_nothing(opened, team_dir):
    show_in_view(opened, "reviewer")
    h = handle_of(opened, "reviewer")
    drag(opened.canvas, h, h + QPointF(60, -200))
    assert opened.controller.undo_stack.count() == 0
    assert not any(f.dirty for f in opened.team.files.values())
    assert opened.canvas.canvas_scene.linking is False


def _focus_canvas(window, qtbot):
    window.activateWindow()
    window.canvas.setFocus()
    qtbot.waitUntil(lambda: window.canvas.hasFocus())


def test_delete_key_on_a_selected_edge_unlinks_both_sides(opened, team_dir, qtbot):
    scene = opened.canvas.canvas_scene
    edge = scene.edges[("handoff", "planner", "writer")]
    opened.controller.select([])
    show_in_view(opened, "planner", "writer")
    # click on the curve itself, halfway along
    click(opened.canvas, edge.path.pointAtPercent(0.5))
    assert scene.selected_edges() == [edge]
    assert edge in scene.overlay.edges  # drawn highlighted
    _focus_canvas(opened, qtbot)
    QTest.keyClick(opened.canvas, Qt.Key.Key_Delete)
    assert ("handoff", "planner", "writer") not in scene.edges
    assert opened.save_all()
    assert coord(team_dir / "planner.md", "hands_off_to") == ["builder"]
    assert coord(team_dir / "writer.md", "receives_from") == []
    assert set(opened.team.names()) == set(SMALL)  # no agent went with it


def test_delete_key_removes_the_selected_agent_and_its_references(opened, team_dir, qtbot):
    opened.controller.select(["reviewer"])
    _focus_canvas(opened, qtbot)
    QTest.keyClick(opened.canvas, Qt.Key.Key_Delete)
    assert "reviewer" not in opened.team.names()
    assert "reviewer" not in opened.canvas.canvas_scene.cards
    assert not any("reviewer" in key for key in opened.canvas.canvas_scene.edges)
    assert opened.save_all()
    assert not (team_dir / "reviewer.md").exists()
    assert coord(team_dir / "builder.md", "hands_off_to") == []
    opened.controller.undo_stack.undo()
    assert "reviewer" in opened.canvas.canvas_scene.cards
    assert ("handoff", "builder", "reviewer") in opened.canvas.canvas_scene.edges


def test_canvas_shortcuts_do_nothing_while_a_text_field_has_focus(opened, qtbot):
    opened.controller.select(["reviewer"])
    opened.canvas.set_zoom(2.0)
    opened.activateWindow()
    opened.find_field.setFocus()
    qtbot.waitUntil(lambda: opened.find_field.hasFocus())
    QTest.keyClick(opened.find_field, Qt.Key.Key_F)
    QTest.keyClick(opened.find_field, Qt.Key.Key_Delete)
    QTest.keyClick(opened.find_field, Qt.Key.Key_Backspace)
    assert opened.canvas.zoom() == pytest.approx(2.0)
    assert "reviewer" in opened.team.names()
    assert opened.controller.undo_stack.count() == 0
    # the same key on the canvas does zoom to fit
    _focus_canvas(opened, qtbot)
    QTest.keyClick(opened.canvas, Qt.Key.Key_F)
    assert opened.canvas.zoom() <= 1.0


def test_scene_follows_model_changes_incrementally(opened):
    scene = opened.canvas.canvas_scene
    planner_card = scene.cards["planner"]
    c = opened.controller
    assert c.do(ops.SetField("builder", "color", "red"))
    assert scene.cards["builder"].data_.color == "red"
    assert c.do(ops.AddAgent("newcomer", position=(800.0, 800.0)))
    assert scene.cards["newcomer"].pos() == QPointF(800, 800)
    assert c.do(ops.Link("newcomer", "planner"))
    assert ("handoff", "newcomer", "planner") in scene.edges
    assert c.do(ops.RemoveAgent("writer"))
    assert "writer" not in scene.cards
    assert ("parallel", "builder", "writer") not in scene.edges
    assert scene.cards["planner"] is planner_card  # untouched cards are kept, not rebuilt
    for _ in range(4):
        c.undo_stack.undo()
    assert sorted(scene.cards) == sorted(SMALL)
    assert scene.cards["builder"].data_.color == "green"
    assert len(scene.edges) == 5


def test_selection_goes_both_ways(opened):
    scene = opened.canvas.canvas_scene
    opened.controller.select(["builder", "planner"])
    assert sorted(scene.selected_names()) == ["builder", "planner"]
    scene.clearSelection()
    assert opened.controller.selection == []
    scene.cards["loner"].setSelected(True)
    assert opened.controller.selection == ["loner"]
    assert opened.controller.undo_stack.count() == 0


def test_one_sided_relation_is_flagged_and_can_be_completed(window, tmp_path):
    folder = write_team(tmp_path / "t", {"a": {"to": ["b"]}, "b": {}})
    # b forgets to list a in receives_from
    text = (folder / "b.md").read_text().replace("receives_from: [a]", "receives_from: []")
    (folder / "b.md").write_text(text)
    assert window.open_team(folder)
    edge = window.canvas.canvas_scene.edges[("handoff", "a", "b")]
    assert edge.relation.one_sided
    from app.ui.canvas.card import style
    from app.ui.canvas.edge import make_pen
    # Told apart by its pattern (dash-dot), in the plain relation colour: no agent colour like it.
    pen = edge.pen()
    assert pen.color() == style().colors.edge
    assert pen.dashPattern() not in (make_pen(pen.color(), 1.0, "parallel").dashPattern(),
                                     make_pen(pen.color(), 1.0, "handoff").dashPattern())
    assert window.canvas_actions.declare_missing_side(edge.relation.key)
    assert window.save_all()
    assert coord(folder / "b.md", "receives_from") == ["a"]
    edge = window.canvas.canvas_scene.edges[("handoff", "a", "b")]
    assert not edge.relation.one_sided


def test_auto_layout_is_one_undo_step_and_keeps_pinned(opened):
    c = opened.controller
    team = opened.team
    assert c.do(ops.MoveAgents({"planner": (4000.0, 4000.0), "builder": (-800.0, 96.0)}))
    assert c.do(ops.SetPinned(("builder",), True))
    pinned_at = team.positions["builder"]
    count = c.undo_stack.count()
    before = dict(team.positions)
    opened.canvas_actions.auto_layout(threaded=False)
    assert c.undo_stack.count() == count + 1
    assert team.positions["builder"] == pinned_at
    assert team.positions["planner"] != (4000.0, 4000.0)
    c.undo_stack.undo()
    assert team.positions == before


def test_auto_layout_off_the_gui_thread(opened, qtbot):
    c = opened.controller
    assert c.do(ops.MoveAgents({"planner": (4000.0, 4000.0)}))
    count = c.undo_stack.count()
    with qtbot.waitSignal(opened.canvas_actions.layoutFinished, timeout=10000):
        opened.canvas_actions.auto_layout(threaded=True)
    assert c.undo_stack.count() == count + 1
    assert team_positions_distinct(opened.team)


def team_positions_distinct(team) -> bool:
    return len(set(team.positions.values())) == len(team.positions)


def test_empty_folder_says_how_to_add_the_first_agent(window, tmp_path):
    folder = tmp_path / "empty"
    folder.mkdir()
    assert window.open_team(folder)
    label = window.canvas.empty_label
    assert label.isVisible() and "Ctrl+N" in label.text()
    name = window.new_agent()
    assert name == "new-agent"
    assert not label.isVisible()
    assert window.save_all()
    assert frontmatter(folder / "new-agent.md")["name"] == "new-agent"


def test_duplicate_and_pin_through_the_canvas(opened):
    opened.controller.select(["loner"])
    new = opened.duplicate_selection()
    assert new == ["loner-copy"]
    assert "loner-copy" in opened.canvas.canvas_scene.cards
    assert opened.controller.selection == ["loner-copy"]
    assert opened.canvas_actions.set_pinned(["loner"], True)
    assert "loner" in opened.team.pinned
    assert opened.canvas.canvas_scene.cards["loner"].data_.pinned


def test_export_png_and_svg(opened, tmp_path):
    png, svg = tmp_path / "team.png", tmp_path / "team.svg"
    assert opened.canvas.export_png(str(png))
    image = QImage(str(png))
    rect = opened.canvas.canvas_scene.content_rect()
    assert image.width() >= rect.width() and image.height() >= rect.height()
    assert opened.canvas.export_svg(str(svg))
    text = svg.read_text(encoding="utf-8")
    assert "<svg" in text and "reviewer" in text and "planner" in text


def test_alt_arrow_keys_nudge_the_selection_as_one_undo_step(opened, qtbot):
    team = opened.team
    opened.controller.select(["planner", "loner"])
    p0, l0 = team.positions["planner"], team.positions["loner"]
    _focus_canvas(opened, qtbot)
    for _ in range(3):
        QTest.keyClick(opened.canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    QTest.keyClick(opened.canvas, Qt.Key.Key_Down,
                   Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.AltModifier)
    assert team.positions["planner"] == (p0[0] + 24, p0[1] + 40)
    assert team.positions["loner"] == (l0[0] + 24, l0[1] + 40)
    assert opened.controller.undo_stack.count() == 1
    opened.controller.undo_stack.undo()
    assert (team.positions["planner"], team.positions["loner"]) == (p0, l0)


def test_hovering_a_card_dims_all_but_its_neighbours(opened):
    scene = opened.canvas.canvas_scene
    scene.hover_card(scene.cards["builder"])
    lit = {n for n, c in scene.cards.items() if c.opacity() == 1.0}
    assert lit == {"builder", "planner", "reviewer", "writer"}
    assert scene.edge_layer.opacity() < 1.0
    assert {e.key for e in scene.overlay.edges} == {e.key for e in scene.cards["builder"].edges}
    scene.hover_card(None)
    assert all(c.opacity() == 1.0 for c in scene.cards.values())
    assert scene.overlay.edges == [] and scene.edge_layer.opacity() == 1.0


def test_the_outer_half_of_the_handle_starts_a_link_not_an_edge_selection(opened, team_dir):
    # planner's hand-offs leave from exactly where its handle is: the handle must win
    show_in_view(opened, "planner", "loner")
    drag(opened.canvas, handle_of(opened, "planner") + QPointF(5, 0), card_center(opened, "loner"))
    assert opened.canvas.canvas_scene.selected_edges() == []
    assert opened.save_all()
    assert coord(team_dir / "planner.md", "hands_off_to") == ["builder", "writer", "loner"]


def test_wheel_zooms_around_the_cursor_and_middle_button_pans(opened):
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QWheelEvent

    view = opened.canvas
    vp = view.viewport()
    at = QPoint(300, 200)
    under = view.mapToScene(at)
    event = QWheelEvent(QPointF(at), QPointF(vp.mapToGlobal(at)), QPoint(0, 0), QPoint(0, 240),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase,
                        False)
    QApplication.sendEvent(vp, event)
    assert view.zoom() > 1.3
    after = view.mapToScene(at)
    assert abs(after.x() - under.x()) < 2 and abs(after.y() - under.y()) < 2
    # pan with the middle button: the scene moves with the mouse
    middle = Qt.MouseButton.MiddleButton
    start = view.mapToScene(QPoint(400, 300))
    for kind, pos, button, buttons in (
        (QEvent.Type.MouseButtonPress, QPointF(400, 300), middle, middle),
        (QEvent.Type.MouseMove, QPointF(300, 250), Qt.MouseButton.NoButton, middle),
        (QEvent.Type.MouseButtonRelease, QPointF(300, 250), middle, Qt.MouseButton.NoButton),
    ):
        QApplication.sendEvent(vp, QMouseEvent(kind, pos, QPointF(vp.mapToGlobal(pos.toPoint())), button,
                                               buttons, Qt.KeyboardModifier.NoModifier))
    moved = view.mapToScene(QPoint(300, 250))
    assert abs(moved.x() - start.x()) < 2 and abs(moved.y() - start.y()) < 2
    assert opened.controller.undo_stack.count() == 0  # looking around changes nothing


def test_hovering_a_relation_highlights_it_and_it_can_be_right_click_deleted(opened, team_dir, qtbot):
    scene = opened.canvas.canvas_scene
    edge = scene.edges[("handoff", "builder", "reviewer")]
    show_in_view(opened, "builder", "reviewer")
    mid = edge.path.pointAtPercent(0.5)
    _send(opened.canvas, QEvent.Type.MouseMove, mid + QPointF(0, 3), Qt.MouseButton.NoButton,
          Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: edge.hover)
    assert edge in scene.overlay.edges
    # 60 px above it: empty canvas (below runs writer → reviewer, one 128 px row further down)
    away = mid + QPointF(0, -60)
    _send(opened.canvas, QEvent.Type.MouseMove, away, Qt.MouseButton.NoButton, Qt.MouseButton.NoButton)
    qtbot.waitUntil(lambda: not edge.hover)
    assert scene.edge_at(away, 6.0) is None
    # the context menu's "Delete link" does the same as Delete: both sides go
    scene.select_edges([edge])
    assert opened.canvas_actions.unlink(opened.canvas.selection()[1])
    assert opened.save_all()
    assert coord(team_dir / "builder.md", "hands_off_to") == []
    assert coord(team_dir / "reviewer.md", "receives_from") == ["writer"]


# -- the first screen ---------------------------------------------------------------------------

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"


def test_first_view_of_the_sample_team_shows_every_card_in_full_detail(qtbot, tmp_path):
    import shutil

    from app.ui.canvas.card import LOD_NAME, style

    team = shutil.copytree(SAMPLE_TEAM, tmp_path / "sample")
    w = MainWindow(remember=False, session=False)
    w.ask_before_discarding = False
    qtbot.addWidget(w)
    w.resize(1400, 900)  # the README's and the default window size
    w.show()
    qtbot.waitExposed(w)
    assert w.open_team(team)
    view = w.canvas
    view.zoom_to_fit()
    QApplication.processEvents()
    # Full cards (model, tools, description), not the name-only level, and never blown up past 1:1.
    assert LOD_NAME <= view.zoom() <= 1.0
    assert style().desc_font.pixelSize() * view.zoom() >= 7.0  # the description is still legible
    port = view.viewport().rect()
    for name, card in view.canvas_scene.cards.items():
        assert port.contains(view.mapFromScene(card.sceneBoundingRect()).boundingRect()), name


def test_zoom_to_fit_never_enlarges_a_small_team(window, tmp_path):
    assert window.open_team(write_team(tmp_path / "pair", {"a": {"to": ["b"]}, "b": {}}))
    window.canvas.set_zoom(0.3)
    window.canvas.zoom_to_fit()
    assert window.canvas.zoom() == pytest.approx(1.0)


def test_property_panel_headings_are_never_cut_at_any_dock_width(window):
    from PySide6.QtWidgets import QLabel

    panel = window.property_panel
    head = panel.empty_page.findChild(QLabel, "emptyTitle")
    assert panel.stack.currentWidget() is panel.empty_page
    for width in (240, 300, 360, 480):
        window.resizeDocks([window.properties_dock], [width], Qt.Orientation.Horizontal)
        for _ in range(3):
            QApplication.processEvents()
        for label in panel.empty_page.findChildren(QLabel):
            assert label.height() >= label.heightForWidth(label.width()), (width, label.text())
        lines = head.text().split("\n")
        assert " ".join(lines) == head.full_text() == "Select an agent on the canvas to edit it."
        assert all(head.fontMetrics().horizontalAdvance(line) <= head.contentsRect().width() for line in lines)
        if len(lines) > 1:  # balanced: no lone short last line
            assert len(lines[-1]) >= len(lines[0]) / 2, lines


def test_screenshot_can_show_an_agent_selected(team_dir, tmp_path, qapp, monkeypatch, capsys):
    from app.ui import app as app_module

    seen = []
    real = app_module.screenshot_window

    def spy(window, path, size):
        seen.append((list(window.controller.selection), window.property_panel.form.name_edit.text()))
        return real(window, path, size)

    monkeypatch.setattr(app_module, "screenshot_window", spy)
    out = tmp_path / "shot.png"
    assert app_module.run(str(team_dir), screenshot=str(out), size=(900, 600), select="builder") == 0
    assert seen == [(["builder"], "builder")] and QImage(str(out)).width() == 900
    assert app_module.run(str(team_dir), screenshot=str(tmp_path / "x.png"), select="nobody") == 2
    assert "no agent named 'nobody'" in capsys.readouterr().err
    assert not (tmp_path / "x.png").exists()


# -- relations go around the cards in their way ------------------------------------------------

def _routed_team(tmp_path):
    from app.model.sidecar import sidecar_bytes

    folder = write_team(tmp_path / "routed", {"first": {"to": ["last"]}, "middle": {}, "last": {}})
    positions = {"first": (0.0, 0.0), "middle": (304.0, 0.0), "last": (608.0, 0.0)}
    (folder / ".agent-canvas.json").write_bytes(sidecar_bytes(positions, set()))
    return folder


def _curve_points(edge, n=60):
    from app.ui.canvas.edge import _point

    return [_point(seg, i / n) for seg in edge.segments for i in range(n + 1)]


def _inside(points, card):
    x, y = card.pos().x(), card.pos().y()
    return [p for p in points if x + 1 < p[0] < x + CARD_W - 1 and y + 1 < p[1] < y + CARD_H - 1]


def test_a_relation_goes_around_a_card_in_its_way_and_straight_once_it_is_gone(window, tmp_path):
    assert window.open_team(_routed_team(tmp_path))
    scene = window.canvas.canvas_scene
    edge = scene.edges[("handoff", "first", "last")]
    middle = scene.cards["middle"]
    assert edge.routed
    points = _curve_points(edge)
    assert not _inside(points, middle)  # never behind the card between
    start, end = points[0], edge.head[:2]
    assert start == (CARD_W, CARD_H / 2) and end == (608.0, CARD_H / 2)  # from side to side
    # the mouse finds the relation on its detour
    lane_y = edge.segments[1][1]
    assert abs(lane_y - CARD_H / 2) > CARD_H / 2  # the lane runs above or below the card
    assert scene.edge_at(QPointF(304 + CARD_W / 2, lane_y)) is edge

    # The card in the way moves off (one model operation, as a drag ends): the relation runs straight.
    window.controller.do(ops.MoveAgents({"middle": (304.0, 400.0)}))
    assert not edge.routed and len(edge.segments) == 1
    # ...and back (undo): around it again.
    window.undo_stack.undo()
    assert edge.routed and not _inside(_curve_points(edge), middle)


def test_big_teams_keep_plain_curves(window, tmp_path, monkeypatch):
    from app.ui.canvas import scene as scene_module

    monkeypatch.setattr(scene_module, "ROUTE_MAX_CARDS", 2)
    assert window.open_team(_routed_team(tmp_path))
    scene = window.canvas.canvas_scene
    assert not scene.routing
    assert not scene.edges[("handoff", "first", "last")].routed


def _crosses(edge, card):
    return bool(_inside(_curve_points(edge), card))


def test_relations_reroute_when_agents_come_and_go(window, tmp_path):
    folder = _routed_team(tmp_path)
    assert window.open_team(folder)
    scene = window.canvas.canvas_scene
    window.controller.do(ops.MoveAgents({"middle": (304.0, 400.0)}))
    edge = scene.edges[("handoff", "first", "last")]
    assert not edge.routed
    # a new agent placed in the way: the relation goes around it
    assert window.controller.do(ops.AddAgent("blocker", position=(304.0, 0.0)))
    assert edge.routed and not _crosses(edge, scene.cards["blocker"])
    # ...and runs straight again once it is gone
    assert window.controller.do(ops.RemoveAgent("blocker"))
    assert not edge.routed and len(edge.segments) == 1


def test_a_multi_card_move_ends_with_every_route_right(window, tmp_path):
    assert window.open_team(_routed_team(tmp_path))
    scene = window.canvas.canvas_scene
    edge = scene.edges[("handoff", "first", "last")]
    # one operation moves the source and the card in the way together (a multi-selection drop)
    window.controller.do(ops.MoveAgents({"first": (0.0, 400.0), "middle": (304.0, 400.0)}))
    assert edge.routed == _crosses_plain(edge, scene) and not _crosses(edge, scene.cards["middle"])
    window.controller.do(ops.MoveAgents({"first": (0.0, 0.0), "middle": (304.0, 0.0)}))
    assert edge.routed and not _crosses(edge, scene.cards["middle"])


def _crosses_plain(edge, scene):
    """Whether the plain curve between the edge's cards would run behind another card."""
    from app.ui.canvas.edge import _point

    x1, y1 = edge.source.pos().x() + CARD_W, edge.source.pos().y() + CARD_H / 2
    x2, y2 = edge.target.pos().x(), edge.target.pos().y() + CARD_H / 2
    k = max(36.0, min(160.0, ((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5 * 0.45))
    pts = [_point((x1, y1, x1 + k, y1, x2 - k, y2, x2, y2), i / 60) for i in range(61)]
    return any(_inside(pts, c) for c in scene.cards.values() if c not in (edge.source, edge.target))


def test_crossing_the_routing_limit_restyles_every_relation(window, tmp_path, monkeypatch):
    from app.ui.canvas import scene as scene_module

    monkeypatch.setattr(scene_module, "ROUTE_MAX_CARDS", 3)
    assert window.open_team(_routed_team(tmp_path))
    scene = window.canvas.canvas_scene
    edge = scene.edges[("handoff", "first", "last")]
    assert scene.routing and edge.routed
    assert window.controller.do(ops.AddAgent("fourth", position=(0.0, 600.0)))
    assert not scene.routing and not edge.routed  # a big team: plain curves, this one included
    window.undo_stack.undo()
    assert scene.routing and edge.routed


def test_a_lane_is_only_taken_where_every_card_is_known():
    from app.ui.canvas.edge import _free_lane

    # cards cover 0..100 and 120..300; the ends are at 50 and 60
    assert _free_lane([(0.0, 100.0), (120.0, 300.0)], 50.0, 60.0) in (-0.5, 100.5)
    # the only free places lie outside what was searched: no lane (a plain curve is drawn)
    assert _free_lane([(-500.0, 500.0)], 0.0, 10.0, low=-400.0, high=400.0) is None


def test_a_real_drag_draws_plain_curves_and_routes_at_the_drop(window, tmp_path):
    """While a card is dragged its relations stay plain curves (cheap steps); the drop routes
    them around whatever they now pass behind."""
    assert window.open_team(_routed_team(tmp_path))
    scene, view = window.canvas.canvas_scene, window.canvas
    window.controller.do(ops.MoveAgents({"first": (0.0, 400.0)}))
    view.resetTransform()
    view.centerOn(QPointF(300, 200))
    QApplication.processEvents()
    edge = scene.edges[("handoff", "first", "last")]
    left = Qt.MouseButton.LeftButton
    start = card_center(window, "first")
    _send(view, QEvent.Type.MouseButtonPress, start, left, left)
    for i in range(1, 5):
        _send(view, QEvent.Type.MouseMove, start + QPointF(0, -100 * i), Qt.MouseButton.NoButton, left)
    assert scene.cards["first"].pos().y() == 0.0
    assert not edge.routed and _crosses(edge, scene.cards["middle"])  # mid-drag: plain, behind it
    _send(view, QEvent.Type.MouseButtonRelease, start + QPointF(0, -400), left, Qt.MouseButton.NoButton)
    QApplication.processEvents()
    assert edge.routed and not _crosses(edge, scene.cards["middle"])
