"""The small things non-technical staff tripped over: each one through the real widgets, with
assertions on the files, the model and what the window says."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QInputDialog

from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.model import operations as ops
from app.ui.main_window import MainWindow
from app.ui.panels.wording import display_message

AGENT = ("---\nname: {n}\ndescription: The {n} agent.\nmodel: sonnet\ncoordination:\n"
         "  hands_off_to: [{to}]\n  receives_from: [{fr}]\n---\nYou are {n}.\n")


def frontmatter(path: Path) -> dict:
    doc = parse_document(path.read_text(encoding="utf-8"))
    return read_frontmatter(doc.frontmatter, doc.frontmatter_line).data


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))


@pytest.fixture
def team_dir(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    # planner → builder declared on both sides; planner → writer only on planner's side
    (folder / "planner.md").write_text(AGENT.format(n="planner", to="builder, writer", fr=""), encoding="utf-8")
    (folder / "builder.md").write_text(AGENT.format(n="builder", to="", fr="planner"), encoding="utf-8")
    (folder / "writer.md").write_text(AGENT.format(n="writer", to="", fr=""), encoding="utf-8")
    (folder / "reviewer.md").write_text(AGENT.format(n="reviewer", to="", fr=""), encoding="utf-8")
    return folder


@pytest.fixture
def win(qtbot, team_dir):
    w = MainWindow()
    w.ask_before_discarding = False
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_team(team_dir)
    return w


def test_toolbar_undo_keeps_its_short_label_and_still_undoes(win, team_dir):
    button = win.toolbar.widgetForAction(win.tb_undo)
    width = button.sizeHint().width()
    assert not button.isEnabled()
    win.controller.do(ops.SetField("reviewer", "description", "Reads every change with great care."))
    QApplication.processEvents()
    assert button.text() == "Undo" and button.isEnabled()
    assert button.sizeHint().width() == width  # the toolbar does not move
    assert "Undo" in button.toolTip() and len(button.toolTip()) > len("Undo (Ctrl+Z)")
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)
    assert win.team.agent("reviewer").agent.description == "The reviewer agent."


def test_the_zoom_shown_is_the_zoom_after_find(win, qtbot):
    win.canvas.set_zoom(0.2)
    assert win.zoom_label.text() == "20%"
    win.find_field.setText("writer")
    QTest.keyClick(win.find_field, Qt.Key.Key_Return)
    assert win.controller.selection == ["writer"]
    assert win.zoom_label.text() == f"{round(win.canvas.zoom() * 100)}%" != "20%"


def test_the_model_list_says_not_set_and_choosing_it_removes_the_model(win, qtbot, team_dir):
    win.controller.select(["writer"])
    QApplication.processEvents()
    combo = win.property_panel.form.model
    assert combo.itemText(0).startswith("Not set")
    assert all(combo.itemText(i).strip() for i in range(combo.count()))
    combo.setCurrentIndex(0)
    combo.activated.emit(0)
    assert win.save_all()
    assert "model" not in frontmatter(team_dir / "writer.md")
    combo.setCurrentIndex(combo.findText("opus"))
    combo.activated.emit(combo.currentIndex())
    assert win.save_all()
    assert frontmatter(team_dir / "writer.md")["model"] == "opus"


def test_add_hand_off_offers_only_agents_not_handed_off_to_yet(win, monkeypatch):
    asked = {}

    def get_item(_parent, _title, _label, items, current, _editable):
        asked["items"], asked["current"] = list(items), current
        return items[current], True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    assert win.canvas.ask_link("planner", "handoff")
    assert asked["items"] == ["reviewer"]  # builder and writer are hand-offs already
    assert win.team.agent("planner").agent.coordination_list("hands_off_to") == ["builder", "writer", "reviewer"]


def test_open_sample_team_says_where_the_copy_went(win, tmp_path, monkeypatch):
    from app import resources

    real = resources.copy_sample_team
    made = []

    def copy(dest=None, **kw):
        made.append(real(tmp_path / "Agent Canvas sample team", **kw))
        return made[-1]

    monkeypatch.setattr(resources, "copy_sample_team", copy)
    assert win.open_sample_team()
    assert win.open_sample_team()
    assert made[0] != made[1] and made[1].name.endswith("(2)")
    assert str(made[1]) in win.statusBar().currentMessage()


def test_problems_use_the_panels_labels_and_the_model_keeps_its_words(win):
    panel = win.problems_panel
    texts = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    raw = [p.message for p in win.team.problems]
    assert any("receives_from" in m for m in raw)  # the model's (and the CLI's) message is unchanged
    assert texts == [display_message(m) for m in raw]
    assert not any("receives_from" in t or "hands_off_to" in t for t in texts)
    assert any("“Receives from”" in t for t in texts)
    tip = panel.model.index(0, 0).data(Qt.ItemDataRole.ToolTipRole)
    assert display_message(raw[0]).split()[-1].replace("“", "").replace("”", "") in tip.replace("“", "").replace("”", "")


def test_display_message_maps_keys_not_words():
    assert display_message("x does not list y under hands_off_to.") == "x does not list y under “Hands off to”."
    assert display_message("coordination.parallel_with of x") == "“Parallel with” of x"
    assert display_message("permissionMode of x should be text") == "“Permissions” of x should be text"
    # plain words and agent names that merely contain a key stay
    assert display_message("the name and tools of my_hands_off_to_bot") == "the name and tools of my_hands_off_to_bot"
