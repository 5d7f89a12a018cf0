"""Team: loading (lenient), the relation graph, saving only what changed, outside changes."""

from __future__ import annotations

import json
import os
import re
import time

import networkx as nx
import pytest
import yaml
from teamkit import agent_md, snapshot, write

from app.model.operations import Link, MoveAgents, OperationError, RemoveAgent, RenameAgent, SetField
from app.model.team import SIDECAR, Relation, Team, TeamChange, TeamError


def _team3():
    return {
        "a.md": agent_md("a", handoff=["b"], parallel=["c"]),
        "b.md": agent_md("b", receives=["a"], handoff=["c"]),
        "c.md": agent_md("c", parallel=["a"]),
        "docs/README.md": "# Not an agent\n",
    }


def test_load_files_names_and_no_frontmatter(make_team):
    team = make_team(_team3())
    assert list(team.files) == ["a.md", "b.md", "c.md", "docs/README.md"]
    assert team.names() == ["a", "b", "c"]
    assert team.files["docs/README.md"].agent is None
    notes = [p for p in team.problems if p.code == "no-frontmatter"]
    assert [(p.file, p.severity) for p in notes] == [("docs/README.md", "info")]
    assert not team.dirty()


def test_graph_edges_and_declared_by(make_team):
    team = make_team(_team3())
    rel = {(r.kind, r.source, r.target): r for r in team.relations()}
    assert rel[("handoff", "a", "b")].declared_by == {"a", "b"}
    assert not rel[("handoff", "a", "b")].one_sided
    assert rel[("handoff", "b", "c")].declared_by == {"b"}  # c does not list b under receives_from
    assert rel[("handoff", "b", "c")].one_sided
    assert rel[("parallel", "a", "c")].declared_by == {"a", "c"}
    assert len(rel) == 3
    g = team.graph
    assert isinstance(g, nx.MultiDiGraph)
    assert sorted(g.nodes) == ["a", "b", "c"]
    assert sorted(g.edges(keys=True)) == [("a", "b", "handoff"), ("a", "c", "parallel"), ("b", "c", "handoff")]
    assert g.edges["b", "c", "handoff"]["relation"] == rel[("handoff", "b", "c")]
    ordinary = nx.MultiDiGraph()
    ordinary.add_nodes_from(team.names())
    ordinary.add_edges_from((r.source, r.target, r.kind, {"relation": r}) for r in team.relations())
    assert nx.utils.graphs_equal(ordinary, g)
    assert sorted(g.in_edges("c", keys=True)) == [("a", "c", "parallel"), ("b", "c", "handoff")]


def test_receives_from_alone_makes_a_handoff(make_team):
    team = make_team({"a.md": agent_md("a"), "b.md": agent_md("b", receives=["a"])})
    assert team.relations() == [Relation("handoff", "a", "b", frozenset({"b"}))]


def test_hidden_folders_skipped_and_nested_found(make_team):
    team = make_team({
        "x/y/deep.md": agent_md("deep"),
        ".git/hooks.md": agent_md("hidden"),
        ".claude-tmp/z.md": agent_md("hidden2"),
    })
    assert team.names() == ["deep"]


def test_missing_folder_is_a_plain_error(tmp_path):
    with pytest.raises(TeamError, match="no folder"):
        Team.load(tmp_path / "nope")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="Windows has no named pipes (os.mkfifo)")
def test_unreadable_files_become_problems(tmp_path):
    write(tmp_path, {
        "good.md": agent_md("good"),
        "binary.md": b"\x00\x01\x02---\n",
        "latin1.md": "---\nname: caf\xe9\n---\n".encode("latin-1"),
        "huge.md": b"---\nname: huge\n---\n" + b"x" * (3 * 1024 * 1024),
    })
    os.symlink(tmp_path / "missing-target.md", tmp_path / "dangling.md")
    os.mkfifo(tmp_path / "pipe.md")
    os.symlink(tmp_path, tmp_path / "loop")  # a folder symlink loop: never entered
    team = Team.load(tmp_path)
    assert team.names() == ["good"]
    codes = {p.file: p.code for p in team.problems if p.code == "unreadable-file"}
    assert set(codes) == {"binary.md", "latin1.md", "huge.md", "dangling.md", "pipe.md"}
    messages = " ".join(p.message for p in team.problems)
    assert "UTF-8" in messages and "too large" in messages and "binary" in messages


