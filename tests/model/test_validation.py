"""Every problem code: when it is raised, its severity, file, line and a message in words."""

from __future__ import annotations

from teamkit import agent_md

from app.model.validation import CODES, key_lines


def by_code(team, code):
    return [p for p in team.problems if p.code == code]


def test_clean_team_has_no_problems(make_team):
    team = make_team({"a.md": agent_md("a", handoff=["b"]), "b.md": agent_md("b", receives=["a"])})
    assert team.problems == []


def test_errors(make_team):
    team = make_team({
        "noname.md": "---\ndescription: x\n---\n",
        "Bad.md": agent_md("Bad_Name"),
        "nodesc.md": "---\nname: nodesc\nmodel: sonnet\n---\n",
        "one.md": agent_md("twin"),
        "two.md": agent_md("twin"),
        "refs.md": agent_md("refs", handoff=["nobody"]),
        "numeric.md": "---\nname: 5\ndescription: x\n---\n",
    })
    assert [p.file for p in by_code(team, "missing-name")] == ["noname.md"]
    invalid = by_code(team, "invalid-name")
    assert sorted(p.file for p in invalid) == ["numeric.md"]
    [style] = by_code(team, "name-style")  # Claude Code loads Bad_Name: a note
    assert (style.file, style.severity, style.line) == ("Bad.md", "info", 2)
    assert "lowercase letters" in style.message
    assert [p.file for p in by_code(team, "missing-description")] == ["nodesc.md"]
    assert sorted(p.file for p in by_code(team, "duplicate-name")) == ["one.md", "two.md"]
    unknown = by_code(team, "unknown-reference")
    assert [(p.file, p.line, p.field) for p in unknown] == [("refs.md", 5, "coordination.hands_off_to")]
    assert unknown[0].message == ("refs lists nobody under hands_off_to, but there is no agent called nobody "
                                  "in this team.")
    for code in ("missing-name", "invalid-name", "missing-description", "duplicate-name", "unknown-reference"):
        assert all(p.severity == "error" for p in by_code(team, code))


def test_warnings(make_team):
    team = make_team({
        "a.md": agent_md("a", extra="model: gpt-5\ncolor: teal\nmaxTurns: lots", handoff=["a", "b"],
                         parallel=["b"]),
        "b.md": agent_md("b", extra="model: claude-sonnet-4-5\ncolor: blue"),
    })
    assert [(p.line, p.agent) for p in by_code(team, "self-reference")] == [(8, "a")]
    color = by_code(team, "unknown-color")
    assert len(color) == 1 and '"teal"' in color[0].message and color[0].line == 5
    model = by_code(team, "unknown-model")
    assert len(model) == 1 and '"gpt-5"' in model[0].message and model[0].line == 4
    handoff = by_code(team, "asymmetric-handoff")
    assert [p.message for p in handoff] == ["a hands work to b, but b does not list a under receives_from."]
    parallel = by_code(team, "asymmetric-parallel")
    assert [p.message for p in parallel] == ["a works in parallel with b, but b does not list a under parallel_with."]
    bad = by_code(team, "invalid-value")
    assert [(p.field, p.line) for p in bad] == [("maxTurns", 6)] and "whole number" in bad[0].message
    for code in ("self-reference", "unknown-color", "unknown-model", "asymmetric-handoff", "asymmetric-parallel"):
        assert all(p.severity == "warning" for p in by_code(team, code))


def test_receives_from_only_is_reported_from_the_receiver(make_team):
    team = make_team({"a.md": agent_md("a"), "b.md": agent_md("b", receives=["a"])})
    [p] = by_code(team, "asymmetric-handoff")
    assert (p.file, p.agent, p.field) == ("b.md", "b", "coordination.receives_from")
    assert p.message == "b receives work from a, but a does not list b under hands_off_to."


