"""The main window: opening, saving, the title, remembered folders, dropping a folder, closing,
and the --screenshot path. Assertions are on files, the model and settings."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDropEvent, QImage
from PySide6.QtWidgets import QApplication, QDockWidget, QGraphicsView, QWidget

from app.model import operations as ops
from app.ui.app import run
from app.ui.canvas.card import CardItem
from app.ui.main_window import MainWindow

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))


@pytest.fixture
def team_dir(tmp_path):
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE_TEAM, folder)
    return folder


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    w.ask_before_discarding = False  # no modal question when the test closes the window
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_regions_have_the_documented_object_names(window, team_dir):
    assert window.open_team(team_dir)
    canvas = window.findChild(QGraphicsView, "canvas")
    assert canvas is window.canvas and window.centralWidget().currentWidget() is canvas
    for name, dock in (("propertyPanel", window.properties_dock), ("problemsPanel", window.problems_dock)):
        widget = window.findChild(QWidget, name)
        assert widget is not None and isinstance(dock, QDockWidget) and dock.widget() is widget
    assert window.undo_stack is window.controller.undo_stack
    names = sorted(i.agent_name for i in canvas.scene().items() if isinstance(i, CardItem))
    assert names == sorted(p.stem for p in SAMPLE_TEAM.glob("*.md"))


def test_title_marks_unsaved_changes_and_save_clears_it(window, team_dir, qtbot):
    assert window.open_team(team_dir)
    assert window.windowTitle().startswith("sample")
    assert not window.isWindowModified()
    before = {p.name: p.read_bytes() for p in team_dir.glob("*.md")}
    assert window.controller.do(ops.SetField("api-designer", "model", "opus"))
    qtbot.waitUntil(window.isWindowModified)
    assert window.save_all()
    assert not window.isWindowModified()
    after = {p.name: p.read_bytes() for p in team_dir.glob("*.md")}
    assert [n for n in before if before[n] != after[n]] == ["api-designer.md"]
    window.undo_stack.undo()
    qtbot.waitUntil(window.isWindowModified)


def test_first_open_lays_out_without_making_the_team_unsaved(window, team_dir):
    assert not (team_dir / ".agent-canvas.json").exists()
    assert window.open_team(team_dir)
    assert len(window.team.positions) == len(window.team.names())
    assert not window.team.dirty() and not window.isWindowModified()
    assert not (team_dir / ".agent-canvas.json").exists()  # opening never writes
    # the first real move makes it unsaved, and saving writes every position
    assert window.controller.do(ops.MoveAgents({"api-designer": (0.0, -400.0)}))
    assert window.team.dirty()
    assert window.save_all()
    saved = json.loads((team_dir / ".agent-canvas.json").read_text())
    assert set(saved["agents"]) == set(window.team.names())
    assert all(p.read_bytes() == (SAMPLE_TEAM / p.name).read_bytes() for p in team_dir.glob("*.md"))


def test_bad_folder_is_refused_in_words_and_the_team_stays(window, team_dir, tmp_path):
    assert window.open_team(team_dir)
    assert not window.open_team(tmp_path / "nope")
    assert "no folder" in window.last_error.lower()
    a_file = tmp_path / "file.md"
    a_file.write_text("x")
    assert not window.open_team(a_file)
    assert "folder" in window.last_error
    assert window.team is not None and window.team.root == team_dir.resolve()


def test_recent_and_last_folders_are_remembered(window, team_dir, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    assert window.open_team(team_dir)
    assert window.open_team(other)
    assert MainWindow.last_folder() == str(other.resolve())
    assert MainWindow.recent_folders()[:2] == [str(other.resolve()), str(team_dir.resolve())]


def test_dropping_a_folder_opens_it(window, team_dir):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(team_dir))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    window.dropEvent(event)
    window.opening.wait()  # a dropped folder is read off the GUI thread
    assert window.team is not None and window.team.root == team_dir.resolve()


def test_closing_with_unsaved_changes_asks_and_cancel_keeps_everything(window, team_dir):
    assert window.open_team(team_dir)
    assert window.controller.do(ops.SetField("api-designer", "model", "opus"))
    window.ask_before_discarding = True
    asked = []
    assert window.session is not None
    window.session.ask = lambda kind, *a, **k: asked.append(kind) or "cancel"
    assert not window.close()
    assert asked == ["close"]
    assert window.isVisible() and window.team.agent("api-designer").agent.model == "opus"
    window.session.ask = lambda kind, *a, **k: "save"
    assert window.close()
    assert "model: opus" in (team_dir / "api-designer.md").read_text()


def test_screenshot_writes_a_png_of_the_requested_size(team_dir, tmp_path, qapp):
    out = tmp_path / "shot.png"
    assert run(str(team_dir), screenshot=str(out), size=(900, 600)) == 0
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)
    # not a blank picture: the canvas has cards in several colours
    colours = {image.pixel(x, y) for x in range(0, 900, 7) for y in range(60, 500, 7)}
    assert len(colours) > 20
    assert not (team_dir / ".agent-canvas.json").exists()  # a screenshot never saves


def test_screenshot_of_a_missing_folder_fails_in_words(tmp_path, qapp, capsys):
    assert run(str(tmp_path / "missing"), screenshot=str(tmp_path / "x.png")) == 2
    assert "no folder" in capsys.readouterr().err.lower()
    assert not (tmp_path / "x.png").exists()


def test_find_agent_selects_and_centres_it(window, team_dir):
    assert window.open_team(team_dir)
    window.find_field.setText("review")
    window.find_field.returnPressed.emit()
    assert window.controller.selection == ["code-reviewer"]
    view = window.canvas
    centre = view.mapToScene(view.viewport().rect().center())
    card = view.canvas_scene.cards["code-reviewer"]
    assert card.sceneBoundingRect().adjusted(-4, -4, 4, 4).contains(centre)
    QApplication.processEvents()
    assert view.mapFromScene(card.center()) != QPoint(-1, -1)


def test_startup_probe_reports_the_first_paint_with_the_team_and_quits(team_dir, tmp_path):
    """AGENT_CANVAS_STARTUP_PROBE (what the start-up figure times): the real start-up path prints
    "first paint" once the team is on the canvas, exits 0 and leaves the team's files alone."""
    import subprocess
    import sys

    before = {p.name: p.read_bytes() for p in team_dir.iterdir()}
    env = {**os.environ, "AGENT_CANVAS_STARTUP_PROBE": "1", "QT_QPA_PLATFORM": "offscreen",
           "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config"),
           "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_STATE_HOME": str(tmp_path / "state")}
    proc = subprocess.run([sys.executable, "-m", "app", str(team_dir)], env=env, capture_output=True, check=False,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "first paint\n"
    assert {p.name: p.read_bytes() for p in team_dir.iterdir()} == before
    # a window without agents on its canvas is not what the figure measures: no report, no quit
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(subprocess.TimeoutExpired):
        subprocess.run([sys.executable, "-m", "app", str(empty)], env=env, capture_output=True, check=False, timeout=5)


def test_deferred_session_starts_after_the_first_paint_and_watches_the_open_team(qtbot, team_dir):
    """The editor's start (run) creates the Session after the window's first paint: before it
    there is none, after it the team opened before the paint is watched and saved like any other."""
    w = MainWindow(defer_session=True)
    w.ask_before_discarding = False
    qtbot.addWidget(w)
    assert w.open_team(team_dir)
    assert w.session is None
    early = team_dir / "code-reviewer.md"  # changed by another program before the first paint
    early.write_text(early.read_text().replace("model: inherit", "model: opus"))
    painted = []
    w.firstPainted.connect(lambda: painted.append(1))
    w.show()
    qtbot.waitUntil(lambda: w.session is not None, timeout=5000)
    QApplication.processEvents()
    w.canvas.viewport().update()
    qtbot.wait(50)
    assert painted == [1]  # once, however often the canvas paints
    qtbot.waitUntil(lambda: w.team.agent("code-reviewer").agent.model == "opus", timeout=5000)
    path = team_dir / "api-designer.md"
    path.write_text(path.read_text().replace("model: sonnet", "model: haiku"))
    qtbot.waitUntil(lambda: w.team.agent("api-designer").agent.model == "haiku", timeout=5000)
    w.controller.do(ops.SetField("api-designer", "model", "opus"))
    assert w.save_all()
    assert "model: opus" in path.read_text()


def test_the_cycle_collector_is_back_on_after_the_first_paint(qtbot):
    """app/__main__.py turns the collector off for the start; the first paint turns it on again
    (what start-up built is frozen out of later full collections)."""
    import gc

    from app.ui.app import collect_garbage_again

    w = MainWindow(session=False)
    qtbot.addWidget(w)
    w.firstPainted.connect(collect_garbage_again)
    gc.disable()
    try:
        w.show()
        qtbot.waitUntil(gc.isenabled, timeout=5000)
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
        gc.enable()


def test_opening_a_project_folder_shows_the_agents_in_its_claude_folder(window, team_dir, tmp_path):
    """Claude Code keeps a project's agents in .claude/agents; opening the project folder itself
    (what a user picks) shows them, and the title names the project."""
    project = tmp_path / "shop"
    shutil.copytree(team_dir, project / ".claude" / "agents")
    (project / "README.md").write_text("# Shop\n")
    assert window.open_team(project)
    assert window.team.root == (project / ".claude" / "agents").resolve()
    assert len(window.canvas.canvas_scene.cards) == 12
    assert window.windowTitle().startswith("shop (.claude/agents)")
    assert "shop (.claude/agents): 12 agents" in window.statusBar().currentMessage()
