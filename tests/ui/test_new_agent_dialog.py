"""The guided new-agent dialog driven as a user would (typing, ticking, clicking Create), in the
real window; the checks are on the file written by Save and on the undo stack."""

from __future__ import annotations

import shutil
from pathlib import Path

import frontmatter
import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QPushButton

from app.ui.main_window import MainWindow

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))


@pytest.fixture
def window(qtbot, tmp_path):
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE_TEAM, folder)
    w = MainWindow()
    w.ask_before_discarding = False
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_team(folder)
    return w


def widgets(dialog):
    return (dialog.findChild(QLineEdit, "newAgent.purpose"), dialog.findChild(QLineEdit, "newAgent.name"),
            dialog.findChild(QPlainTextEdit, "newAgent.description"), dialog.findChild(QComboBox, "newAgent.model"),
            dialog.findChild(QPushButton, "newAgent.create"))


def test_ctrl_n_opens_the_guided_dialog(window, qtbot):
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialog = window.findChild(QLineEdit, "newAgent.purpose")
    assert dialog is not None and dialog.window().isVisible()


def test_a_user_creates_an_agent_and_saves_it(window, qtbot):
    dialog = window.new_agent_guided()
    purpose, name, description, model, create = widgets(dialog)
    qtbot.keyClicks(purpose, "Customer Support Bot")
    assert name.text() == "customer-support-bot"  # suggested as they type
    assert not create.isEnabled()  # no description yet
    qtbot.keyClicks(description, "Answers customer questions about orders. Use when a customer writes in.")
    model.setCurrentIndex(model.findData("opus"))  # "Most capable"
    qtbot.mouseClick(dialog.findChild(QCheckBox, "newAgent.tools.web"), Qt.MouseButton.LeftButton)
    colour = dialog.findChild(QComboBox, "newAgent.color")
    colour.setCurrentIndex(colour.findData("green"))
    assert create.isEnabled()
    count = window.controller.undo_stack.count()
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    assert window.controller.undo_stack.count() == count + 1  # one undo step
    assert window.controller.selection == ["customer-support-bot"]
    assert window.save_all()
    post = frontmatter.load(window.team.root / "customer-support-bot.md")
    assert post.metadata == {
        "name": "customer-support-bot",
        "description": "Answers customer questions about orders. Use when a customer writes in.",
        "model": "opus", "tools": "Read, Grep, Glob, WebSearch, WebFetch", "color": "green"}
    assert post.content.startswith("You are customer-support-bot.")
    new = window.team.positions["customer-support-bot"]
    assert all(abs(new[0] - x) >= 240 or abs(new[1] - y) >= 84
               for n, (x, y) in window.team.positions.items() if n != "customer-support-bot")
    window.controller.undo_stack.undo()
    assert window.team.agent("customer-support-bot") is None


def test_an_invalid_or_taken_name_cannot_be_created(window, qtbot):
    dialog = window.new_agent_guided()
    purpose, name, description, _model, create = widgets(dialog)
    qtbot.keyClicks(description, "Answers customer questions about orders. Use when a customer writes in.")
    qtbot.keyClicks(name, "Customer Bot")
    assert not create.isEnabled()
    assert "lowercase letters" in dialog.findChild(type(dialog.name_note), "newAgent.nameNote").text()
    name.clear()
    qtbot.keyClicks(name, "code-reviewer")
    assert not create.isEnabled()
    qtbot.keyClick(name, Qt.Key.Key_Return)  # Enter does not slip past the check
    assert window.team.agent("code-reviewer").text == (window.team.root / "code-reviewer.md").read_text()
    qtbot.keyClicks(purpose, "ignored now")  # a typed name is not overwritten by the purpose
    assert name.text() == "code-reviewer"


def test_starting_from_a_copy_keeps_its_settings_but_not_its_description(window, qtbot):
    dialog = window.new_agent_guided()
    _purpose, name, description, model, create = widgets(dialog)
    starter = dialog.findChild(QComboBox, "newAgent.starter")
    starter.setCurrentIndex(starter.findText("A copy of security-auditor"))
    assert model.currentData() == window.team.agent("security-auditor").agent.model
    assert not create.isEnabled()  # still security-auditor's description
    name.clear()
    qtbot.keyClicks(name, "privacy-auditor")
    description.clear()
    qtbot.keyClicks(description, "Checks changes for personal data leaks. Use before a release.")
    qtbot.mouseClick(create, Qt.MouseButton.LeftButton)
    assert window.save_all()
    post = frontmatter.load(window.team.root / "privacy-auditor.md")
    source = frontmatter.load(window.team.root / "security-auditor.md")
    assert post["tools"] == source["tools"] and post["model"] == source["model"]
    assert post.content == source.content  # its instructions do not name security-auditor
