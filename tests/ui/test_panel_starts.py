"""The property panel's May start and Observers lists, used as a user would: each Add or Remove is
one undo step that writes the file's own style on its own line; undo gives the bytes back."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.model.team import Team
from app.ui.controller import Controller
from app.ui.panels.properties import PropertyPanel


def write(folder: Path, name: str, front: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"---\nname: {name}\ndescription: Does {name} work.\n{front}---\n\nBody.\n", encoding="utf-8")
    return path


@pytest.fixture
def env(qtbot, tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    write(folder, "lead", "tools: Read, Task(worker)\nobserver:\n  - auditor\n")
    for name in ("worker", "auditor", "scribe"):
        write(folder, name, "tools: Read\n")
    controller = Controller()
    props = PropertyPanel(controller)
    qtbot.addWidget(props)
    props.resize(420, 900)
    controller.set_team(Team.load(folder))
    controller.select(["lead"])
    return controller, props, folder


def changed_lines(before: str, after: str) -> list[str]:
    diff = difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0)
    return [ln for ln in diff if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def add(widget, name: str) -> None:
    widget.add_line.setText(name)
    widget.add_button.click()


def remove(widget, name: str) -> None:
    for i in range(widget.list.count()):
        item = widget.list.item(i)
        item.setSelected(item.data(Qt.ItemDataRole.UserRole) == name)
    widget.remove_button.click()


def test_add_and_remove_through_the_panel_are_undoable_single_line_edits(env):
    controller, props, folder = env
    team = controller.team
    before = (folder / "lead.md").read_text()
    form = props.form
    assert form.may_start.names() == ["worker"] and form.observers.names() == ["auditor"]
    add(form.may_start, "scribe")
    assert changed_lines(before, team.agent("lead").text) == ["-tools: Read, Task(worker)",
                                                              "+tools: Read, Task(worker, scribe)"]
    assert controller.undo_stack.count() == 1 and form.may_start.names() == ["worker", "scribe"]
    assert form.may_start.add_line.text() == ""
    add(form.observers, "scribe")
    assert changed_lines(before, team.agent("lead").text) == [
        "-tools: Read, Task(worker)", "+tools: Read, Task(worker, scribe)", "+  - scribe"]
    assert team.agent("lead").agent.observer == ["auditor", "scribe"]
    assert "  - auditor\n  - scribe\n" in team.agent("lead").text  # a block list stays a block list
    remove(form.may_start, "worker")
    assert "tools: Read, Task(scribe)\n" in team.agent("lead").text
    assert controller.undo_stack.count() == 3
    assert {r.key for r in team.relations() if r.source == "lead"} == {
        ("spawn", "lead", "scribe"), ("observer", "lead", "auditor"), ("observer", "lead", "scribe")}
    for _ in range(3):
        controller.undo_stack.undo()
    assert team.agent("lead").text == before and form.may_start.names() == ["worker"]
    assert not team.dirty()


def test_a_refusal_is_said_under_the_list_and_writes_nothing(env):
    controller, props, _folder = env
    form = props.form
    add(form.may_start, "worker")
    assert form.notes["may_start"].text() == "worker is already in the list."
    add(form.observers, "nobody")
    assert form.notes["observer"].text() == "There is no agent named nobody in this team."
    assert controller.undo_stack.count() == 0 and not controller.team.dirty()
