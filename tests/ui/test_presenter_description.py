"""The description field and the literal "\\n" escapes Claude Code's /agents wizard writes (plain
pytest: the presenter is Qt-free)."""

from __future__ import annotations

import difflib

import pytest

from app.model.team import Team
from app.ui.panels.presenter import agent_state, change

ESCAPED = "Use this agent when tests fail. Examples:\\n\\n<example>\\nContext: red CI\\n</example>"
SHOWN = "Use this agent when tests fail. Examples:\n\n<example>\nContext: red CI\n</example>"


def _team(tmp_path, description_line: str) -> Team:
    (tmp_path / "t.md").write_text(f"---\nname: t\n{description_line}\nmodel: sonnet\n---\n\nBody.\n",
                                   encoding="utf-8")
    return Team.load(tmp_path)


def test_escapes_show_as_line_breaks_and_an_untouched_description_is_no_edit(tmp_path):
    team = _team(tmp_path, f"description: {ESCAPED}")
    state = agent_state(team, "t")
    assert state.editable and state.values["description"] == SHOWN
    assert change(team, "t", "description", SHOWN) is None  # the text the panel shows, unchanged


def _changes(before: str, after: str):
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    ops = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    return [(tag, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in ops if tag != "equal"]


def test_an_edited_description_is_written_as_typed_and_the_other_lines_stay(tmp_path):
    team = _team(tmp_path, f"description: {ESCAPED}")
    before = team.agent("t").text
    typed = SHOWN.replace("red CI", "a failing build")
    team.apply(change(team, "t", "description", typed))
    f = team.agent("t")
    assert f.agent.description == typed and not f.lenient
    [(_tag, removed, added)] = _changes(before, f.text)
    assert removed == [f"description: {ESCAPED}\n"] and added[0].startswith("description: |")
    assert agent_state(team, "t").values["description"] == typed


@pytest.mark.parametrize("line", [
    "description: 'Single: quoted\\n stays'",        # quoted: what is written is what is meant
    "description: |\n  Block\\n stays",
    "description: Keeps C:\\new\\folder as written",  # a path, not escapes
    "description: No escapes here",
])
def test_other_descriptions_show_exactly_as_read(tmp_path, line):
    team = _team(tmp_path, line)
    agent = team.agent("t").agent
    assert agent_state(team, "t").values["description"] == agent.description
    assert change(team, "t", "description", agent.description) is None
