"""The guided new-agent rules, without Qt: names suggested from plain words, the checks that
keep half-made agents out, tool groups, starting points, and the one operation that creates an
agent (checked on the file written by save)."""

from __future__ import annotations

import shutil
from pathlib import Path

import frontmatter
import pytest

from app.model import new_agent as na
from app.model.operations import OperationError
from app.model.team import Team

SAMPLE = Path(__file__).resolve().parents[2] / "agents"


@pytest.fixture
def team(tmp_path) -> Team:
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE, folder)
    return Team.load(folder)


@pytest.mark.parametrize("words, name", [
    ("Customer Support Bot", "customer-support-bot"),
    ("  Answer the customers' e-mails, politely!  ", "answer-customers-e-mails"),
    ("Café menu écrivain", "cafe-menu-ecrivain"),
    ("An agent that reviews pull requests for security problems", "reviews-pull-requests-security"),
    ("the", "the"),
    ("???", "new-agent"),
    ("", "new-agent"),
])
def test_suggest_name(words, name):
    assert na.suggest_name(words) == name


def test_a_taken_suggestion_gets_a_number():
    assert na.suggest_name("Code reviewer", ["code-reviewer", "code-reviewer-2"]) == "code-reviewer-3"


def test_name_message_uses_the_name_rule_and_the_team(team):
    assert na.name_message("customer-support-bot", team) is None
    assert na.name_message("", team) == "Type a name."
    assert "lowercase letters" in (na.name_message("Customer Bot", team) or "")
    assert na.name_message("code-reviewer", team) == "There is already an agent called code-reviewer in this team."
    (team.root / "notes.md").write_text("no frontmatter here\n")
    assert na.name_message("notes", team) == "The team folder already has a file called notes.md."


def test_description_must_be_the_users_own_words():
    assert na.description_message("") is not None
    assert na.description_message(na.DESCRIPTION_EXAMPLE) is not None  # the placeholder example
    assert na.description_message("Describe what this agent does and when Claude should use it.") is not None
    assert na.description_message("Short.") is not None
    copied = "Reviews changes for correctness. Use on every change."
    assert na.description_message(copied, template_description=copied) is not None
    assert na.description_message("Answers questions about orders. Use when a customer writes in.") is None
    assert na.description_hint("Answers questions about orders and refunds.") is not None
    assert na.description_hint("Answers questions. Use when a customer writes in.") is None


def test_tool_groups():
    assert na.tools_for(["read"]) == ["Read", "Grep", "Glob"]
    assert na.tools_for(["read", "run", "web"]) == ["Read", "Grep", "Glob", "Bash", "WebSearch", "WebFetch"]
    assert na.tools_for(["read", "everything"]) is None  # the key left out: every tool
    assert na.groups_for(None) == {"everything"}
    assert na.groups_for(["Read", "Bash", "TodoWrite"]) == {"read", "run"}


def test_the_sample_roles_are_starting_points():
    starters = na.sample_starters(SAMPLE)
    assert sorted(s.source for s in starters) == sorted(p.stem for p in SAMPLE.glob("*.md"))
    reviewer = next(s for s in starters if s.source == "code-reviewer")
    assert reviewer.tools == ("Read", "Grep", "Glob") and reviewer.model == "inherit" and reviewer.body


def test_create_writes_one_complete_file_in_one_undo_step(team):
    spec = na.NewAgent("Customer support bot", "customer-support-bot",
                       "Answers customer questions about orders. Use when a customer writes in.",
                       model="haiku", tools=tuple(na.tools_for(["read", "web"]) or ()), color="pink")
    before = {p: f.text for p, f in team.files.items()}
    inverse = team.apply(na.create_operation(spec, team, near=(0.0, 0.0)))
    assert team.save() == []
    post = frontmatter.load(team.root / "customer-support-bot.md")
    assert post.metadata == {
        "name": "customer-support-bot",
        "description": "Answers customer questions about orders. Use when a customer writes in.",
        "model": "haiku", "tools": "Read, Grep, Glob, WebSearch, WebFetch", "color": "pink"}
    assert post.content.startswith("You are customer-support-bot. What you do: Customer support bot.")
    team.apply(inverse)  # one inverse undoes it all
    assert {p: f.text for p, f in team.files.items()} == before


def test_a_copy_gets_the_final_name_in_its_instructions(team):
    source = next(s for s in na.team_starters(team) if s.source == "code-reviewer")
    source = na.Starter(source.label, source.source, source.description, source.model, source.tools,
                        source.color, source.body + "\ncode-reviewer signs off; code-reviewers do not.\n")
    spec = na.NewAgent("", "style-reviewer", "Reviews style only. Use after formatting changes.",
                       model="opus", tools=None, color=source.color, starter=source)
    team.apply(na.create_operation(spec, team))
    assert team.save() == []
    post = frontmatter.load(team.root / "style-reviewer.md")
    assert "tools" not in post.metadata and post.metadata["model"] == "opus"
    assert post.metadata["color"] == "blue"  # the colour of the agent it started from
    assert "style-reviewer signs off; code-reviewers do not." in post.content


def test_it_cannot_be_created_half_made(team):
    for spec in (na.NewAgent("x", "Bad Name", "Answers questions. Use when asked."),
                 na.NewAgent("x", "helper", ""),
                 na.NewAgent("x", "helper", "Describe what this agent does and when Claude should use it."),
                 na.NewAgent("x", "helper", "Answers questions. Use when asked.", tools=())):
        with pytest.raises(OperationError):
            na.create_operation(spec, team)
    assert not team.dirty()


def test_the_card_goes_in_free_space(team):
    team.apply(na.create_operation(na.NewAgent("", "a-new-one", "Does one thing well. Use for that thing."),
                                   team, near=team.positions.get("code-reviewer", (0.0, 0.0))))
    new = team.positions["a-new-one"]
    assert all(abs(new[0] - x) >= 240 or abs(new[1] - y) >= 84
               for n, (x, y) in team.positions.items() if n != "a-new-one")
