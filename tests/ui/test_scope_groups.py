"""View → Agents from Other Scopes: the agents Claude Code sees beside the open team (a fake HOME
with its own ~/.claude/agents, an installed plugin and a managed folder), which definitions are
overridden, read-only until opened in a window of their own. Checked on the model, the
controller's record and the files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QTabBar

from app.model import operations as ops
from app.model import scopes
from app.ui.main_window import MainWindow


def agent(folder: Path, name: str, description: str = "Does a job.", extra: str = "") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(f"---\nname: {name}\ndescription: {description}\n{extra}---\n\nWork.\n", encoding="utf-8")
    return path


@pytest.fixture
def world(tmp_path, monkeypatch):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("CLAUDE_CONFIG_DIR", raising=False)
    managed = tmp_path / "managed"
    monkeypatch.setattr(scopes, "managed_folder", lambda: managed)
    project = tmp_path / "repo" / ".claude" / "agents"
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    f = {
        "reviewer": agent(project, "reviewer"),
        "auditor": agent(project, "auditor"),
        "managed": agent(managed / ".claude" / "agents", "auditor", "The organisation's auditor."),
        "user": agent(home / ".claude" / "agents", "reviewer", "My own reviewer.", "model: opus\n"),
        "user-only": agent(home / ".claude" / "agents", "note-taker", "Keeps notes."),
        "plugin": agent(tmp_path / "kit" / "agents", "reviewer", "The plugin's reviewer."),
    }
    record = home / ".claude" / "plugins" / "installed_plugins.json"
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"version": 2, "plugins": {"kit@market": [{"installPath": str(tmp_path / "kit")}]}}))
    return project, f


@pytest.fixture
def window(qtbot):
    w = MainWindow(remember=False, session=False)
    w.ask_before_discarding = False
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


def opened(qtbot, window, folder):
    assert window.open_team(folder)
    qtbot.waitUntil(lambda: window.scopes.placement is not None)
    return window.scopes


def test_other_scopes_are_listed_by_group_and_the_losing_definitions_say_who_wins(qtbot, window, world):
    project, f = world
    groups = opened(qtbot, window, project)
    rows = {(title, a.name): a for title, a in groups.panel.rows()}
    assert set(rows) == {("Your organisation's", "auditor"), ("Yours (~/.claude/agents)", "reviewer"),
                         ("Yours (~/.claude/agents)", "note-taker"), ("Plugin kit", "kit:reviewer")}
    mine = rows["Yours (~/.claude/agents)", "reviewer"]
    assert (mine.file, mine.active, mine.shadowed_by) == (f["user"], False, f["reviewer"])
    assert rows["Yours (~/.claude/agents)", "note-taker"].active and rows["Plugin kit", "kit:reviewer"].active
    assert groups.dock.isVisible()  # there is something beside the team: shown
    # the team's auditor loses to the organisation's: the card and the panel say so
    assert window.controller.overridden == {"auditor": str(f["managed"])}
    card = window.canvas.canvas_scene.cards["auditor"]
    assert card.data_.overridden == str(f["managed"]) and f"Overridden by {f['managed']}" in card.tooltip()
    assert card._text_layout()[1].startswith("Overridden by")  # the card's second line says so
    assert window.canvas.canvas_scene.cards["reviewer"].data_.overridden is None
    # a tab beside Properties, which comes back to the front when a card is chosen
    tabs = next(bar for bar in window.findChildren(QTabBar)
                if {bar.tabText(i) for i in range(bar.count())} == {"Properties", "Other Agents"})
    assert tabs.tabText(tabs.currentIndex()) == "Properties"
    groups.dock.raise_()
    assert tabs.tabText(tabs.currentIndex()) == "Other Agents"
    window.controller.select(["auditor"])
    assert tabs.tabText(tabs.currentIndex()) == "Properties"
    form = window.property_panel.form
    assert form.overridden_note.isVisibleTo(form) and str(f["managed"]) in form.overridden_note.text()
    window.controller.select(["reviewer"])
    assert not form.overridden_note.isVisibleTo(form)
    # choosing a row shows where it is and why it is not used
    tree = groups.panel.tree
    item = next(tree.topLevelItem(i).child(j) for i in range(tree.topLevelItemCount())
                for j in range(tree.topLevelItem(i).childCount())
                if tree.topLevelItem(i).child(j).text(0).startswith("reviewer"))
    tree.setCurrentItem(item)
    details = groups.panel.details.text()
    assert "Overridden by" in details and "My own reviewer." in details and "Model: opus" in details


def test_renaming_in_the_team_re_ranks_the_other_scopes(qtbot, window, world):
    project, f = world
    groups = opened(qtbot, window, project)
    assert window.controller.do(ops.RenameAgent("auditor", "team-auditor"))
    assert window.controller.do(ops.RenameAgent("reviewer", "code-reviewer"))
    assert window.controller.overridden == {}
    assert window.canvas.canvas_scene.cards["team-auditor"].data_.overridden is None
    mine = next(a for _t, a in groups.panel.rows() if a.file == f["user"])
    assert mine.active and mine.shadowed_by is None
    window.controller.undo_stack.undo()
    mine = next(a for _t, a in groups.panel.rows() if a.file == f["user"])
    assert mine.shadowed_by == project / "reviewer.md"


def test_the_view_menu_hides_the_group_and_it_stays_hidden(qtbot, window, world, tmp_path):
    project, _f = world
    groups = opened(qtbot, window, project)
    assert groups.action.isChecked()
    groups.action.trigger()
    assert not groups.dock.isVisible()
    opened(qtbot, window, project)  # opening again leaves it as the user chose
    assert not groups.dock.isVisible()
    groups.action.trigger()
    assert groups.dock.isVisible()


def test_nothing_beside_the_team_keeps_the_group_hidden(qtbot, window, tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "empty-home"))
    monkeypatch.setattr(scopes, "managed_folder", lambda: tmp_path / "no-managed")
    folder = tmp_path / "alone"
    agent(folder, "solo")
    groups = opened(qtbot, window, folder)
    assert groups.panel.rows() == [] and not groups.dock.isVisible()
    assert window.controller.overridden == {}


def test_other_scopes_are_read_only_until_opened_in_a_window_of_their_own(qtbot, window, world):
    project, f = world
    groups = opened(qtbot, window, project)
    before = {p: p.read_bytes() for p in f.values()}
    other = groups.edit_folder(f["user"].parent)
    assert other is not None
    qtbot.addWidget(other)
    other.ask_before_discarding = False
    assert other.team.root == f["user"].parent.resolve()
    assert other.controller.do(ops.SetField("note-taker", "model", "haiku"))
    assert other.team.save() == []
    assert f["user-only"].read_bytes() == before[f["user-only"]].replace(
        b"description: Keeps notes.\n", b"description: Keeps notes.\nmodel: haiku\n")
    assert all(p.read_bytes() == before[p] for p in f.values() if p != f["user-only"])
    assert window.team.root == project.resolve() and not window.team.dirty()
