"""At 1024×700: the canvas keeps 60 % of the width even after a wide panel was saved, Problems is
one line with the counts, and the property form scrolls to its last field."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from app.ui.main_window import MainWindow
from app.ui.small_screen import CANVAS_SHARE

AGENT = "---\nname: {n}\ndescription: The {n} agent.\ncoordination:\n  hands_off_to: [{to}]\n---\nYou are {n}.\n"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))


@pytest.fixture
def team_dir(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "planner.md").write_text(AGENT.format(n="planner", to="builder"), encoding="utf-8")  # one-sided
    (folder / "builder.md").write_text(AGENT.format(n="builder", to=""), encoding="utf-8")
    return folder


def make(qtbot, w: int, h: int) -> MainWindow:
    win = MainWindow()
    win.ask_before_discarding = False
    qtbot.addWidget(win)
    win.resize(w, h)
    win.show()
    qtbot.waitExposed(win)
    QApplication.processEvents()
    return win


def settle(qtbot) -> None:
    for _ in range(3):
        QApplication.processEvents()
        qtbot.wait(10)


def test_a_wide_panel_saved_on_a_big_screen_is_clamped_on_a_small_one(qtbot, team_dir):
    big = make(qtbot, 1600, 1000)
    big.resizeDocks([big.properties_dock], [700], Qt.Orientation.Horizontal)
    settle(qtbot)
    assert big.properties_dock.width() >= 600  # the saved state really is wide
    big.close()  # saves the window's state

    small = make(qtbot, 1024, 700)
    small.resize(1024, 700)
    settle(qtbot)
    assert small.open_team(team_dir)
    settle(qtbot)
    assert small.canvas.width() >= CANVAS_SHARE * small.width(), (small.canvas.width(), small.width())


def test_problems_fold_to_one_line_with_the_counts_when_the_window_is_short(qtbot, team_dir):
    win = make(qtbot, 1024, 700)
    assert win.open_team(team_dir)
    settle(qtbot)
    assert win.small_screen.collapsed()
    line = win.small_screen.line
    n = len(win.team.problems)
    warnings = sum(1 for p in win.team.problems if p.severity == "warning")
    assert n >= 1
    assert line.isVisible() and f"{warnings} warning" in line.text()
    assert win.problems_dock.height() <= 2 * line.sizeHint().height() + 4
    QTest.mouseClick(line, Qt.MouseButton.LeftButton)  # opens the list
    settle(qtbot)
    assert not win.small_screen.collapsed() and win.problems_panel.isVisible()
    assert win.problems_panel.model.rowCount() == n
    win.resize(1400, 900)  # a tall window always shows the list
    settle(qtbot)
    assert not win.small_screen.collapsed()


def test_the_property_form_scrolls_and_nothing_is_cut_off(qtbot, team_dir):
    win = make(qtbot, 1024, 700)
    assert win.open_team(team_dir)
    win.controller.select(["planner"])
    settle(qtbot)
    form = win.property_panel.form
    scroll = form.tabs.widget(0)
    panel = win.property_panel
    # the panel fits in its dock (no widget sticks out below the window)
    assert panel.mapTo(win, panel.rect().bottomLeft()).y() <= win.height()
    assert scroll.verticalScrollBar().maximum() > 0
    # the last field can be scrolled to and is then inside the visible area
    last = form.tools.extra
    bar = scroll.verticalScrollBar()
    bar.setValue(bar.maximum())  # scrolled to the end
    settle(qtbot)
    top = last.mapTo(scroll.viewport(), last.rect().topLeft()).y()
    assert 0 <= top and top + last.height() <= scroll.viewport().height()
    # nothing in the form is squeezed below what it needs
    assert form.handoffs.list.height() >= form.handoffs.list.minimumHeight()
    assert win.minimumSizeHint().width() <= 1024 and win.minimumSizeHint().height() <= 700
