"""Every operation: what it changes in the files, its label, and an inverse that restores the bytes."""

from __future__ import annotations

import difflib

import pytest
from teamkit import agent_md, snapshot

from app.model.operations import (
    AddAgent,
    Batch,
    DuplicateAgent,
    Link,
    MoveAgents,
    OperationError,
    RemoveAgent,
    RenameAgent,
    SetField,
    SetPinned,
    Unlink,
    UnsetField,
)
from app.model.team import Team


def texts(team: Team) -> dict[str, str]:
    return {p: f.text for p, f in team.files.items()}


def changed_lines(old: str, new: str) -> list[str]:
    return [ln for ln in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def roundtrip(team: Team, op):
    """Apply op, then its inverse: every text, position and pin is as before. Returns the texts after op."""
    before = texts(team), dict(team.positions), set(team.pinned)
    dirty = team.dirty()
    inverse = team.apply(op)
    after = texts(team)
    redo = team.apply(inverse)
    assert (texts(team), dict(team.positions), set(team.pinned)) == before
    assert team.dirty() == dirty
    team.apply(redo)  # redo gives the same result again
    assert texts(team) == after
    team.apply(inverse)
    return after


@pytest.fixture
def team(sample) -> Team:
    return Team.load(sample)


def test_labels_are_plain_english():
    assert SetField("backend-specialist", "model", "opus").label == "Change model of backend-specialist"
    assert UnsetField("a", "color").label == "Remove color from a"
    assert Link("a", "b").label == "Add hand-off from a to b"
    assert Link("a", "b", kind="parallel").label == "Link a and b in parallel"
    assert Unlink("a", "b").label == "Remove hand-off from a to b"
    assert RenameAgent("a", "b").label == "Rename a to b"
    assert AddAgent("a").label == "Add agent a"
    assert RemoveAgent("a").label == "Delete agent a"
    assert DuplicateAgent("a").label == "Duplicate a"
    assert MoveAgents({"a": (0, 0)}).label == "Move a"
    assert MoveAgents({"a": (0, 0), "b": (1, 1)}).label == "Move 2 agents"
    assert SetPinned(("a",), True).label == "Pin a"


def test_set_field_changes_one_line(team):
    old = texts(team)
    after = roundtrip(team, SetField("backend-specialist", "model", "opus"))
    assert changed_lines(old["backend-specialist.md"], after["backend-specialist.md"]) == [
        "-model: sonnet", "+model: opus"]
    assert [p for p in after if after[p] != old[p]] == ["backend-specialist.md"]


def test_set_field_new_key_appended_and_unset(team):
    old = texts(team)["api-designer.md"]
    after = roundtrip(team, SetField("api-designer", "maxTurns", 5))
    assert changed_lines(old, after["api-designer.md"]) == ["+maxTurns: 5"]
    after = roundtrip(team, UnsetField("api-designer", "color"))
    assert changed_lines(old, after["api-designer.md"]) == ["-color: cyan"]


def test_tools_keep_their_style_and_none_means_all_tools(team):
    old = texts(team)["api-designer.md"]
    assert "tools: Read, Write, Edit, Grep, Glob\n" in old
    after = roundtrip(team, SetField("api-designer", "tools", ["Read", "Grep"]))
    assert changed_lines(old, after["api-designer.md"]) == ["-tools: Read, Write, Edit, Grep, Glob",
                                                            "+tools: Read, Grep"]
    after = roundtrip(team, SetField("api-designer", "tools", []))
    assert changed_lines(old, after["api-designer.md"])[-1] == "+tools: []"
    after = roundtrip(team, SetField("api-designer", "tools", None))
    assert changed_lines(old, after["api-designer.md"]) == ["-tools: Read, Write, Edit, Grep, Glob"]


def test_link_both_sides_by_default(team):
    old = texts(team)
    after = roundtrip(team, Link("api-designer", "docs-sync-agent"))
    assert {p for p in after if after[p] != old[p]} == {"api-designer.md", "docs-sync-agent.md"}
    assert changed_lines(old["api-designer.md"], after["api-designer.md"]) == [
        "-  hands_off_to: [backend-specialist, frontend-specialist]",
        "+  hands_off_to: [backend-specialist, frontend-specialist, docs-sync-agent]"]
    assert changed_lines(old["docs-sync-agent.md"], after["docs-sync-agent.md"])[1].endswith(", api-designer]")
    team.apply(Link("api-designer", "docs-sync-agent"))
    r = [r for r in team.relations() if (r.source, r.target) == ("api-designer", "docs-sync-agent")]
    assert r[0].declared_by == {"api-designer", "docs-sync-agent"}


def test_link_one_sided_and_parallel(team):
    old = texts(team)
    after = roundtrip(team, Link("api-designer", "docs-sync-agent", one_sided=True))
    assert {p for p in after if after[p] != old[p]} == {"api-designer.md"}
    after = roundtrip(team, Link("api-designer", "devops-engineer", kind="parallel"))
    assert {p for p in after if after[p] != old[p]} == {"api-designer.md", "devops-engineer.md"}
    team.apply(Link("api-designer", "devops-engineer", kind="parallel"))
    assert "devops-engineer" in team.agent("api-designer").agent.parallel_with
    assert "api-designer" in team.agent("devops-engineer").agent.parallel_with


def test_link_creates_the_coordination_block(make_team):
    t = make_team({"a.md": agent_md("a"), "b.md": agent_md("b")})
    after = roundtrip(t, Link("a", "b"))
    assert t.agent("a").agent.hands_off_to == []
    t.apply(Link("a", "b"))
    assert t.agent("a").agent.hands_off_to == ["b"]
    assert t.agent("b").agent.receives_from == ["a"]
    assert "coordination:" in after["a.md"]


def test_unlink_removes_every_declaration(make_team):
    t = make_team({
        "a.md": agent_md("a", handoff=["b", "c"]),
        "b.md": agent_md("b", receives=["a"]),
        "c.md": agent_md("c"),
    })
    roundtrip(t, Unlink("a", "b"))
    t.apply(Unlink("a", "b"))
    assert t.agent("a").agent.hands_off_to == ["c"]
    assert t.agent("b").agent.receives_from == []
    assert [(r.source, r.target) for r in t.relations()] == [("a", "c")]
    with pytest.raises(OperationError, match="does not hand work to"):
        t.apply(Unlink("a", "b"))


def test_unlink_a_dangling_reference(make_team):
    t = make_team({"a.md": agent_md("a", handoff=["ghost"])})
    assert [p.code for p in t.problems] == ["unknown-reference"]
    t.apply(Unlink("a", "ghost"))
    assert t.problems == []


def test_rename_follows_every_reference_and_renames_the_file(team):
    team.apply(MoveAgents({"api-designer": (8, 16)}))
    team.apply(SetPinned(("api-designer",), True))
    old = texts(team)
    referencing = {p for p, t in old.items() if "api-designer" in t.split("\n---", 1)[0] and p != "api-designer.md"}
    after = roundtrip(team, RenameAgent("api-designer", "api-architect"))
    assert "api-designer.md" not in after and "api-architect.md" in after
    assert {p for p in after if p in old and after[p] != old[p]} == referencing
    for p in referencing:  # only the coordination lines changed, and only the name in them
        lines = changed_lines(old[p], after[p])
        assert all("coordination" not in ln and ("api-designer" in ln or "api-architect" in ln) for ln in lines)
    assert changed_lines(old["api-designer.md"], after["api-architect.md"]) == ["-name: api-designer",
                                                                              "+name: api-architect"]
    team.apply(RenameAgent("api-designer", "api-architect"))
    assert team.positions["api-architect"] == (8, 16) and "api-designer" not in team.positions
    assert team.pinned == {"api-architect"}
    assert not [p for p in team.problems if p.code == "unknown-reference"]


def test_rename_keeps_the_file_name_when_it_differed(make_team):
    t = make_team({"custom-file.md": agent_md("a"), "b.md": agent_md("b", receives=["a"])})
    t.apply(RenameAgent("a", "z"))
    assert "custom-file.md" in t.files and t.agent("z").path == "custom-file.md"
    assert t.agent("b").agent.receives_from == ["z"]


def test_add_agent_from_template(team):
    after = roundtrip(team, AddAgent("release-manager", description="Ships releases: tags and notes."))
    text = after["release-manager.md"]
    assert text.startswith('---\nname: release-manager\ndescription: "Ships releases: tags and notes."\n'
                           "model: inherit\n---\n")
    team.apply(AddAgent("release-manager", template="reviewer", position=(40, 48)))
    assert team.positions["release-manager"] == (40, 48)
    assert not [p for p in team.problems if p.agent == "release-manager" and p.severity != "info"]


def test_remove_agent_removes_references(team):
    old = texts(team)
    after = roundtrip(team, RemoveAgent("docs-sync-agent"))
    assert "docs-sync-agent.md" not in after
    for p, t in after.items():
        assert "docs-sync-agent" not in t.split("\n---", 1)[0], p
    team.apply(RemoveAgent("docs-sync-agent"))
    assert not [p for p in team.problems if p.severity != "info"]
    assert set(old) - set(after) == {"docs-sync-agent.md"}


def test_duplicate_agent_names(team):
    after = roundtrip(team, DuplicateAgent("api-designer"))
    assert "api-designer-copy.md" in after
    team.apply(DuplicateAgent("api-designer"))
    team.apply(DuplicateAgent("api-designer"))
    assert {"api-designer-copy", "api-designer-copy-2"} <= set(team.names())
    old = texts(team)["api-designer.md"]
    assert changed_lines(old, texts(team)["api-designer-copy-2.md"]) == ["-name: api-designer",
                                                                        "+name: api-designer-copy-2"]


def test_move_and_pin_inverses(team):
    inverse = team.apply(MoveAgents({"api-designer": (8, 8)}))
    assert team.positions == {"api-designer": (8, 8)}
    team.apply(inverse)
    assert team.positions == {}
    inverse = team.apply(SetPinned(("api-designer", "code-reviewer"), True))
    assert team.pinned == {"api-designer", "code-reviewer"}
    team.apply(inverse)
    assert team.pinned == set()


@pytest.mark.parametrize("op, message", [
    (SetField("nobody", "model", "opus"), "no agent named 'nobody'"),
    (Link("api-designer", "api-designer"), "itself"),
    (Link("api-designer", "nobody"), "no agent named"),
    (Link("api-designer", "backend-specialist"), "already"),
    (RenameAgent("api-designer", "backend-specialist"), "already an agent named backend-specialist"),
    (RenameAgent("api-designer", "con"), "device names on Windows"),
    (RenameAgent("api-designer", "api:designer"), 'may not contain ":"'),
    (AddAgent("backend-specialist"), "already an agent"),
    (AddAgent("-bad"), 'may not start with "-"'),
    (AddAgent("lpt1.md"), "device names on Windows"),
    (AddAgent("x" * 65), "at most 64 characters"),
    (DuplicateAgent("api-designer", "backend-specialist"), "already an agent"),
    (UnsetField("api-designer", "name"), "without a name"),
])
def test_refusals_leave_the_team_unchanged(team, op, message):
    before = texts(team), dict(team.positions)
    with pytest.raises(OperationError, match=message):
        team.apply(op)
    assert (texts(team), dict(team.positions)) == before
    assert not team.dirty()


def test_batch_is_one_step_and_all_or_nothing(team):
    before = texts(team)
    ops = (SetField("api-designer", "model", "opus"), Link("api-designer", "docs-sync-agent"))
    inverse = team.apply(Batch("Two things", ops))
    assert texts(team) != before
    team.apply(inverse)
    assert texts(team) == before
    with pytest.raises(OperationError):
        team.apply(Batch("Fails halfway", (SetField("api-designer", "model", "opus"), Link("a", "a"))))
    assert texts(team) == before


def test_undo_restores_exact_bytes_on_disk(sample):
    before = snapshot(sample)
    team = Team.load(sample)
    inverses = [team.apply(op) for op in (
        RenameAgent("api-designer", "api-architect"),
        RemoveAgent("docs-sync-agent"),
        AddAgent("new-one"),
        SetField("backend-specialist", "tools", ["Read"]),
    )]
    assert team.save() == []
    for inverse in reversed(inverses):
        team.apply(inverse)
    assert team.save() == []
    assert snapshot(sample) == before