def test_a_link_inside_the_team_is_written_through(tmp_path):
    team_dir = tmp_path / "team"
    write(team_dir, {"shared/real.md": agent_md("real", extra="model: sonnet")})
    os.symlink(team_dir / "shared" / "real.md", team_dir / "linked.md")
    team = Team.load(team_dir)
    assert not [p for p in team.problems if p.code == "outside-link"]
    team.apply(SetField("real", "model", "opus"))
    assert team.save() == []
    assert (team_dir / "linked.md").is_symlink()
    assert "model: opus" in (team_dir / "shared" / "real.md").read_text()


def test_a_link_out_of_the_team_is_read_reported_and_never_written_through(tmp_path):
    outside = tmp_path / "outside"
    write(outside, {"real.md": agent_md("linked", extra="model: sonnet")})
    before = (outside / "real.md").read_bytes()
    team_dir = tmp_path / "team"
    team_dir.mkdir()
    os.symlink(outside / "real.md", team_dir / "linked.md")
    os.symlink(outside / "layout.json", team_dir / SIDECAR)  # a cloned repository can ship this
    team = Team.load(team_dir)
    assert team.names() == ["linked"]
    [problem] = [p for p in team.problems if p.code == "outside-link"]
    assert problem.file == "linked.md" and "outside this team" in problem.message
    assert any(p.code == "layout-file" and "outside this team" in p.message for p in team.problems)
    team.apply(SetField("linked", "model", "opus"))
    team.apply(MoveAgents({"linked": (8, 8)}))
    failures = team.save()
    assert [f.path for f in failures] == ["linked.md", SIDECAR]
    assert "outside this team" in failures[0].message and "link" in failures[1].message
    assert (outside / "real.md").read_bytes() == before and not (outside / "layout.json").exists()


def test_invalid_yaml_loads_from_recovered_data_and_refuses_edits(make_team):
    # An indented line with ": ": beyond what Claude Code's fallback reads.
    broken = "---\nname: broken\ndescription: Use this\n  when: things break\nmodel: opus\n---\nBody\n"
    team = make_team({"broken.md": broken, "ok.md": agent_md("ok", handoff=["broken"])})
    f = team.agent("broken")
    assert f.error is not None and f.error.line == 4
    assert f.agent.model == "opus" and not f.editable
    errors = [p for p in team.problems if p.code == "yaml-error"]
    assert [(p.file, p.line, p.severity) for p in errors] == [("broken.md", 4, "error")]
    with pytest.raises(OperationError, match=r"broken\.md line 4"):
        team.apply(SetField("broken", "model", "sonnet"))
    with pytest.raises(OperationError, match=r"broken\.md line 4"):
        team.apply(Link("ok", "broken"))  # the other side would need an edit
    assert team.agent("broken").text == broken
    assert not team.dirty()


def test_corrupt_sidecar_is_a_problem_not_a_crash(make_team, tmp_path):
    team = make_team({"a.md": agent_md("a"), SIDECAR: "{not json"})
    assert team.positions == {}
    assert [p.code for p in team.problems] == ["layout-file"]
    assert not team.dirty()


def test_sidecar_positions_and_pins_are_read(make_team):
    side = {"version": 1, "agents": {"a": {"x": 16, "y": 32, "pinned": True}, "b": {"x": "bad"}}}
    team = make_team({"a.md": agent_md("a"), "b.md": agent_md("b"), SIDECAR: json.dumps(side)})
    assert team.positions == {"a": (16.0, 32.0)}
    assert team.pinned == {"a"}
    assert any(p.code == "layout-file" and "b" in p.message for p in team.problems)


