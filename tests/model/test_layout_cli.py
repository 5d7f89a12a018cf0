"""`agent-canvas layout DIR` and the card geometry in `export --format json`."""

from __future__ import annotations

import io
import json

from teamkit import agent_md

from app.cli import run
from app.model.layout import CARD_HEIGHT, CARD_WIDTH
from app.model.sidecar import SIDECAR, parse_sidecar


def _team(tmp_path):
    (tmp_path / "a.md").write_text(agent_md("a", handoff=["b"]))
    (tmp_path / "b.md").write_text(agent_md("b", receives=["a"], handoff=["c"]))
    (tmp_path / "c.md").write_text(agent_md("c", receives=["b"]))
    (tmp_path / "d.md").write_text(agent_md("d"))
    return tmp_path


def test_layout_writes_positions_and_keeps_pinned_cards(tmp_path):
    folder = _team(tmp_path)
    (folder / SIDECAR).write_text(json.dumps(
        {"agents": {"c": {"x": -800, "y": 40, "pinned": True}, "a": {"x": 5000, "y": 5000}}}))
    before = {p.name: p.read_bytes() for p in folder.glob("*.md")}
    out = io.StringIO()
    assert run(["layout", str(folder)], out) == 0
    assert "Laid out 3 agents, 1 pinned agent kept" in out.getvalue()
    positions, pinned, problem = parse_sidecar((folder / SIDECAR).read_bytes())
    assert problem is None and pinned == {"c"}
    assert positions["c"] == (-800.0, 40.0)
    assert positions["a"][0] < positions["b"][0]  # a hands off to b: left to right
    assert positions["a"] != (5000.0, 5000.0)
    assert {p.name: p.read_bytes() for p in folder.glob("*.md")} == before  # agent files untouched
    out = io.StringIO()
    assert run(["layout", str(folder)], out) == 0  # again: nothing moves
    assert out.getvalue().startswith("Nothing to move")


def test_export_json_gives_every_card_its_geometry(tmp_path):
    folder = _team(tmp_path)
    (folder / SIDECAR).write_text(json.dumps({"agents": {"a": {"x": 16, "y": 32}}}))
    out = io.StringIO()
    assert run(["export", str(folder), "--format", "json"], out) == 0
    agents = {a["name"]: a for a in json.loads(out.getvalue())["agents"]}
    assert (agents["a"]["x"], agents["a"]["y"]) == (16, 32)  # saved: as saved
    assert all(a["width"] == CARD_WIDTH and a["height"] == CARD_HEIGHT for a in agents.values())
    boxes = [(a["x"], a["y"]) for a in agents.values()]
    for i, (x1, y1) in enumerate(boxes):  # the unsaved ones are placed around the saved one
        for x2, y2 in boxes[i + 1:]:
            assert abs(x1 - x2) >= CARD_WIDTH or abs(y1 - y2) >= CARD_HEIGHT
