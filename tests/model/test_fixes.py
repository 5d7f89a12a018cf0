"""Quick fixes (app/model/fixes.py) and `agent-canvas fix`: on the seed's own team, checked
against the raw YAML of the files (an oracle independent of the model)."""

from __future__ import annotations

import difflib

import yaml
from teamkit import agent_md

from app.__main__ import main
from app.io.document import parse_document
from app.model.fixes import fix_all, quick_fixes
from app.model.team import Team


def _declared(folder):
    """(kind, source, target) → who declares it, read straight from the YAML of every file."""
    out: dict[tuple[str, str, str], set[str]] = {}
    for path in sorted(folder.glob("*.md")):
        data = yaml.safe_load(parse_document(path.read_text(encoding="utf-8")).frontmatter) or {}
        me, c = data.get("name"), data.get("coordination") or {}
        for other in c.get("hands_off_to") or []:
            out.setdefault(("handoff", me, other), set()).add(me)
        for other in c.get("receives_from") or []:
            out.setdefault(("handoff", other, me), set()).add(me)
        for other in c.get("parallel_with") or []:
            a, b = sorted((me, other))
            out.setdefault(("parallel", a, b), set()).add(me)
    return out


def test_cli_fix_declares_every_one_sided_relation_of_the_seed_team(dee5906, capsys):
    before = {p.name: p.read_text(encoding="utf-8") for p in dee5906.glob("*.md")}
    one_sided = {k for k, who in _declared(dee5906).items() if len(who) < 2}
    assert len(one_sided) > 30
    assert main(["fix", str(dee5906)]) == 0
    out = capsys.readouterr().out
    after = _declared(dee5906)
    assert all(len(who) == 2 for who in after.values())
    assert one_sided <= set(after)  # declared back, not dropped
    # Only coordination lines changed: the rest of each frontmatter and the body are as they were.
    for name, text in before.items():
        old_doc, new_doc = parse_document(text), parse_document((dee5906 / name).read_text(encoding="utf-8"))
        assert old_doc.body == new_doc.body
        old_fm, new_fm = yaml.safe_load(old_doc.frontmatter), yaml.safe_load(new_doc.frontmatter)
        old_fm.pop("coordination", None)
        new_fm.pop("coordination", None)
        assert old_fm == new_fm, name
        changed = [ln for ln in difflib.ndiff(text.splitlines(), new_doc.text.splitlines()) if ln[:1] in "+-"]
        assert all(ln[2:].startswith("  ") for ln in changed), (name, changed)  # inside the block
    assert "Fixed" in out and "0 errors" in out
    assert not [p for p in Team.load(dee5906).problems if p.code.startswith("asymmetric-")]


def test_cli_fix_remove_takes_one_sided_relations_out(dee5906, capsys):
    declared = _declared(dee5906)
    one_sided = {k for k, who in declared.items() if len(who) < 2}
    assert main(["fix", str(dee5906), "--code", "asymmetric-handoff", "--code", "asymmetric-parallel",
                 "--remove"]) == 0
    after = _declared(dee5906)
    assert not one_sided & set(after)
    assert {k: w for k, w in declared.items() if len(w) == 2} == after


def test_cli_fix_refuses_an_unknown_code(dee5906, capsys):
    assert main(["fix", str(dee5906), "--code", "no-such-code"]) == 2
    assert "no-such-code" in capsys.readouterr().err


def test_fixes_use_the_problems_facts(make_team):
    team = make_team({
        "a.md": agent_md("a", handoff=["b", "ghost"]),
        "b.md": agent_md("b"),
        "Bad_Name.md": agent_md("Bad_Name"),
    })
    unknown = next(p for p in team.problems if p.code == "unknown-reference")
    assert unknown.other == "ghost"
    assert [f.kind for f in quick_fixes(team, unknown)] == ["remove-reference", "create-agent"]
    one_sided = next(p for p in team.problems if p.code == "asymmetric-handoff")
    assert one_sided.relation == ("handoff", "a", "b") and one_sided.other == "b"
    bad = next(p for p in team.problems if p.code == "name-style")  # Claude Code loads it: a note
    assert quick_fixes(team, bad)[0].label == "Rename Bad_Name to bad-name"
    report = fix_all(team)
    assert {p.code for p, _ in report.applied} >= {"unknown-reference", "asymmetric-handoff", "name-style"}
    codes = {p.code for p in team.problems if p.severity in ("error", "warning")}
    assert not codes & {"unknown-reference", "asymmetric-handoff", "invalid-name"}
    assert team.agent("bad-name") is not None and team.agent("a").agent.coordination.hands_off_to == ["b"]
