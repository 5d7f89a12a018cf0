"""The property panel's May start and Observers lists (presenter, no Qt): what they show from
`Agent(...)`/`Task(...)` in tools and `observer:`, and that every add or remove is one model
operation that writes the file's own style, changes only that line and undoes to the same bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.model.team import Team
from app.ui.panels import presenter
from app.ui.panels.presenter import agent_state


def write(folder: Path, name: str, front: str) -> Path:
    path = folder / f"{name}.md"
    path.write_text(f"---\nname: {name}\ndescription: Does {name} work.\n{front}---\n\nBody of {name}.\n",
                    encoding="utf-8", newline="")
    return path


@pytest.fixture
def folder(tmp_path) -> Path:
    folder = tmp_path / "team"
    folder.mkdir()
    write(folder, "lead", "tools: Read, Grep, Task(worker, ghost)\nmodel: sonnet\n")
    write(folder, "listed", "tools:\n  - Read\n  - Agent(worker)\nobserver: [auditor]\n")
    write(folder, "plain", "tools: Read, Edit\n")
    write(folder, "anyone", "model: haiku\n")
    write(folder, "worker", "tools: Read\n")
    write(folder, "auditor", "tools: Read\n")
    write(folder, "scribe", "tools: Read\n")
    return folder


def entries(state, key):
    return [(e.name, e.mark) for e in state.relations[key]]


def apply(team: Team, op):
    assert not isinstance(op, str) and op is not None, op
    return team.apply(op)


def test_the_lists_show_the_files_entries_and_mark_the_unknown(folder):
    team = Team.load(folder)
    lead = agent_state(team, "lead")
    assert entries(lead, "may_start") == [("worker", ""), ("ghost", "unknown")]
    assert entries(lead, "observer") == []
    assert "ghost" not in lead.completions["may_start"] and "scribe" in lead.completions["may_start"]
    listed = agent_state(team, "listed")
    assert entries(listed, "may_start") == [("worker", "")] and entries(listed, "observer") == [("auditor", "")]
    anyone = agent_state(team, "anyone")  # no tools line: every tool, so any agent
    assert anyone.note("may_start").text.startswith("May start any agent") and anyone.completions["may_start"] == ()
    assert presenter.add_relation(team, "anyone", "may_start", "worker") == anyone.note("may_start").text
    plain = agent_state(team, "plain")
    assert plain.note("may_start").text.startswith("None: its tools do not include Agent")


def test_adding_keeps_the_spelling_and_the_style_and_touches_only_that_line(folder):
    team = Team.load(folder)
    before = {p.name: p.read_bytes() for p in folder.glob("*.md")}
    inverse = apply(team, presenter.add_relation(team, "lead", "may_start", "scribe"))
    assert team.agent("lead").text == before["lead.md"].decode().replace(
        "tools: Read, Grep, Task(worker, ghost)\n", "tools: Read, Grep, Task(worker, ghost, scribe)\n")
    apply(team, presenter.add_relation(team, "listed", "may_start", "scribe"))
    assert team.agent("listed").text == before["listed.md"].decode().replace(
        "  - Agent(worker)\n", "  - Agent(worker, scribe)\n")
    apply(team, presenter.add_relation(team, "plain", "may_start", "worker"))  # no entry yet: Agent(…)
    assert team.agent("plain").text == before["plain.md"].decode().replace(
        "tools: Read, Edit\n", "tools: Read, Edit, Agent(worker)\n")
    apply(team, presenter.add_relation(team, "listed", "observer", "scribe"))
    assert team.agent("listed").text == before["listed.md"].decode().replace(
        "  - Agent(worker)\n", "  - Agent(worker, scribe)\n").replace(
        "observer: [auditor]\n", "observer: [auditor, scribe]\n")
    apply(team, presenter.add_relation(team, "worker", "observer", "auditor"))  # a new key, at the end
    assert team.agent("worker").text == before["worker.md"].decode().replace(
        "tools: Read\n", "tools: Read\nobserver: [auditor]\n")
    assert ("spawn", "plain", "worker") in {r.key for r in team.relations()}
    assert ("observer", "worker", "auditor") in {r.key for r in team.relations()}
    # the first step undoes to the very bytes
    team.apply(inverse)
    assert team.agent("lead").text.encode() == before["lead.md"]
    assert team.save() == []
    for p in folder.glob("*.md"):  # files nobody edited are byte-identical on disk
        if p.name in ("scribe.md", "auditor.md", "anyone.md"):
            assert p.read_bytes() == before[p.name]


def test_removing_keeps_the_style_drops_an_emptied_entry_and_takes_unknown_names_out(folder):
    team = Team.load(folder)
    before = {p.name: p.read_bytes().decode() for p in folder.glob("*.md")}
    apply(team, presenter.remove_relation(team, "lead", "may_start", "ghost"))  # no such agent
    assert team.agent("lead").text == before["lead.md"].replace("Task(worker, ghost)", "Task(worker)")
    apply(team, presenter.remove_relation(team, "lead", "may_start", "worker"))  # the last: entry gone
    assert team.agent("lead").text == before["lead.md"].replace(
        "tools: Read, Grep, Task(worker, ghost)\n", "tools: Read, Grep\n")
    apply(team, presenter.remove_relation(team, "listed", "observer", "auditor"))  # the last: key gone
    assert team.agent("listed").text == before["listed.md"].replace("observer: [auditor]\n", "")
    assert not {k for k in (r.key for r in team.relations()) if k[1] in ("lead", "listed") and k[0] != "spawn"}


def test_refusals_are_sentences_and_change_nothing(folder):
    write(folder, "watched", "observer: [worker, auditor, scribe, lead]\n")
    team = Team.load(folder)
    assert presenter.add_relation(team, "lead", "may_start", "lead") == "An agent cannot start or observe itself."
    assert presenter.add_relation(team, "lead", "may_start", "nobody") == "There is no agent named nobody in this team."
    assert presenter.add_relation(team, "lead", "may_start", "worker") == "worker is already in the list."
    assert presenter.add_relation(team, "watched", "observer", "plain") == "Claude Code starts at most four observers."
    assert presenter.declare_both(team, "lead", "may_start", "worker") is None
    assert not team.dirty()


def test_problems_and_the_matrix_find_the_list_a_relation_is_in():
    may, obs = presenter.START_BY_KEY["may_start"], presenter.START_BY_KEY["observer"]
    assert presenter.relation_field(("spawn", "a", "b"), "a") is may and may.path == "may_start"
    assert presenter.relation_field(("observer", "a", "b"), "a") is obs and obs.path == "observer"
    assert presenter.relation_field(("spawn", "a", "b"), "b") is None  # the target's file says nothing