def test_save_writes_only_changed_files(tmp_path, sample):
    before = snapshot(sample)
    old = time.time() - 1000
    for p in sample.iterdir():
        os.utime(p, (old, old))
    mtimes = {p.name: p.stat().st_mtime_ns for p in sample.iterdir()}
    team = Team.load(sample)
    team.apply(SetField("backend-specialist", "model", "opus"))
    assert team.dirty()
    assert team.save() == []
    assert not team.dirty()
    after = snapshot(sample)
    changed = sorted(k for k in after if after[k] != before.get(k))
    assert changed == ["backend-specialist.md"]
    for p in sample.iterdir():
        if p.name != "backend-specialist.md":
            assert p.stat().st_mtime_ns == mtimes[p.name], p.name
    old_lines = before["backend-specialist.md"].decode().splitlines()
    new_lines = after["backend-specialist.md"].decode().splitlines()
    assert [(a, b) for a, b in zip(old_lines, new_lines) if a != b] == [("model: sonnet", "model: opus")]
    assert not (sample / SIDECAR).exists()  # the layout did not change
    assert team.files["backend-specialist.md"].disk == after["backend-specialist.md"]


def test_save_without_changes_writes_nothing(sample):
    before = snapshot(sample)
    team = Team.load(sample)
    assert team.save() == []
    assert snapshot(sample) == before


def test_save_conflict_keeps_edits(sample):
    team = Team.load(sample)
    team.apply(SetField("backend-specialist", "model", "opus"))
    path = sample / "backend-specialist.md"
    outside = path.read_bytes() + b"\nAdded by someone else.\n"
    path.write_bytes(outside)
    assert team.disk_changed("backend-specialist.md")
    failures = team.save()
    assert [f.path for f in failures] == ["backend-specialist.md"]
    assert "changed by another program" in failures[0].message
    assert path.read_bytes() == outside  # nothing overwritten
    assert "model: opus" in team.agent("backend-specialist").text  # the edit is still in memory
    assert team.dirty()


def test_rename_and_remove_reach_the_disk(sample):
    team = Team.load(sample)
    team.apply(RenameAgent("api-designer", "api-architect"))
    team.apply(RemoveAgent("docs-sync-agent"))
    assert team.save() == []
    assert not (sample / "api-designer.md").exists()
    assert (sample / "api-architect.md").exists()
    assert not (sample / "docs-sync-agent.md").exists()
    fresh = Team.load(sample)
    assert "api-architect" in fresh.names() and "docs-sync-agent" not in fresh.names()
    assert not [p for p in fresh.problems if p.severity != "info"]


def test_removed_file_changed_on_disk_is_not_deleted_and_the_save_is_put_back(sample):
    before = {p.name: p.read_bytes() for p in sample.glob("*.md")}
    team = Team.load(sample)
    team.apply(RemoveAgent("docs-sync-agent"))
    path = sample / "docs-sync-agent.md"
    path.write_bytes(path.read_bytes() + b"more\n")
    changed = before["docs-sync-agent.md"] + b"more\n"
    failures = team.save()
    assert failures[0].path == "docs-sync-agent.md" and "changed by another program" in failures[0].message
    # All or nothing: the references to it that were written first are put back.
    assert all("put back" in f.message for f in failures[1:]) and len(failures) > 1
    assert {p.name: p.read_bytes() for p in sample.glob("*.md")} == {**before, "docs-sync-agent.md": changed}
    assert not (sample / ".agent-canvas-intent.json").exists()
    assert team.dirty()  # the edit is still there, unsaved


def test_sidecar_written_only_when_layout_changed(sample):
    team = Team.load(sample)
    team.apply(MoveAgents({"api-designer": (16, 24)}))
    assert team.dirty()
    assert team.save() == []
    raw = (sample / SIDECAR).read_bytes()
    assert raw.endswith(b"}\n")
    assert json.loads(raw) == {"version": 1, "agents": {"api-designer": {"x": 16, "y": 24, "pinned": False}}}
    assert raw.decode() == json.dumps(json.loads(raw), sort_keys=True, indent=2) + "\n"
    mtime = (sample / SIDECAR).stat().st_mtime_ns
    team.apply(SetField("api-designer", "model", "opus"))
    assert team.save() == []
    assert (sample / SIDECAR).stat().st_mtime_ns == mtime
    assert not team.dirty()


