"""agent-canvas new puts the card of a laid-out team in free space, never on another card."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from app.__main__ import main

SAMPLE = Path(__file__).resolve().parents[2] / "agents"


def test_new_goes_in_free_space(tmp_path, capsys):
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE, folder)
    names = sorted(p.stem for p in SAMPLE.glob("*.md"))
    # every card on one row, 272 px apart: the middle of the row is taken
    agents = {n: {"x": i * 272.0, "y": 0.0, "pinned": False} for i, n in enumerate(names)}
    (folder / ".agent-canvas.json").write_text(json.dumps({"version": 1, "agents": agents}))
    assert main(["new", str(folder), "helper", "--description", "Helps. Use when stuck."]) == 0
    capsys.readouterr()
    saved = json.loads((folder / ".agent-canvas.json").read_text())["agents"]
    x, y = saved["helper"]["x"], saved["helper"]["y"]
    assert all(abs(x - p["x"]) >= 240 + 24 or abs(y - p["y"]) >= 84 + 24 for n, p in saved.items() if n != "helper")
    assert {n: saved[n] for n in names} == agents  # nobody else moved


def test_new_in_a_team_never_laid_out_leaves_placing_to_the_editor(tmp_path, capsys):
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE, folder)
    assert main(["new", str(folder), "helper"]) == 0
    capsys.readouterr()
    assert not (folder / ".agent-canvas.json").exists()
