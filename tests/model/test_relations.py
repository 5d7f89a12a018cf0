"""The relation index and the loop analysis: networkx is the oracle for loops, and a team's
disk bytes kept as text are still exact."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from teamkit import agent_md

from app.model.operations import SetField

nodes = st.sampled_from([f"n{i}" for i in range(8)])


def test_handoff_loops_in_a_team(make_team):
    team = make_team({
        "a.md": agent_md("a", handoff=["b"]),
        "b.md": agent_md("b", handoff=["c"], parallel=["a"]),
        "c.md": agent_md("c", handoff=["a", "d"]),
        "d.md": agent_md("d", handoff=["e"]),
        "e.md": agent_md("e", handoff=["d"]),
        "f.md": agent_md("f", handoff=["a"]),
    })
    loops = [p for p in team.problems if p.code == "handoff-cycle"]
    assert [p.agent for p in loops] == ["a", "d"]
    assert "a, b and c hand work to each other" in loops[0].message


@settings(max_examples=60, deadline=None)
@given(edges=st.lists(st.tuples(nodes, nodes), max_size=20))
def test_loop_notes_match_networkx_cycles(tmp_path_factory, edges):
    """Every agent that lies on a cycle of hand-offs (networkx.simple_cycles, an independent
    enumeration) is named in exactly one loop note, and no other agent is."""
    from teamkit import write

    from app.model.team import Team

    root = tmp_path_factory.mktemp("loops")
    out: dict[str, list[str]] = {f"n{i}": [] for i in range(8)}
    for s, t in edges:
        if s != t and t not in out[s]:
            out[s].append(t)
    write(root, {f"{n}.md": agent_md(n, handoff=targets) for n, targets in out.items()})
    team = Team.load(root)
    g = nx.DiGraph([(s, t) for s, targets in out.items() for t in targets])
    on_cycle = {n for cycle in nx.simple_cycles(g) for n in cycle}
    named = [p.message.split(" hand work")[0] for p in team.problems if p.code == "handoff-cycle"]
    members = [n for text in named for n in text.replace(" and ", ", ").split(", ")]
    assert sorted(members) == sorted(on_cycle)


def test_disk_bytes_are_exact_though_kept_as_text(make_team, tmp_path):
    crlf_bom = "\ufeff---\r\nname: é-agent\r\ndescription: Ünïcode — fine.\r\n---\r\nBody\r\n"
    team = make_team({"x.md": crlf_bom, "y.md": agent_md("y")})
    for rel, f in team.files.items():
        assert f.disk == (tmp_path / rel).read_bytes()
        assert not f.dirty
    assert not team.dirty()
    team.apply(SetField("y", "model", "opus"))
    y = team.files["y.md"]
    assert y.dirty and y.disk == (tmp_path / "y.md").read_bytes() != y.text.encode()
    assert team.save() == []
    assert y.disk == (tmp_path / "y.md").read_bytes() == y.text.encode() and not y.dirty
    (tmp_path / "x.md").write_bytes(crlf_bom.replace("fine", "changed").encode())
    assert team.disk_changed("x.md")
    team.adopt_disk("x.md", b"\xff not utf-8")  # kept as bytes when they are not text
    assert team.files["x.md"].disk == b"\xff not utf-8" and team.files["x.md"].dirty


@settings(max_examples=200, deadline=None)
@given(edges=st.lists(st.tuples(nodes, nodes), max_size=24))
def test_components_in_order_are_networkx_sccs_in_edge_order(edges):
    from app.model.relations import components_in_order

    names = [f"n{i}" for i in range(8)]
    groups = components_in_order(names, edges)
    g = nx.DiGraph()
    g.add_nodes_from(names)
    g.add_edges_from(edges)
    assert sorted(map(sorted, groups)) == sorted(sorted(c) for c in nx.strongly_connected_components(g))
    where = {n: i for i, group in enumerate(groups) for n in group}
    assert all(where[s] <= where[t] for s, t in edges)  # every hand-off between groups points forward