def test_info(make_team):
    team = make_team({
        "readme.md": "# Docs\n",
        "file-name.md": agent_md("other-name"),
        "x.md": agent_md("x", handoff=["y"], receives=["z"]),
        "y.md": agent_md("y", handoff=["z"], receives=["x"]),
        "z.md": agent_md("z", handoff=["x"], receives=["y"]),
        "p.md": agent_md("p", handoff=["q"], receives=["q"]),
        "q.md": agent_md("q", handoff=["p"], receives=["p"]),
    })
    assert [p.file for p in by_code(team, "no-frontmatter")] == ["readme.md"]
    [mismatch] = by_code(team, "name-file-mismatch")
    assert mismatch.file == "file-name.md" and "other-name" in mismatch.message
    cycles = by_code(team, "handoff-cycle")
    assert [p.message.split(" hand work")[0] for p in cycles] == ["p and q", "x, y and z"]
    assert all(p.severity == "info" for p in cycles)


def test_a_cycle_through_thousands_is_one_short_problem(make_team):
    n = 3000
    files = {f"a{i}.md": agent_md(f"a{i}", handoff=[f"a{(i + 1) % n}"], receives=[f"a{(i - 1) % n}"])
             for i in range(n)}
    team = make_team(files)
    [cycle] = by_code(team, "handoff-cycle")
    assert "2,992 others" in cycle.message and len(cycle.message) < 400
    assert [p for p in team.problems if p.code != "handoff-cycle"] == []


def test_yaml_error_has_line_and_read_only_note(make_team):
    team = make_team({"b.md": "---\nname: b\ndescription: Use this\n  when: now\n---\n"})
    [p] = by_code(team, "yaml-error")
    assert (p.line, p.agent, p.severity) == (4, "b", "error")
    assert "read-only" in p.message


def test_codes_are_stable():
    assert {c for c, s in CODES.items() if s == "error"} >= {
        "yaml-error", "missing-name", "invalid-name", "missing-description", "duplicate-name", "unknown-reference",
        "invalid-hooks"}
    assert {c for c, s in CODES.items() if s == "warning"} >= {
        "asymmetric-handoff", "asymmetric-parallel", "self-reference", "unknown-color", "unknown-model",
        "lenient-yaml"}
    assert {c for c, s in CODES.items() if s == "info"} == {"no-frontmatter", "name-file-mismatch", "handoff-cycle",
                                                            "name-style"}


def test_key_lines_scan():
    fm = "name: a\n'quoted': 1\ncoordination:\n  hands_off_to:\n    - b\n  parallel_with: [c]\nmodel: x\n"
    assert key_lines(fm, 2) == {"name": 2, "quoted": 3, "coordination": 4, "coordination.hands_off_to": 5,
                                "coordination.parallel_with": 7, "model": 8}


def test_every_problem_code_is_declared(make_team, dee5906):
    from app.model.team import Team

    team = Team.load(dee5906)
    assert all(CODES[p.code] == p.severity for p in team.problems)


def test_two_files_with_one_name_say_claude_code_loads_only_one_and_name_both(make_team):
    team = make_team({"one.md": agent_md("twin"), "sub/two.md": agent_md("twin"),
                      "three.md": agent_md("trio"), "four.md": agent_md("trio"), "five.md": agent_md("trio")})
    twins = by_code(team, "duplicate-name")
    by_file = {p.file: p for p in twins}
    assert sorted(by_file) == ["five.md", "four.md", "one.md", "sub/two.md", "three.md"]
    for path, problem in by_file.items():
        assert problem.severity == "error" and problem.field == "name"
        assert "Claude Code loads only one of them" in problem.message
        group = ["one.md", "sub/two.md"] if problem.agent == "twin" else ["three.md", "four.md", "five.md"]
        for other in group:  # every file of the clash is named, its own first
            assert other in problem.message
        assert problem.message.startswith(path)
        assert not any(f in problem.message for f in by_file if f not in group)
    assert '"twin"' in by_file["one.md"].message and "both name" in by_file["one.md"].message
