"""The relation matrix (app/model/relation_matrix.py), checked against hand-written teams: what
each cell must show is read off the file texts below, not from the code under test."""

from __future__ import annotations

import pytest
from teamkit import agent_md, write

from app.model.fixes import one_sided_fixes
from app.model.operations import Link
from app.model.relation_matrix import Mark, RelationMatrix, order_names
from app.model.team import Team


@pytest.fixture
def team(tmp_path):
    write(tmp_path, {
        # lead → builder declared by both; lead → tester only by lead; lead → writer only by writer
        "lead.md": agent_md("lead", handoff=["builder", "tester"], parallel=["planner"],
                            extra="tools: Read, Agent(builder)\nobserver: [auditor]"),
        "builder.md": agent_md("builder", receives=["lead"]),
        "tester.md": agent_md("tester"),
        "writer.md": agent_md("writer", receives=["lead"]),
        "planner.md": agent_md("planner"),  # does not list lead back: a one-sided parallel
        "ops/auditor.md": agent_md("auditor"),
    })
    return Team.load(tmp_path)


def cell(m: RelationMatrix, row: str, column: str) -> set[tuple[str, str, str]]:
    return {(k.kind, k.direction, k.declared) for k in m.marks(row, column)}


def test_each_cell_says_the_kind_the_direction_and_who_declares_it(team):
    m = RelationMatrix.of_team(team)
    assert cell(m, "lead", "builder") == {("handoff", "out", "both"), ("spawn", "out", "row")}
    assert cell(m, "builder", "lead") == {("handoff", "in", "both"), ("spawn", "in", "column")}
    assert cell(m, "lead", "tester") == {("handoff", "out", "row")}
    assert cell(m, "tester", "lead") == {("handoff", "in", "column")}
    assert cell(m, "lead", "writer") == {("handoff", "out", "column")}  # only writer's receives_from
    assert cell(m, "writer", "lead") == {("handoff", "in", "row")}
    assert cell(m, "lead", "planner") == {("parallel", "both", "row")}
    assert cell(m, "planner", "lead") == {("parallel", "both", "column")}
    assert cell(m, "lead", "auditor") == {("observer", "out", "row")}
    assert cell(m, "tester", "writer") == set()
    assert cell(m, "lead", "lead") == set()


def test_only_the_two_sided_kinds_are_ever_one_sided(team):
    m = RelationMatrix.of_team(team)
    one_sided = {(mk.relation, mk.one_sided) for row in m.names for col in m.names for mk in m.marks(row, col)}
    assert ("spawn", "lead", "builder") in {k for k, _ in one_sided}
    assert {k for k, s in one_sided if s} == {
        ("handoff", "lead", "tester"), ("handoff", "lead", "writer"), ("parallel", "lead", "planner")}


def test_a_cell_draws_hand_offs_first(team):
    marks = RelationMatrix.of_team(team).marks("lead", "builder")
    assert [mk.kind for mk in marks] == ["handoff", "spawn"]
    assert isinstance(marks[0], Mark) and marks[0].relation == ("handoff", "lead", "builder")


def test_orders_by_folder_by_name_and_by_hand_off_groups(tmp_path):
    write(tmp_path, {
        # two groups that hand work only among themselves, names interleaved alphabetically
        "a1.md": agent_md("a1", handoff=["b2"]),
        "b2.md": agent_md("b2", handoff=["c3"]),
        "c3.md": agent_md("c3"),
        "a4.md": agent_md("a4", handoff=["b5"]),
        "b5.md": agent_md("b5", handoff=["c6"]),
        "c6.md": agent_md("c6", handoff=["a4", "d7"]),
        "d7.md": agent_md("d7"),
        "zeta/b0.md": agent_md("b0"),
        "alpha/z9.md": agent_md("z9"),
    })
    team = Team.load(tmp_path)
    assert RelationMatrix.of_team(team, "name").names == ["a1", "a4", "b0", "b2", "b5", "c3", "c6", "d7", "z9"]
    assert RelationMatrix.of_team(team, "folder").names == ["a1", "a4", "b2", "b5", "c3", "c6", "d7", "z9", "b0"]
    clustered = RelationMatrix.of_team(team, "clusters").names
    # the bigger group first, then the other, along their hand-offs; the loop a4→b5→c6→a4 stays
    # together before d7; agents without hand-offs last, by name
    assert clustered == ["a4", "b5", "c6", "d7", "a1", "b2", "c3", "b0", "z9"]
    assert RelationMatrix.of_team(team, "clusters").names == clustered  # deterministic


def test_order_names_without_hand_offs_is_by_name():
    assert order_names(["b", "a", "c"], "clusters") == ["a", "b", "c"]


def test_a_change_updates_only_the_cells_of_its_relations(team):
    m = RelationMatrix.of_team(team, "name")
    team.apply(Link("lead", "tester", "handoff"))  # declare the missing side
    cells = m.apply(team.last_change, team.relation)
    i, j = m.index("lead"), m.index("tester")
    assert cells == sorted({(i, j), (j, i)})
    assert cell(m, "lead", "tester") == {("handoff", "out", "both")}
    assert cell(m, "tester", "lead") == {("handoff", "in", "both")}
    fresh = RelationMatrix.of_team(team, "name")
    assert all(m.marks(r, c) == fresh.marks(r, c) for r in m.names for c in m.names)


def test_a_new_agent_asks_for_a_new_matrix(team):
    from app.model.operations import AddAgent

    m = RelationMatrix.of_team(team)
    team.apply(AddAgent("newcomer"))
    assert m.apply(team.last_change, team.relation) is None


def test_a_one_sided_cell_offers_the_problems_panels_fixes(team):
    fixes = one_sided_fixes(team, ("handoff", "lead", "writer"))
    assert [f.kind for f in fixes] == ["declare", "remove-relation"]
    assert "add writer to lead's hands-off-to" in fixes[0].label
    assert one_sided_fixes(team, ("handoff", "lead", "builder")) == []
    team.apply(fixes[0].op)
    team.save()
    text = (team.root / "lead.md").read_text(encoding="utf-8")
    assert "hands_off_to: [builder, tester, writer]" in text


def test_a_cell_in_words_names_who_declares_it(team):
    from app.model.relation_matrix import describe_cell

    m = RelationMatrix.of_team(team)
    assert describe_cell(m.marks("lead", "writer"), "lead", "writer") == (
        "lead hands work to writer, but only writer's file says so (lead does not list writer in its "
        "hands-off-to).")
    assert describe_cell(m.marks("tester", "lead"), "tester", "lead") == (
        "tester receives work from lead, but only lead's file says so (tester does not list lead in its "
        "receives-from).")
    assert describe_cell(m.marks("lead", "builder"), "lead", "builder") == (
        "lead hands work to builder; both files say so. lead may start builder (its tools).")
    assert describe_cell((), "tester", "writer") == "No relation between tester and writer"


def test_whom_an_agent_hands_work_to_in_words(team):
    from app.model.relation_matrix import handoff_summary

    m = RelationMatrix.of_team(team, "name")
    assert handoff_summary(m, "lead") == (
        "lead hands work to 3: builder, tester, writer. One-sided: tester (only lead's file says so), "
        "writer (only writer's file says so).")
    assert handoff_summary(m, "tester") == "tester hands work to no one."
