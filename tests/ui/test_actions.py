"""The canvas actions and the first placement of a team, driven through the controller only (no
view, no window): what they do is checked on the model and the files."""

from __future__ import annotations

import json
from pathlib import Path

from app.model import operations as ops
from app.model.team import Team
from app.ui.actions import CanvasActions
from app.ui.controller import Controller


def write(folder: Path, name: str, to: list[str] = (), receives: list[str] = ()) -> None:  # type: ignore[assignment]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(
        f"---\nname: {name}\ndescription: The {name}.\ncoordination:\n"
        f"  hands_off_to: [{', '.join(to)}]\n  receives_from: [{', '.join(receives)}]\n---\n\nBody.\n",
        encoding="utf-8")


def three(folder: Path) -> Path:
    write(folder, "a", to=["b"])
    write(folder, "b", to=["c"], receives=["a"])
    write(folder, "c", receives=["b"])
    return folder


def test_opening_places_every_agent_before_the_team_is_shown(qtbot, tmp_path):
    folder = three(tmp_path / "t")
    controller = Controller()
    seen: list[dict] = []
    changes: list[object] = []
    controller.teamOpened.connect(lambda team: seen.append(dict(team.positions)))
    controller.teamChanged.connect(changes.append)
    team = Team.load(folder)
    assert dict(team.positions) == {}
    controller.set_team(team)
    assert len(seen) == 1 and set(seen[0]) == {"a", "b", "c"}  # placed when the views first see it
    assert seen[0]["a"][0] < seen[0]["b"][0] < seen[0]["c"][0]  # along the hand-offs
    assert changes == []  # no change notice: the views draw it as opened
    assert controller.undo_stack.count() == 0  # nothing to undo
    assert not team.dirty() and not team.layout_dirty()  # and nothing unsaved
    assert not (folder / ".agent-canvas.json").exists()


def test_opening_keeps_saved_positions_and_places_only_new_agents(qtbot, tmp_path):
    folder = three(tmp_path / "t")
    first = Controller()
    first.set_team(Team.load(folder))
    assert first.team is not None
    assert first.do(ops.MoveAgents({"a": (800.0, 96.0)}))  # a position the user chose, saved
    assert first.team.save() == []
    saved = json.loads((folder / ".agent-canvas.json").read_text())
    write(folder, "d")  # a new agent appears in the folder
    controller = Controller()
    team = Team.load(folder)
    controller.set_team(team)
    assert team.positions["a"] == (800.0, 96.0)
    assert "d" in team.positions and team.positions["d"] not in {team.positions[n] for n in "abc"}
    assert not team.dirty() and controller.undo_stack.count() == 0
    assert json.loads((folder / ".agent-canvas.json").read_text()) == saved


def test_actions_make_one_undo_step_each(qtbot, tmp_path):
    folder = three(tmp_path / "t")
    controller = Controller()
    actions = CanvasActions(controller)
    controller.set_team(Team.load(folder))
    team = controller.team
    assert team is not None
    assert actions.new_agent((0.0, 0.0)) == "new-agent"
    assert controller.selection == ["new-agent"]
    assert actions.duplicate(["c"]) == ["c-copy"] and controller.selection == ["c-copy"]
    assert actions.set_pinned(["a"], True) and "a" in team.pinned
    # deleting b with the relation a → b selected: the relation goes with b, one step
    assert actions.delete(["b"], [("handoff", "a", "b")])
    a = team.agent("a")
    assert team.agent("b") is None and a is not None and a.agent is not None and a.agent.hands_off_to == []
    assert controller.undo_stack.count() == 4
    controller.undo_stack.undo()
    assert team.agent("b") is not None and {r.key for r in team.relations()} >= {("handoff", "a", "b")}
    assert actions.unlink([("handoff", "a", "b"), ("handoff", "b", "c")])
    assert {r.key for r in team.relations()} == {("handoff", "b", "c-copy")}  # the copy's own
    assert controller.undo_stack.count() == 4  # the undone delete was replaced by the unlink


def test_link_refuses_in_words(qtbot, tmp_path):
    controller = Controller()
    actions = CanvasActions(controller)
    controller.set_team(Team.load(three(tmp_path / "t")))
    errors: list[str] = []
    controller.error.connect(errors.append)
    assert not actions.link("a", "b", "handoff")
    assert not actions.link("a", "a", "handoff")
    assert not actions.link("a", "zed", "parallel")
    assert errors == ["a hands off to b already.", "An agent cannot hand off to itself.",
                      "There is no agent called zed."]
    assert actions.link("a", "c", "parallel")
    assert controller.team is not None and ("parallel", "a", "c") in {r.key for r in controller.team.relations()}
    assert controller.undo_stack.count() == 1


def test_deleting_asks_once_saying_what_else_changes(qtbot, tmp_path):
    asked: list[str] = []
    answer = [False]
    controller = Controller()
    actions = CanvasActions(controller, confirm=lambda title, question: asked.append(question) or answer[0])
    controller.set_team(Team.load(three(tmp_path / "t")))
    team = controller.team
    assert team is not None
    assert not actions.delete(["a", "b"])
    assert asked[0].startswith("Delete 2 agents (a, b)?")
    assert "1 other agent (c) receives work from them; that reference will be removed." in asked[0]
    assert team.agent("a") is not None and controller.undo_stack.count() == 0  # "no" changes nothing
    answer[0] = True
    assert actions.delete(["b"])  # one agent: asked too, once
    assert len(asked) == 2 and asked[1].startswith("Delete b?")
    assert "1 other agent (a) hands work to it; that reference will be removed." in asked[1]
    assert "1 other agent (c) receives work from it; that reference will be removed." in asked[1]
    assert team.agent("b") is None and controller.undo_stack.count() == 1


def overlaps(team, name: str) -> list[str]:
    x, y = team.positions[name]
    return [n for n, (ox, oy) in team.positions.items()
            if n != name and abs(ox - x) < 240 and abs(oy - y) < 84]


def test_new_and_duplicated_cards_never_land_on_another(qtbot, tmp_path):
    controller = Controller()
    actions = CanvasActions(controller)
    controller.set_team(Team.load(three(tmp_path / "t")))
    team = controller.team
    assert team is not None
    ax, ay = team.positions["a"]
    name = actions.new_agent((ax + 120, ay + 42))  # right on top of a's card
    assert name is not None and overlaps(team, name) == []
    copies = actions.duplicate(["a", "b"], near=(ax + 120, ay + 42))
    assert len(copies) == 2 and all(overlaps(team, c) == [] for c in copies)
    assert controller.undo_stack.count() == 2  # the copies and their places: one step
    assert actions.duplicate(["c"]) == ["c-copy"] and overlaps(team, "c-copy") == []  # near c itself
    controller.undo_stack.undo()
    assert team.agent("c-copy") is None and "c-copy" not in team.positions