def test_reload_file_and_listeners(sample):
    team = Team.load(sample)
    seen: list[TeamChange] = []
    team.subscribe(seen.append)
    path = sample / "code-reviewer.md"
    path.write_text(re.sub(r"(?m)^model: .*$", "model: haiku", path.read_text()))
    assert team.disk_changed(path)
    team.reload_file(path)
    assert team.agent("code-reviewer").agent.model == "haiku"
    assert not team.disk_changed(path)
    assert seen[-1].files == {"code-reviewer.md"}
    team.apply(SetField("code-reviewer", "model", "opus"))
    assert seen[-1] == TeamChange(updated=frozenset({"code-reviewer"}), files=frozenset({"code-reviewer.md"}))
    team.apply(MoveAgents({"code-reviewer": (0, 0)}))
    assert seen[-1] == TeamChange(moved=frozenset({"code-reviewer"}))
    others = {r.key for r in team.relations() if "code-reviewer" in (r.source, r.target)}
    team.apply(RenameAgent("code-reviewer", "reviewer"))
    change = seen[-1]
    assert change.renamed == (("code-reviewer", "reviewer"),) and not change.added and not change.removed
    assert "reviewer.md" in change.files and "code-reviewer.md" in change.files
    assert change.moved == {"code-reviewer", "reviewer"}
    # Every relation of the agent is reported gone under the old name and back under the new one.
    assert change.relations_removed == others
    assert {tuple("reviewer" if n == "code-reviewer" else n for n in k) for k in others} == change.relations_added
    n = len(seen)
    team.save()
    assert len(seen) == n + 1  # saving tells listeners which files were written
    (sample / "reviewer.md").unlink()
    team.reload_file("reviewer.md")
    assert "reviewer" not in team.names()
    assert seen[-1].structure


def test_dee5906_every_reference_resolves_and_one_sided_handoffs_are_each_reported(dee5906):
    team = Team.load(dee5906)
    assert not [p for p in team.problems if p.code == "unknown-reference"]
    # Work out the one-sided relations independently from the raw YAML.
    data = {}
    for path in sorted(dee5906.glob("*.md")):
        text = path.read_text()
        data[path.stem] = yaml.safe_load(text.split("---\n")[1])
    declared_h, declared_r, declared_p = set(), set(), set()
    for d in data.values():
        c = d.get("coordination") or {}
        declared_h |= {(d["name"], t) for t in c.get("hands_off_to") or []}
        declared_r |= {(s, d["name"]) for s in c.get("receives_from") or []}
        declared_p |= {(d["name"], o) for o in c.get("parallel_with") or []}
    one_sided_h = declared_h ^ declared_r
    one_sided_p = {p for p in declared_p if (p[1], p[0]) not in declared_p}
    assert len(one_sided_h) > 20  # "many hand-offs are one-sided"
    reported_h = [p for p in team.problems if p.code == "asymmetric-handoff"]
    reported_p = [p for p in team.problems if p.code == "asymmetric-parallel"]
    assert len(reported_h) == len(one_sided_h)
    assert len(reported_p) == len(one_sided_p)
    for s, t in one_sided_h:
        if (s, t) in declared_h:
            expected = f"{s} hands work to {t}, but {t} does not list {s} under receives_from."
        else:
            expected = f"{t} receives work from {s}, but {s} does not list {t} under hands_off_to."
        assert any(p.message == expected for p in reported_h), expected
    for p in reported_h + reported_p:
        assert p.severity == "warning" and p.line is not None and p.file.endswith(".md")
    # The seed file's own example, word for word.
    assert any(p.message == "backend-specialist hands work to api-designer, but api-designer does not "
               "list backend-specialist under receives_from." for p in reported_h)


