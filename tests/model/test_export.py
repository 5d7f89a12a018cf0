"""Exports: mermaid, dot and json, deterministic, with one-sided relations marked."""

from __future__ import annotations

import json

from teamkit import agent_md

from app.model.export import to_dot, to_json, to_mermaid

FILES = {
    "a.md": agent_md("a", handoff=["b", "c"], parallel=["b"], description='Says "hi" & more'),
    "b.md": agent_md("b", receives=["a"], parallel=["a"]),
    "c.md": agent_md("c"),
}


def test_mermaid(make_team):
    text = to_mermaid(make_team(FILES))
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert '    a["a"]' in lines
    assert "    a --> b" in lines
    assert "    a -->|one-sided| c" in lines
    assert "    %% one-sided: declared only by a" in lines
    assert "    a <-.-> b" in lines
    assert lines[-1].startswith("    linkStyle 1 stroke:#f59e0b")
    assert text.endswith("\n")


def test_mermaid_ids_are_safe_and_unique(make_team):
    text = to_mermaid(make_team({"x.md": agent_md("a-b"), "y.md": agent_md("a-b-x"), "z.md": agent_md("9lives")}))
    assert '    a_b["a-b"]' in text and '    a_9lives["9lives"]' in text


def test_dot(make_team):
    text = to_dot(make_team(FILES))
    assert text.startswith("digraph team {\n    rankdir=LR;")
    assert '    "a" -> "b";' in text
    assert '    "a" -> "c" [color="#f59e0b", tooltip="one-sided: declared only by a"];' in text
    assert '    "a" -> "b" [dir=none, style=dashed];' in text
    assert 'tooltip="Says \\"hi\\" & more"' in text
    assert text.rstrip().endswith("}")


def test_json(make_team):
    team = make_team(FILES)
    data = json.loads(to_json(team))
    assert [a["name"] for a in data["agents"]] == ["a", "b", "c"]
    assert data["agents"][0]["file"] == "a.md" and data["agents"][0]["tools"] is None
    assert {"kind": "handoff", "source": "a", "target": "c", "declared_by": ["a"], "one_sided": True} \
        in data["relations"]
    assert len(data["relations"]) == 3


def test_deterministic(tmp_path, make_team):
    team = make_team(FILES)
    for render in (to_mermaid, to_dot, to_json):
        assert render(team) == render(team)
