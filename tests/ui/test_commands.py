"""Undo commands in Qt's idiom: push() applies, an empty or failed change leaves no undo step,
typing merges by a typed id, and the files a step touches are public."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.model import operations as ops
from app.model.team import Team
from app.ui.commands import Merge
from app.ui.controller import Controller

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"


@pytest.fixture
def controller(qtbot, tmp_path):
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE_TEAM, folder)
    c = Controller()
    c.set_team(Team.load(folder))
    return c


def test_push_applies_the_operation_and_undo_puts_the_bytes_back(controller):
    team = controller.team
    before = team.agent("code-reviewer").text
    assert controller.do(ops.SetField("code-reviewer", "model", "opus"))
    assert controller.undo_stack.count() == 1
    assert team.agent("code-reviewer").agent.model == "opus"
    controller.undo_stack.undo()
    assert team.agent("code-reviewer").text == before
    controller.undo_stack.redo()
    assert team.agent("code-reviewer").agent.model == "opus"


def test_a_no_op_edit_leaves_no_undo_step(controller):
    model = controller.team.agent("code-reviewer").agent.model
    assert controller.do(ops.SetField("code-reviewer", "model", model))
    assert controller.undo_stack.count() == 0
    assert controller.do(ops.MoveAgents({}))
    assert controller.undo_stack.count() == 0


def test_a_refused_edit_leaves_no_undo_step_and_says_why(controller, qtbot):
    with qtbot.waitSignal(controller.error) as said:
        assert not controller.do(ops.SetField("nobody", "model", "opus"))
    assert "nobody" in said.args[0]
    assert controller.undo_stack.count() == 0


def test_typing_merges_by_id_and_key_and_the_step_names_its_files(controller):
    team = controller.team
    start = team.agent("code-reviewer").text
    for text in ("R", "Re", "Rev"):
        controller.do(ops.SetField("code-reviewer", "description", text), Merge.TYPING, ("code-reviewer", 1))
    controller.do(ops.SetField("test-engineer", "description", "T"), Merge.TYPING, ("test-engineer", 1))
    assert controller.undo_stack.count() == 2
    assert controller.undo_stack.command(0).files == {"code-reviewer.md"}
    controller.undo_stack.undo()
    controller.undo_stack.undo()
    assert team.agent("code-reviewer").text == start
