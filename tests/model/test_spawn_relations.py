"""May-start (Agent(...) in tools) and observer relations: read as relations of their own kinds,
never one-sided, unknown targets reported, edited in the file's own style, exported with their
kind — checked against the files' YAML."""

from __future__ import annotations

import json

import pytest
import yaml
from teamkit import write

from app.io.document import parse_document
from app.model.export import to_json
from app.model.operations import Link, OperationError, Unlink
from app.model.spawn import spawn_targets, tool_entries
from app.model.team import Team


def md(name: str, extra: str = "") -> str:
    return f"---\nname: {name}\ndescription: Does {name} work.\n{extra}---\n\nBody.\n"


def frontmatter(path) -> dict:
    return yaml.safe_load(parse_document(path.read_text(encoding="utf-8")).frontmatter)


@pytest.fixture
def team(tmp_path):
    write(tmp_path, {
        "lead.md": md("lead", "tools: Read, Grep, Agent(worker, researcher, ghost)\nobserver: [auditor]\n"),
        "listy.md": md("listy", "tools:\n  - Read\n  - Task(worker)\n"),
        "worker.md": md("worker", "tools: Read\n"),
        "researcher.md": md("researcher"),
        "auditor.md": md("auditor"),
    })
    return Team.load(tmp_path)


def test_tools_split_outside_parentheses():
    assert tool_entries("Read, Agent(a, b), Bash") == ["Read", "Agent(a, b)", "Bash"]
    assert spawn_targets(["Read", "Task(x,y)", "Agent(y, z)"]) == ["x", "y", "z"]
    assert spawn_targets("Read, Agent") == []


def test_spawn_and_observer_relations_are_read_and_never_one_sided(team):
    rels = {(r.kind, r.source, r.target): r for r in team.relations()}
    assert set(rels) == {("spawn", "lead", "worker"), ("spawn", "lead", "researcher"),
                         ("spawn", "listy", "worker"), ("observer", "lead", "auditor")}
    assert not any(r.one_sided for r in rels.values())
    assert not [p for p in team.problems if p.code.startswith("asymmetric")]
    [unknown] = [p for p in team.problems if p.code == "unknown-reference"]
    assert unknown.agent == "lead" and unknown.other == "ghost" and unknown.field == "tools"
    assert team.agent("lead").agent.tool_names() == ["Read", "Grep", "Agent(worker, researcher, ghost)"]
    kinds = {r["kind"] for r in json.loads(to_json(team))["relations"]}
    assert kinds == {"spawn", "observer"}


def test_linking_writes_tools_in_the_files_own_style(team):
    root = team.root
    team.apply(Link("lead", "auditor", "spawn"))
    team.apply(Link("listy", "researcher", "spawn"))
    team.apply(Link("worker", "researcher", "spawn"))
    team.apply(Link("lead", "worker", "observer"))
    assert team.save() == []
    assert frontmatter(root / "lead.md")["tools"] == "Read, Grep, Agent(worker, researcher, ghost, auditor)"
    assert frontmatter(root / "listy.md")["tools"] == ["Read", "Task(worker, researcher)"]
    assert frontmatter(root / "worker.md")["tools"] == "Read, Agent(researcher)"
    assert frontmatter(root / "lead.md")["observer"] == ["auditor", "worker"]
    team.apply(Unlink("listy", "worker", "spawn"))
    team.apply(Unlink("lead", "auditor", "observer"))
    team.apply(Unlink("lead", "worker", "observer"))
    assert team.save() == []
    assert frontmatter(root / "listy.md")["tools"] == ["Read", "Task(researcher)"]
    assert "observer" not in frontmatter(root / "lead.md")


def test_an_agent_with_every_tool_is_not_narrowed_by_a_link(team):
    with pytest.raises(OperationError, match="may already start any agent"):
        team.apply(Link("researcher", "worker", "spawn"))  # no tools key: every tool, Agent included
    assert "tools" not in frontmatter(team.root / "researcher.md")


def test_with_target_writes_the_values_own_style_and_spelling():
    from app.model.spawn import with_target

    assert with_target("Read, Task(a)", "b", True) == "Read, Task(a, b)"
    assert with_target(["Read", "Agent(a)"], "b", True) == ["Read", "Agent(a, b)"]
    assert with_target("Read", "b", True) == "Read, Agent(b)"
    assert with_target("Read, Agent(a), Task(b, c)", "d", True) == "Read, Agent(a, d), Task(b, c)"
    # removing reaches a name in any entry, and an entry left empty goes
    assert with_target("Read, Agent(a), Task(b, c)", "b", False) == "Read, Agent(a), Task(c)"
    assert with_target(["Agent(a)", "Read"], "a", False) == ["Read"]
