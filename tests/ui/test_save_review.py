"""Review before save, through the real window and dialog: what it says, Cancel writes nothing,
"Don't show this again" sticks, and the status bar says what was written."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication, QCheckBox, QListWidget, QPlainTextEdit, QPushButton

from app.model import operations as ops
from app.ui.main_window import MainWindow, settings
from app.ui.save_review import SETTING

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE_TEAM, folder)
    w = MainWindow()
    w.ask_before_discarding = False
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_team(folder)
    monkeypatch.setattr(w, "can_ask", lambda: True)  # offscreen has no screen to ask on; pretend
    return w


def answer(qtbot, seen: list, button: str, dont_show: bool = False, show_diff: bool = False):
    """When the review opens: note what it says, then click `button`."""
    def act():
        dialog = QApplication.activeModalWidget()
        changes = dialog.findChild(QListWidget, "saveReview.changes")
        seen.append([changes.item(i).text() for i in range(changes.count())])
        if show_diff:
            qtbot.mouseClick(dialog.findChild(QPushButton, "saveReview.showDiff"), Qt.MouseButton.LeftButton)
            seen.append(dialog.findChild(QPlainTextEdit, "saveReview.diff").toPlainText())
        if dont_show:
            dialog.findChild(QCheckBox, "saveReview.dontShow").setChecked(True)
        if button == "cancel":
            dialog.reject()
        else:
            qtbot.mouseClick(dialog.findChild(QPushButton, "saveReview.save"), Qt.MouseButton.LeftButton)
    QTimer.singleShot(0, act)


def test_cancel_writes_nothing(window, qtbot):
    path = window.team.root / "backend-specialist.md"
    before = path.read_bytes()
    window.controller.do(ops.SetField("backend-specialist", "model", "opus"))
    seen: list = []
    answer(qtbot, seen, "cancel", show_diff=True)
    assert not window.save_all()
    assert seen[0] == ["backend-specialist: model sonnet → opus"]
    assert "-model: sonnet\n+model: opus" in seen[1]
    assert path.read_bytes() == before and window.team.dirty()


def test_save_writes_and_the_status_bar_says_what(window, qtbot):
    window.controller.do(ops.SetField("backend-specialist", "model", "opus"))
    window.controller.do(ops.RemoveAgent("docs-sync-agent"))
    seen: list = []
    answer(qtbot, seen, "save")
    assert window.save_all()
    assert "docs-sync-agent: deleted (docs-sync-agent.md goes to the trash)" in seen[0]
    assert "model: opus" in (window.team.root / "backend-specialist.md").read_text()
    assert not (window.team.root / "docs-sync-agent.md").exists()
    message = window.statusBar().currentMessage()
    assert message.startswith("Saved backend-specialist")
    assert message.endswith("— 5 files; 1 file moved to the trash; card positions")


def test_dont_show_again_is_kept(window, qtbot):
    window.controller.do(ops.SetField("backend-specialist", "model", "opus"))
    seen: list = []
    answer(qtbot, seen, "save", dont_show=True)
    assert window.save_all() and len(seen) == 1
    assert str(settings().value(SETTING)).lower() == "false"
    window.controller.do(ops.SetField("backend-specialist", "model", "haiku"))
    assert window.save_all()  # no dialog this time: nothing answers one, and it still saves
    assert "model: haiku" in (window.team.root / "backend-specialist.md").read_text()
    assert window.statusBar().currentMessage() == "Saved backend-specialist — 1 file"