def test_sample_team_is_clean(sample):
    team = Team.load(sample)
    assert len(team.names()) >= 12
    assert [p for p in team.problems if p.severity in ("error", "warning")] == []
    assert all(not r.one_sided for r in team.relations())


def test_unlistable_subfolder_is_a_problem(tmp_path, monkeypatch):
    write(tmp_path, {"a.md": agent_md("a"), "locked/b.md": agent_md("b")})
    real = os.scandir

    def scandir(path):  # what a folder without read permission does (tests may run as root)
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    team = Team.load(tmp_path)
    assert team.names() == ["a"]
    assert [(p.code, p.file) for p in team.problems] == [("unreadable-file", "locked/")]
    assert "Permission denied" in team.problems[0].message


# -- a project folder opens the agents in its .claude/agents -----------------------------------

def _agent_file(folder, name):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.md").write_text(f"---\nname: {name}\ndescription: {name}\n---\nBody\n")


def test_a_project_folder_opens_its_claude_agents(tmp_path):
    from app.model.team import team_folder, team_title

    project = tmp_path / "shop"
    _agent_file(project / ".claude" / "agents", "planner")
    (project / "README.md").write_text("# Shop\n")  # a README is not an agent
    inner = project / ".claude" / "agents"
    assert team_folder(project) == inner
    assert team_folder(project / ".claude") == inner
    assert team_folder(inner) == inner
    team = Team.load(team_folder(project))
    assert team.names() == ["planner"]
    assert team_title(team.root) == "shop (.claude/agents)"
    assert team_title(tmp_path) == tmp_path.name
    from app.model.team import team_home

    assert team_home(team.root) == project.resolve() and team_home(tmp_path) == tmp_path


def test_a_folder_with_agents_of_its_own_stays_itself(tmp_path):
    from app.model.team import team_folder

    repo = tmp_path / "collection"
    _agent_file(repo, "reviewer")  # a collection of agents at the top...
    _agent_file(repo / ".claude" / "agents", "helper")  # ...with its own helpers for Claude Code
    assert team_folder(repo) == repo
    empty = tmp_path / "empty-project"
    (empty / ".claude" / "agents").mkdir(parents=True)  # nothing in it: nothing to prefer
    assert team_folder(empty) == empty
    assert team_folder(tmp_path / "missing") == tmp_path / "missing"


def test_the_corpus_projects_open_through_their_root(corpus):
    from app.model.team import team_folder

    roots = {p.parents[2] for p in corpus if p.parent.name == "agents" and p.parent.parent.name == ".claude"}
    assert roots  # the TaylorHuston collections keep their agents in .claude/agents
    for root in roots:
        inner = root / ".claude" / "agents"
        assert team_folder(root) == inner
        assert len(Team.load(team_folder(root)).names()) == len(list(inner.glob("*.md")))


def test_agents_in_subfolders_or_only_docs_decide_as_a_user_would(tmp_path):
    from app.model.team import team_folder

    collection = tmp_path / "collection"  # agents in topic folders, plus helpers for Claude Code
    _agent_file(collection / "engineering", "backend")
    _agent_file(collection / ".claude" / "agents", "helper")
    assert team_folder(collection) == collection
    docs = tmp_path / "site"  # pages with frontmatter are not agents
    (docs / "docs").mkdir(parents=True)
    (docs / "docs" / "intro.md").write_text("---\ntitle: Intro\ndescription: d\n---\n# Intro\n")
    _agent_file(docs / ".claude" / "agents", "writer")
    assert team_folder(docs) == docs / ".claude" / "agents"
    notes = tmp_path / "notes-only"  # .claude/agents holding no agent file
    (notes / ".claude" / "agents").mkdir(parents=True)
    (notes / ".claude" / "agents" / "README.md").write_text("# About our agents\n")
    _agent_file(notes / "agents", "x")
    assert team_folder(notes) == notes
