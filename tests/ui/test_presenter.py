"""The property panel's presenter without Qt: what it shows for an agent, and the operations the
user's intents become. Every check is on the model and the files the operations write."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from app.model import operations as ops
from app.model.team import Team
from app.ui.panels import presenter
from app.ui.panels.presenter import MISSING, agent_state, change


def write(folder: Path, name: str, front: str, body: str = "Body.\n") -> None:
    (folder / f"{name}.md").write_text(f"---\nname: {name}\n{front}---\n\n{body}", encoding="utf-8")


@pytest.fixture
def team(tmp_path) -> Team:
    folder = tmp_path / "team"
    folder.mkdir()
    write(folder, "planner", "description: Plans.\nmodel: sonnet\nskills: a,b\n"
                             "coordination:\n  hands_off_to: [builder, ghost, planner]\n")
    # builder does not list planner under receives_from: the hand-off is one-sided
    write(folder, "builder", "description: Builds.\ncoordination:\n  parallel_with: [writer]\n")
    write(folder, "writer", "description: ''\ncoordination:\n  parallel_with: [builder]\nvoice: calm\n")
    return Team.load(folder)


def frontmatter(team: Team, name: str) -> str:
    af = team.agent(name)
    assert af is not None
    return af.text.split("---\n")[1]


def test_the_presenter_runs_without_qt():
    code = ("import sys, app.ui.panels.presenter; "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "[]"


def test_state_shows_values_notes_and_marks(team):
    state = agent_state(team, "planner")
    assert state is not None and state.editable and state.banner is None
    assert state.values["name"] == "planner" and state.values["model"] == "sonnet"
    assert state.values["maxTurns"] is MISSING and state.values["skills"] == "a,b"
    assert state.note("model").text == "" and state.note("description").text == ""
    marks = {e.name: (e.mark, e.level) for e in state.relations["hands_off_to"]}
    assert marks == {"builder": ("one-sided", "warning"), "ghost": ("unknown", "error"),
                     "planner": ("itself", "warning")}
    builder = next(e for e in state.relations["hands_off_to"] if e.name == "builder")
    assert builder.short == "not declared back" and "receives-from" in builder.note
    # seen from the other side, the same relation is "only in their file"
    back = agent_state(team, "builder")
    assert back is not None
    assert [(e.name, e.short, e.mark) for e in back.relations["receives_from"]] == [
        ("planner", "only in their file", "one-sided")]
    assert [(e.name, e.mark) for e in back.relations["parallel_with"]] == [("writer", "")]
    assert back.completions["parallel_with"] == ("planner",)


def test_state_notes_a_missing_description_and_other_settings(team):
    state = agent_state(team, "writer")
    assert state is not None
    assert state.note("description").level == "error"
    assert state.extra == (("voice", "calm"),) and state.note("extra").level == "info"


@pytest.mark.parametrize("model", ["sonnet", "inherit", "claude-sonnet-4-5", "claude-Sonnet", "gpt-4",
                                   "claude-", "claude-opus-4-1[1m]"])
def test_the_model_note_agrees_with_validation(tmp_path, model):
    folder = tmp_path / "t"
    folder.mkdir()
    write(folder, "a", f"description: A.\nmodel: '{model}'\n")
    team = Team.load(folder)
    state = agent_state(team, "a")
    assert state is not None
    flagged = any(p.code == "unknown-model" for p in team.problems)
    assert (state.note("model").level == "warning") == flagged
    assert bool(state.note("model").text) == flagged


def test_read_only_when_the_yaml_is_invalid(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    # An indented line with ": ": beyond what Claude Code's fallback reads.
    (folder / "b.md").write_text("---\nname: b\ndescription: Use it\n  when: it breaks\n---\n\nBody.\n")
    state = agent_state(Team.load(folder), "b")
    assert state is not None and not state.editable
    assert state.banner is not None and "line 4" in state.banner.lower()


def test_an_unchanged_value_is_no_operation(team):
    assert change(team, "planner", "model", "sonnet") is None
    assert change(team, "planner", "model", "  sonnet ") is None
    assert change(team, "planner", "maxTurns", 0) is None  # not set, and 0 means not set
    assert change(team, "planner", "skills", "a, b") is None  # the same names, written differently
    shown = agent_state(team, "planner").body
    assert shown.endswith("Body.\n")
    assert change(team, "planner", "body", shown[:-1]) is None  # only the final newline differs
    assert change(team, "planner", "color", None) is None


def test_edits_become_the_operations_that_write_them(team):
    team.apply(change(team, "planner", "model", "opus"))
    assert "model: opus\n" in frontmatter(team, "planner")
    team.apply(change(team, "planner", "model", ""))
    assert "model:" not in frontmatter(team, "planner")
    team.apply(change(team, "planner", "skills", "a, b, c"))
    assert "skills: a, b, c\n" in frontmatter(team, "planner")  # the text form is kept
    team.apply(change(team, "planner", "maxTurns", 12))
    assert "maxTurns: 12\n" in frontmatter(team, "planner")
    team.apply(change(team, "planner", "tools", ["Read", "Grep"]))
    assert "tools: [Read, Grep]\n" in frontmatter(team, "planner")
    team.apply(change(team, "planner", "background", True))
    assert "background: true\n" in frontmatter(team, "planner")
    team.apply(change(team, "planner", "initialPrompt", "Start."))
    assert "initialPrompt: Start.\n" in frontmatter(team, "planner")
    team.apply(change(team, "planner", "initialPrompt", ""))  # an empty text unsets it
    assert "initialPrompt" not in frontmatter(team, "planner")
    op = change(team, "writer", "description", "Writes.")
    assert isinstance(op, ops.SetField)
    team.apply(op)
    assert "description: 'Writes.'\n" in frontmatter(team, "writer")  # its quotes kept


def test_relation_intents_name_the_right_direction(team):
    add = presenter.add_relation(team, "writer", "receives_from", "planner")
    assert isinstance(add, ops.Link) and (add.source, add.target, add.kind) == ("planner", "writer", "handoff")
    team.apply(add)
    writer = team.agent("writer")
    planner = team.agent("planner")
    assert writer is not None and writer.agent is not None and planner is not None and planner.agent is not None
    assert writer.agent.receives_from == ["planner"] and "writer" in planner.agent.hands_off_to
    assert presenter.add_relation(team, "writer", "hands_off_to", "writer") == (
        "An agent cannot hand off to or work alongside itself.")
    assert presenter.add_relation(team, "writer", "hands_off_to", "nobody") == (
        "There is no agent named nobody in this team.")
    # declaring a one-sided hand-off on both sides adds planner to builder's receives_from
    team.apply(presenter.declare_both(team, "builder", "receives_from", "planner"))
    builder = team.agent("builder")
    assert builder is not None and builder.agent is not None and builder.agent.receives_from == ["planner"]
    # removing a name of no agent drops only that entry of this file's list
    team.apply(presenter.remove_relation(team, "planner", "hands_off_to", "ghost"))
    planner = team.agent("planner")
    assert planner is not None and planner.agent is not None
    assert planner.agent.hands_off_to == ["builder", "planner", "writer"]
    # removing a real relation takes it out of both files
    team.apply(presenter.remove_relation(team, "builder", "parallel_with", "writer"))
    assert ("parallel", "builder", "writer") not in {r.key for r in team.relations()}


def test_relation_table_maps_lists_to_relations():
    fields = presenter.RELATION_BY_KEY
    assert fields["hands_off_to"].relation("a", "b") == ("handoff", "a", "b")
    assert fields["receives_from"].relation("a", "b") == ("handoff", "b", "a")
    assert fields["parallel_with"].relation("b", "a") == ("parallel", "a", "b")
    for key, f in fields.items():
        assert presenter.relation_field(f.relation("a", "b"), "a") is f, key


def test_rename_intent(team):
    assert presenter.rename(team, "writer", "writer") is None
    assert presenter.rename(team, "writer", "writer:two") is None  # Claude Code would not load it
    assert presenter.rename(team, "writer", "nul") is None  # Windows cannot create nul.md
    assert presenter.rename(team, "writer", "builder") is None
    assert presenter.name_reason(team, "writer", "builder") == "Another agent is already called builder."
    op = presenter.rename(team, "writer", " scribe ")
    assert isinstance(op, ops.RenameAgent) and op.new == "scribe"
    team.apply(op)
    assert team.agent("scribe") is not None and team.last_change.renamed == (("writer", "scribe"),)


def test_a_name_two_files_share_is_an_error_under_the_name_naming_both(tmp_path):
    folder = tmp_path / "team"
    (folder / "sub").mkdir(parents=True)
    write(folder, "twin", "description: First.\n")
    (folder / "sub" / "copy.md").write_text("---\nname: twin\ndescription: Second.\n---\n", encoding="utf-8")
    write(folder, "solo", "description: Alone.\n")
    team = Team.load(folder)
    state = agent_state(team, "twin")
    assert state is not None
    note = state.note("name")
    assert note.level == "error"
    assert "Claude Code loads only one of them" in note.text
    assert "twin.md" in note.text and "sub/copy.md" in note.text
    solo = agent_state(team, "solo")
    assert solo is not None and solo.note("name").text == ""
