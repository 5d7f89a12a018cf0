"""What makes a big team load fast must not change what it loads: the loop finder, the files'
disk bytes kept as text, and the relation graph built only on first use (then kept current)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st
from teamkit import agent_md, write
from test_undo_property import START, operation

from app.model.operations import Link, OperationError, SetField
from app.model.team import Team, relation_graph
from app.model.validation import handoff_cycles, strong_components

nodes = st.sampled_from([f"n{i}" for i in range(12)])


@settings(max_examples=300, deadline=None)
@given(edges=st.lists(st.tuples(nodes, nodes), max_size=40))
def test_strong_components_equal_networkx(edges):
    succ: dict[str, list[str]] = {}
    for s, t in edges:
        succ.setdefault(s, []).append(t)
    g = nx.DiGraph()
    g.add_nodes_from(succ)
    g.add_edges_from(edges)
    ours = sorted(sorted(c) for c in strong_components(succ))
    assert ours == sorted(sorted(c) for c in nx.strongly_connected_components(g))


def test_handoff_cycles_in_a_team(make_team):
    team = make_team({
        "a.md": agent_md("a", handoff=["b"]),
        "b.md": agent_md("b", handoff=["c"], parallel=["a"]),
        "c.md": agent_md("c", handoff=["a", "d"]),
        "d.md": agent_md("d", handoff=["e"]),
        "e.md": agent_md("e", handoff=["d"]),
        "f.md": agent_md("f", handoff=["a"]),
    })
    assert handoff_cycles(team) == [["a", "b", "c"], ["d", "e"]]
    assert [p.agent for p in team.problems if p.code == "handoff-cycle"] == ["a", "d"]


def test_disk_bytes_are_exact_though_kept_as_text(make_team, tmp_path):
    crlf_bom = "\ufeff---\r\nname: é-agent\r\ndescription: Ünïcode — fine.\r\n---\r\nBody\r\n"
    team = make_team({"x.md": crlf_bom, "y.md": agent_md("y")})
    for rel, f in team.files.items():
        on_disk = (tmp_path / rel).read_bytes()
        assert f.disk == on_disk and team._disk[rel] == on_disk
        assert dict(team._disk.items())[rel] == on_disk  # what the session's crash journal hashes
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


def test_an_edit_that_keeps_the_names_updates_the_graph_in_place(make_team):
    team = make_team({"a.md": agent_md("a"), "b.md": agent_md("b")})
    graph = team.graph
    team.apply(Link("a", "b"))
    assert team.graph is graph and graph.has_edge("a", "b", key="handoff")
    assert graph["a"]["b"]["handoff"]["relation"] == team.relations()[0]


def _edges(graph):
    return sorted((s, t, k, d["relation"]) for s, t, k, d in graph.edges(keys=True, data=True))


@settings(max_examples=40, deadline=None)
@given(ops=st.lists(operation, min_size=1, max_size=10))
def test_a_graph_in_use_is_kept_current_by_edits(ops):
    root = Path(tempfile.mkdtemp(prefix="graph-prop-"))
    try:
        write(root, START)
        team = Team.load(root)
        assert team._graph is None  # not built until somebody asks
        for op in ops:
            graph = team.graph  # built now: every later edit must update it
            try:
                team.apply(op)
            except OperationError:
                pass
            fresh = relation_graph(sorted(team._by_name), team.relations())
            current = team.graph
            assert sorted(current.nodes) == sorted(fresh.nodes)
            assert _edges(current) == _edges(fresh)
            assert nx.utils.graphs_equal(current, fresh)
            assert current is graph or team._graph is current  # kept, or rebuilt after a rename/add
    finally:
        shutil.rmtree(root, ignore_errors=True)
