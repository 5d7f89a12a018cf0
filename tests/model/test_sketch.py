"""Opening a team unchecked (Team.load(check=False)): the sketches the first picture is drawn
from agree with the schema's agents, the team is the same once checked, and pydantic is not
imported until then."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from teamkit import SAMPLE, agent_md

from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.model.agent_schema import Agent
from app.model.operations import MoveAgents, SetField
from app.model.sketch import AgentSketch
from app.model.team import Team

ROOT = Path(__file__).resolve().parents[2]
SHOWN = ("name", "description", "model", "color", "tools")


def test_sketches_agree_with_the_schema_on_every_corpus_file(corpus):
    compared = 0
    for path in corpus:
        doc = parse_document(path.read_text(encoding="utf-8", errors="replace"))
        if doc.frontmatter is None:
            continue
        fm = read_frontmatter(doc.frontmatter, doc.frontmatter_line)
        data = fm.data if fm.error is None else fm.recovered
        agent, invalid = Agent.parse(data)
        sketch = AgentSketch(data or {})
        for key in SHOWN:
            if key not in invalid:
                assert getattr(sketch, key) == getattr(agent, key), (path, key)
        assert sketch.tool_names() == agent.tool_names() or "tools" in invalid, path
        for key in ("hands_off_to", "receives_from", "parallel_with"):
            if f"coordination.{key}" not in invalid and "coordination" not in invalid:
                assert sketch.coordination_list(key) == agent.coordination_list(key), (path, key)
        compared += 1
    assert compared > 350


def test_an_unchecked_team_has_the_checked_teams_names_relations_and_then_its_problems(make_team):
    files = {
        "a.md": agent_md("a", handoff=["b", "ghost"]),
        "b.md": agent_md("b", extra="maxTurns: '5'"),
        "c.md": agent_md("c", parallel=["a"]),
    }
    checked = make_team(files)
    team = Team.load(checked.root, check=False)
    assert not team.checked and team.problems == []
    assert team.names() == checked.names() and team.relations() == checked.relations()
    assert not any(f.checked for f in team.files.values())
    heard = []
    team.subscribe(heard.append)
    team.check()
    assert team.checked and team.problems == checked.problems
    assert heard[-1].problems and heard[-1].updated == {"a", "b", "c"}


def test_moving_cards_keeps_a_team_unchecked_and_an_edit_checks_it_first(tmp_path):
    import shutil

    shutil.copytree(SAMPLE, tmp_path / "t")
    team = Team.load(tmp_path / "t", check=False)
    team.apply(MoveAgents({"code-reviewer": (8.0, 16.0)}))
    assert not team.checked
    team.apply(SetField("code-reviewer", "model", "opus"))
    assert team.checked and team.agent("code-reviewer").agent.model == "opus"


def test_opening_unchecked_imports_no_schema_library():
    code = ("import sys; from app.model.team import Team; "
            f"t = Team.load({str(SAMPLE)!r}, check=False); "
            "assert t.names() and t.relations(); "
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pydantic', 'networkx')))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
