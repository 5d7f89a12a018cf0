"""After a rename the window offers to update the instructions that still mention the old name;
checked on the files written by Save and on the undo stack."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QPushButton

from app.model import operations as ops
from app.model.rename_mentions import mentions
from app.model.team import Team
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
    w.show()
    qtbot.waitExposed(w)
    assert w.open_team(folder)
    return w


def said(folder: Path, name: str) -> set[str]:
    """Files whose text after the frontmatter names `name` (an oracle by plain regex)."""
    out = set()
    for p in folder.glob("*.md"):
        body = p.read_text().split("\n---\n", 1)[1]
        if re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", body):
            out.add(p.stem)
    return out


def test_update_the_instructions_after_a_rename(window, qtbot):
    folder = window.team.root
    assert said(folder, "test-engineer") == {"backend-specialist", "frontend-specialist", "performance-optimizer"}
    assert window.controller.do(ops.RenameAgent("test-engineer", "qa-engineer"))
    offer = window.rename_offer
    assert offer.isVisible() and "3 agents' instructions still mention test-engineer" in offer.label.text()
    count = window.controller.undo_stack.count()
    qtbot.mouseClick(offer.findChild(QPushButton, "renameOffer.update"), Qt.MouseButton.LeftButton)
    assert not offer.isVisible()
    assert window.controller.undo_stack.count() == count + 1  # one step for all three
    assert window.save_all()
    assert said(folder, "test-engineer") == set()
    assert said(folder, "qa-engineer") == {"backend-specialist", "frontend-specialist", "performance-optimizer"}


def test_leaving_them_changes_nothing(window, qtbot):
    assert window.controller.do(ops.RenameAgent("test-engineer", "qa-engineer"))
    qtbot.mouseClick(window.rename_offer.findChild(QPushButton, "renameOffer.dismiss"), Qt.MouseButton.LeftButton)
    assert not window.rename_offer.isVisible()
    assert window.save_all()
    assert said(window.team.root, "test-engineer") == {"backend-specialist", "frontend-specialist",
                                                       "performance-optimizer"}


def test_only_whole_names_count(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.md").write_text("---\nname: a\n---\nAsk code-reviewers or senior-code-reviewer.\n")
    (folder / "b.md").write_text("---\nname: b\n---\nThen code-reviewer checks it.\n")
    assert mentions(Team.load(folder), "code-reviewer") == ["b"]
