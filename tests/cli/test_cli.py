"""The command line, run in-process through app.__main__.main on copies of real teams.

Assertions are on exit codes, the JSON report and the bytes of the files: an edit must change
exactly the lines it is about and nothing else, and bad input must give a sentence, not a
traceback.
"""

from __future__ import annotations

import builtins
import difflib
import errno
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from app import __version__
from app.__main__ import main
from app.cli import parse_value
from app.io.document import parse_document

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_TEAM = ROOT / "agents"


# -- helpers ----------------------------------------------------------------------------------


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*.md"))}


def changed_lines(before: bytes, after: bytes) -> list[str]:
    """The lines that differ, as '-old' / '+new' (line endings kept)."""
    diff = difflib.ndiff(before.decode().splitlines(keepends=True), after.decode().splitlines(keepends=True))
    return [d[0] + d[2:] for d in diff if d[0] in "+-"]


def frontmatter(path: Path) -> dict:
    doc = parse_document(path.read_text(encoding="utf-8"))
    return yaml.safe_load(doc.frontmatter)


def body(path: Path) -> str:
    return parse_document(path.read_text(encoding="utf-8")).body


def write_agent(folder: Path, name: str, extra: str = "", *, description: str = "Does one thing well.") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(f"---\nname: {name}\ndescription: {description}\n{extra}---\n\nBody of {name}.\n",
                    encoding="utf-8")
    return path


@pytest.fixture
def team(tmp_path) -> Path:
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE_TEAM, folder)
    return folder


def validate_json(capsys, folder: Path) -> tuple[int, dict]:
    code, out, _ = cli(capsys, "validate", folder, "--json")
    return code, json.loads(out)


def serious(report: dict) -> list[dict]:
    return [p for p in report["problems"] if p["severity"] in ("error", "warning")]


# -- version and dispatch ---------------------------------------------------------------------


def test_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"agent-canvas {__version__}"


def test_no_subcommand_opens_the_editor_with_folder_screenshot_and_size(monkeypatch, tmp_path):
    calls = []
    fake = type(sys)("app.ui.app")
    fake.run = lambda folder, screenshot=None, size=None, select=None, view="canvas": (
        calls.append((folder, screenshot, size, select, view)) or 7)
    monkeypatch.setitem(sys.modules, "app.ui.app", fake)
    shot = tmp_path / "shot.png"
    assert main(["agents", "--screenshot", str(shot), "--size", "800x600", "--select", "api-designer"]) == 7
    assert main([]) == 7
    assert main(["agents", "--view", "matrix"]) == 7
    assert main(["agents", "--view", "table"]) == 2  # a usage error, said by argparse
    assert calls == [("agents", str(shot), (800, 600), "api-designer", "canvas"),
                     (None, None, None, None, "canvas"), ("agents", None, None, None, "matrix")]


def test_the_editor_path_turns_the_cycle_collector_back_on_however_it_ends(monkeypatch):
    """main() switches Python's collector off for the editor's start; it must be on again when
    the editor returns or fails before any paint (the first paint normally turns it on)."""
    import gc

    seen = []

    def failing_run(folder, screenshot=None, size=None, select=None, view="canvas"):
        seen.append(gc.isenabled())
        raise RuntimeError("no window")

    fake = type(sys)("app.ui.app")
    fake.run = failing_run
    monkeypatch.setitem(sys.modules, "app.ui.app", fake)
    with pytest.raises(RuntimeError):
        main(["agents"])
    assert seen == [False]  # off during the start...
    assert gc.isenabled()  # ...and on again afterwards


def test_bad_size_is_a_usage_error(capsys):
    assert main(["--size", "huge"]) == 2
    assert "WIDTHxHEIGHT" in capsys.readouterr().err


# -- validate ---------------------------------------------------------------------------------


def test_validate_sample_team_is_clean(capsys, team):
    code, out, _ = cli(capsys, "validate", team)
    assert code == 0
    assert out.strip().splitlines()[-1] == "12 agents, 0 errors, 0 warnings"


def test_commands_on_a_project_folder_work_on_its_claude_agents(capsys, team, tmp_path):
    project = tmp_path / "shop"
    shutil.copytree(team, project / ".claude" / "agents")
    (project / "README.md").write_text("# Shop\n")
    code, out, err = cli(capsys, "validate", project)
    assert code == 0
    assert out.strip().splitlines()[-1] == "12 agents, 0 errors, 0 warnings"
    assert f"reading the agents in {project / '.claude' / 'agents'}" in err
    code, out, _err = cli(capsys, "set", project, "api-designer", "model=opus")
    assert code == 0
    assert "wrote .claude/agents/api-designer.md" in out  # paths as seen from the DIR given
    assert "model: opus" in (project / ".claude" / "agents" / "api-designer.md").read_text()
    assert (project / "README.md").read_text() == "# Shop\n"
    (project / ".claude" / "agents" / "api-designer.md").write_text("---\nname: api-designer\nmodel: [\n---\n")
    code, out, _err = cli(capsys, "validate", project, "--json")
    files = {p["file"] for p in json.loads(out)["problems"]}
    assert ".claude/agents/api-designer.md" in files
    # repair takes files: a file beside .claude is repaired (or not) where it is
    code, out, err = cli(capsys, "repair", project / "README.md")
    assert "reading the agents" not in err and "no such file" not in err


def test_validate_json_shape_and_relative_files(capsys, tmp_path):
    folder = tmp_path / "t"
    write_agent(folder, "lead", "coordination:\n  hands_off_to: [ghost]\n")
    (folder / "nested").mkdir()
    # An indented line with ": ": beyond what Claude Code's fallback reads.
    (folder / "nested" / "broken.md").write_text(
        "---\nname: broken\ndescription: Says\n  hello: there\n---\nbody\n", encoding="utf-8")
    code, report = validate_json(capsys, folder)
    assert code == 1
    assert report["agents"] == 2
    for p in report["problems"]:
        assert set(p) == {"severity", "code", "file", "line", "agent", "message"}
    by_code = {p["code"]: p for p in report["problems"]}
    unknown = by_code["unknown-reference"]
    assert (unknown["severity"], unknown["file"], unknown["agent"]) == ("error", "lead.md", "lead")
    assert unknown["line"] == 5 and "ghost" in unknown["message"]
    broken = by_code["yaml-error"]
    assert (broken["severity"], broken["file"], broken["line"]) == ("error", "nested/broken.md", 4)


def test_validate_human_output_groups_by_file_and_summarises(capsys, tmp_path):
    folder = tmp_path / "t"
    write_agent(folder, "a", "color: teal\ncoordination:\n  hands_off_to: [b, ghost]\n")
    write_agent(folder, "b")
    code, out, _ = cli(capsys, "validate", folder)
    assert code == 1
    lines = out.splitlines()
    assert lines[0] == "a.md"
    assert [ln for ln in lines if ln.strip() == "a.md"] == ["a.md"]  # one heading per file
    body_lines = lines[1:lines.index("")]
    assert all(ln.startswith("  ") for ln in body_lines)
    assert any("unknown-reference" in ln and "ghost" in ln for ln in body_lines)
    assert any("unknown-color" in ln and "teal" in ln for ln in body_lines)
    assert lines[-1].startswith("2 agents, 1 error, ")
    assert "2 warnings" in lines[-1]  # unknown colour + b does not declare receiving from a


# -- set / unset ------------------------------------------------------------------------------


def test_set_model_changes_exactly_one_line(capsys, team):
    before = snapshot(team)
    code, out, _ = cli(capsys, "set", team, "backend-specialist", "model=opus")
    assert code == 0
    after = snapshot(team)
    changed = {p for p in before if before[p] != after[p]}
    assert changed == {"backend-specialist.md"}
    assert changed_lines(before["backend-specialist.md"], after["backend-specialist.md"]) == [
        "-model: sonnet\n", "+model: opus\n"]
    assert "backend-specialist.md" in out


def test_set_several_values_are_yaml_flow_values(capsys, team):
    path = team / "code-reviewer.md"
    before = path.read_bytes()
    code, _, _ = cli(capsys, "set", team, "code-reviewer", "maxTurns=5", "skills=[lint, style]", "tools=Read, Grep")
    assert code == 0
    data = frontmatter(path)
    assert data["maxTurns"] == 5
    assert data["skills"] == ["lint", "style"]
    assert data["tools"] == "Read, Grep"
    lines = changed_lines(before, path.read_bytes())
    assert sorted(lines) == sorted(
        ["-tools: Read, Grep, Glob\n", "+tools: Read, Grep\n", "+maxTurns: 5\n", "+skills: [lint, style]\n"])
    assert body(path) == parse_document(before.decode()).body


def test_set_dotted_field_and_the_warning_it_causes(capsys, team):
    code, out, _ = cli(capsys, "set", team, "project-manager", "coordination.hands_off_to=[code-architect, api-designer]")
    assert code == 0
    assert frontmatter(team / "project-manager.md")["coordination"]["hands_off_to"] == ["code-architect", "api-designer"]
    assert "asymmetric-handoff" in out  # the command says what the edit left behind
    code, report = validate_json(capsys, team)
    assert code == 0
    assert [p["code"] for p in serious(report)] == ["asymmetric-handoff"]


def test_unset_removes_one_line(capsys, team):
    before = (team / "test-engineer.md").read_bytes()
    code, _, _ = cli(capsys, "unset", team, "test-engineer", "color")
    assert code == 0
    assert changed_lines(before, (team / "test-engineer.md").read_bytes()) == ["-color: green\n"]


def test_set_name_points_to_rename(capsys, team):
    before = snapshot(team)
    code, _, err = cli(capsys, "set", team, "test-engineer", "name=qa")
    assert code != 0 and "rename" in err
    assert snapshot(team) == before


def test_set_unknown_agent_changes_nothing(capsys, team):
    before = snapshot(team)
    code, _, err = cli(capsys, "set", team, "nobody", "model=opus")
    assert code == 1 and "nobody" in err
    assert snapshot(team) == before


def test_set_without_equals_is_a_usage_error(capsys, team):
    before = snapshot(team)
    code, _, err = cli(capsys, "set", team, "test-engineer", "model")
    assert code == 2 and "FIELD=VALUE" in err
    assert snapshot(team) == before


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("5", 5),
        ("[a, b]", ["a", "b"]),
        ("sonnet", "sonnet"),
        ("Read, Grep", "Read, Grep"),
        ("true", True),
        ("null", None),
        ("", ""),
        ("Reviews code: fast", "Reviews code: fast"),  # a mapping-looking text is what was typed
        ("- a", "- a"),
        ("#hashtag", "#hashtag"),
        ("2025-01-01", "2025-01-01"),
        ('"quoted: yes"', "quoted: yes"),
        ("{a: 1}", {"a": 1}),
    ],
)
def test_parse_value(text, value):
    assert parse_value(text) == value


def test_set_value_with_aliases_is_refused(capsys, team):
    before = snapshot(team)
    bomb = "[&a [x, x, x], &b [*a, *a, *a], &c [*b, *b, *b], [*c, *c, *c]]"
    code, _, err = cli(capsys, "set", team, "test-engineer", f"skills={bomb}")
    assert code == 2 and "aliases" in err
    assert snapshot(team) == before


def test_set_invalid_flow_value_is_refused(capsys, team):
    before = snapshot(team)
    code, _, err = cli(capsys, "set", team, "test-engineer", "skills=[a, b")
    assert code == 2 and "not valid YAML" in err
    assert snapshot(team) == before


# -- link / unlink ----------------------------------------------------------------------------


def test_link_declares_both_sides_one_line_each(capsys, team):
    before = snapshot(team)
    code, _, _ = cli(capsys, "link", team, "project-manager", "docs-sync-agent")
    assert code == 0
    after = snapshot(team)
    assert {p for p in before if before[p] != after[p]} == {"project-manager.md", "docs-sync-agent.md"}
    assert changed_lines(before["project-manager.md"], after["project-manager.md"]) == [
        "-  hands_off_to: [code-architect]\n", "+  hands_off_to: [code-architect, docs-sync-agent]\n"]
    assert frontmatter(team / "docs-sync-agent.md")["coordination"]["receives_from"][-1] == "project-manager"
    assert len(changed_lines(before["docs-sync-agent.md"], after["docs-sync-agent.md"])) == 2
    code, report = validate_json(capsys, team)
    assert (code, serious(report)) == (0, [])


def test_link_parallel_one_sided_changes_only_the_source(capsys, team):
    before = snapshot(team)
    code, out, _ = cli(capsys, "link", team, "test-engineer", "security-auditor", "--kind", "parallel", "--one-sided")
    assert code == 0
    after = snapshot(team)
    assert {p for p in before if before[p] != after[p]} == {"test-engineer.md"}
    assert "security-auditor" in frontmatter(team / "test-engineer.md")["coordination"]["parallel_with"]
    assert "asymmetric-parallel" in out


def test_unlink_removes_both_sides(capsys, team):
    code, _, _ = cli(capsys, "unlink", team, "backend-specialist", "test-engineer")
    assert code == 0
    assert "test-engineer" not in frontmatter(team / "backend-specialist.md")["coordination"]["hands_off_to"]
    assert "backend-specialist" not in frontmatter(team / "test-engineer.md")["coordination"]["receives_from"]
    code, report = validate_json(capsys, team)
    assert (code, serious(report)) == (0, [])


def test_link_to_unknown_agent_changes_nothing(capsys, team):
    before = snapshot(team)
    code, _, err = cli(capsys, "link", team, "project-manager", "ghost")
    assert code == 1 and "ghost" in err
    assert snapshot(team) == before


# -- rename / new / rm ------------------------------------------------------------------------


def test_rename_moves_the_file_and_every_reference(capsys, team):
    before = snapshot(team)
    code, out, _ = cli(capsys, "rename", team, "backend-specialist", "server-engineer")
    assert code == 0
    assert "removed backend-specialist.md" in out and "wrote server-engineer.md" in out
    assert not (team / "backend-specialist.md").exists()
    assert frontmatter(team / "server-engineer.md")["name"] == "server-engineer"
    after = snapshot(team)
    for path in after:
        assert "backend-specialist" not in json.dumps(frontmatter(team / path)), path
    # Only files that referred to it changed, and their bodies did not.
    referring = {"api-designer.md", "database-specialist.md", "frontend-specialist.md", "test-engineer.md",
                 "code-reviewer.md", "security-auditor.md"}
    assert {p for p in after if p in before and before[p] != after[p]} == referring
    for path in referring:
        assert body(team / path) == parse_document(before[path].decode()).body
    assert body(team / "server-engineer.md") == parse_document(before["backend-specialist.md"].decode()).body
    code, report = validate_json(capsys, team)
    assert (code, serious(report)) == (0, [])


def test_rename_to_a_taken_name_is_refused(capsys, team):
    before = snapshot(team)
    code, _, err = cli(capsys, "rename", team, "backend-specialist", "code-reviewer")
    assert code == 1 and err
    assert snapshot(team) == before


def test_new_creates_a_valid_agent(capsys, team):
    code, _, _ = cli(capsys, "new", team, "release-manager", "--description", "Cuts releases and writes notes.")
    assert code == 0
    data = frontmatter(team / "release-manager.md")
    assert (data["name"], data["description"]) == ("release-manager", "Cuts releases and writes notes.")
    code, report = validate_json(capsys, team)
    assert code == 0 and report["agents"] == 13 and serious(report) == []


@pytest.mark.parametrize("name", ["code-reviewer", "Bad:Name", "con"])
def test_new_with_a_taken_or_invalid_name_is_refused(capsys, team, name):
    before = snapshot(team)
    code, _, err = cli(capsys, "new", team, name)
    assert code == 1 and err
    assert snapshot(team) == before


def test_rm_removes_the_file_and_references(capsys, team):
    code, out, _ = cli(capsys, "rm", team, "code-reviewer")
    assert code == 0
    assert "moved code-reviewer.md to the trash" in out
    assert not (team / "code-reviewer.md").exists()
    for path in snapshot(team):
        assert "code-reviewer" not in json.dumps(frontmatter(team / path)), path
    code, report = validate_json(capsys, team)
    assert code == 0 and report["agents"] == 11 and serious(report) == []


# -- files whose YAML is invalid --------------------------------------------------------------


@pytest.fixture
def team_with_invalid_file(tmp_path) -> Path:
    folder = tmp_path / "t"
    write_agent(folder, "good", "model: sonnet\n")
    # An indented line with ": ": beyond what Claude Code's fallback reads.
    (folder / "bad.md").write_text(
        "---\nname: bad\ndescription: Reviews\n  everything: at once\nmodel: haiku\n---\nBody.\n",
        encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    "args",
    [
        ("set", "bad", "model=opus"),
        ("unset", "bad", "model"),
        ("link", "good", "bad"),
        ("link", "bad", "good"),
        ("rename", "bad", "better"),
    ],
)
def test_edit_of_an_invalid_file_is_refused_and_names_the_line(capsys, team_with_invalid_file, args):
    before = snapshot(team_with_invalid_file)
    code, _, err = cli(capsys, args[0], team_with_invalid_file, *args[1:])
    assert code == 1
    assert "bad.md line 4" in err
    assert snapshot(team_with_invalid_file) == before


def test_edit_of_a_valid_agent_still_works_beside_an_invalid_file(capsys, team_with_invalid_file):
    code, _, _ = cli(capsys, "set", team_with_invalid_file, "good", "model=opus")
    assert code == 0
    assert frontmatter(team_with_invalid_file / "good.md")["model"] == "opus"


def test_repair_makes_an_invalid_corpus_file_valid(capsys, tmp_path, corpus):
    from app.io.reader import read_frontmatter

    invalid = []
    for path in corpus:
        doc = parse_document(path.read_text(encoding="utf-8"))
        if doc.frontmatter is not None:
            # Not standard YAML: Claude Code reads these through its fallback.
            fm = read_frontmatter(doc.frontmatter, doc.frontmatter_line, lenient=False)
            if fm.error is not None:
                invalid.append((path, fm.recovered))
        if len(invalid) == 3:
            break
    assert invalid, "the corpus has invalid files (about 1 in 10)"
    folder = tmp_path / "t"
    folder.mkdir()
    for path, _ in invalid:
        shutil.copyfile(path, folder / path.name)
    code, report = validate_json(capsys, folder)
    assert sum(p["code"] == "lenient-yaml" for p in report["problems"]) == len(invalid)

    code, _, _ = cli(capsys, "repair", *[folder / p.name for p, _ in invalid])
    assert code == 0
    code, report = validate_json(capsys, folder)
    assert [p for p in report["problems"] if p["code"] in ("yaml-error", "lenient-yaml")] == []
    for path, recovered in invalid:
        repaired = folder / path.name
        assert body(repaired) == parse_document(path.read_text(encoding="utf-8")).body
        data = frontmatter(repaired)
        for key in ("name", "description", "model", "color"):
            if key in recovered:
                assert data[key] == recovered[key], (path.name, key)
    # A second repair finds nothing to do and leaves the bytes alone.
    before = snapshot(folder)
    assert cli(capsys, "repair", *[folder / p.name for p, _ in invalid])[0] == 0
    assert snapshot(folder) == before


def test_repair_of_a_missing_file_is_a_plain_failure(capsys, tmp_path):
    code, _, err = cli(capsys, "repair", tmp_path / "nope.md")
    assert code == 1 and "nope.md" in err


# -- bad input --------------------------------------------------------------------------------


def test_missing_folder(capsys, tmp_path):
    code, _, err = cli(capsys, "validate", tmp_path / "missing")
    assert code == 2 and "no folder" in err.lower()


def test_folder_that_is_a_symlink_loop(capsys, tmp_path):
    os.symlink("loop", tmp_path / "loop")
    code, _, err = cli(capsys, "validate", tmp_path / "loop")
    assert code == 2 and "symbolic link" in err


def test_file_instead_of_folder(capsys, tmp_path):
    path = write_agent(tmp_path, "solo")
    code, _, err = cli(capsys, "validate", path)
    assert code == 2 and "not a folder" in err


def _bad_team(folder: Path) -> dict[str, str]:
    """A clean agent plus one file of each kind of bad input; returns file → words expected."""
    write_agent(folder, "fine")
    (folder / "binary.md").write_bytes(b"---\nname: x\n---\n\x00\x01\x02\xff" * 10)
    with open(folder / "huge.md", "wb") as f:  # 50 MB, sparse: costs no disk
        f.write(b"---\nname: huge\n")
        f.truncate(50 * 1024 * 1024)
    (folder / "latin1.md").write_bytes("---\nname: caf\xe9\ndescription: d\n---\n".encode("latin-1"))
    bomb = "---\nname: bomb\ndescription: d\na: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 10):
        bomb += f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join(f"*{chr(96 + i)}" for _ in range(9)) + "]\n"
    (folder / "bomb.md").write_text(bomb + "---\n", encoding="utf-8")
    os.symlink("loop-b.md", folder / "loop-a.md")
    os.symlink("loop-a.md", folder / "loop-b.md")
    os.symlink(".", folder / "self")  # a folder that contains itself
    return {"binary.md": "binary", "huge.md": "too large", "latin1.md": "UTF-8", "bomb.md": "",
            "loop-a.md": "", "loop-b.md": ""}


def test_bad_input_gives_problems_not_tracebacks(capsys, tmp_path):
    folder = tmp_path / "t"
    expected = _bad_team(folder)
    code, report = validate_json(capsys, folder)
    assert code == 1
    files = {p["file"]: p for p in report["problems"] if p["severity"] == "error"}
    for name, words in expected.items():
        assert name in files, name
        assert words.lower() in files[name]["message"].lower(), (name, files[name]["message"])
    assert files["bomb.md"]["code"] == "yaml-error"
    assert "fine.md" not in files
    # Human output too, and an edit of the good agent still works.
    code, out, _ = cli(capsys, "validate", folder)
    assert code == 1 and "huge.md" in out
    assert cli(capsys, "set", folder, "fine", "model=haiku")[0] == 0
    assert frontmatter(folder / "fine.md")["model"] == "haiku"


def test_unreadable_file_is_a_problem(capsys, tmp_path, monkeypatch):
    # Tests run as root, where chmod 000 does not stop reading: make opening that one file fail
    # with EACCES instead, whichever way the reader opens it (open() or os.open()).
    folder = tmp_path / "t"
    write_agent(folder, "fine")
    secret = write_agent(folder, "secret")

    def refusing(real):
        def guarded(file, *args, **kwargs):
            if isinstance(file, (str, os.PathLike)) and os.fspath(file) == str(secret):
                raise PermissionError(errno.EACCES, "Permission denied", str(file))
            return real(file, *args, **kwargs)
        return guarded

    monkeypatch.setattr(builtins, "open", refusing(builtins.open))
    monkeypatch.setattr(os, "open", refusing(os.open))
    code, report = validate_json(capsys, folder)
    monkeypatch.undo()
    assert code == 1
    [problem] = [p for p in report["problems"] if p["file"] == "secret.md"]
    assert problem["severity"] == "error" and "permission" in problem["message"].lower()


def test_unexpected_failure_is_a_sentence_and_exit_2(capsys, team, monkeypatch):
    from app.model import team as team_module

    def boom(cls, root):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(team_module.Team, "load", classmethod(boom))
    code, _, err = cli(capsys, "validate", team)
    assert code == 2
    assert err.startswith("agent-canvas: ") and "disk on fire" in err


# -- export -----------------------------------------------------------------------------------


def test_export_json_lists_agents_and_relations(capsys, team):
    code, out, _ = cli(capsys, "export", team, "--format", "json")
    assert code == 0
    data = json.loads(out)
    text = json.dumps(data)
    for name in ("backend-specialist", "docs-sync-agent", "project-manager"):
        assert name in text


@pytest.mark.parametrize(("fmt", "marker"), [("mermaid", "-->"), ("dot", "->")])
def test_export_graph_formats_to_a_file(capsys, team, tmp_path, fmt, marker):
    target = tmp_path / f"team.{fmt}"
    code, _, _ = cli(capsys, "export", team, "--format", fmt, "-o", target)
    assert code == 0
    text = target.read_text(encoding="utf-8")
    assert marker in text and "code-architect" in text and "api-designer" in text
    assert snapshot(team) == snapshot(SAMPLE_TEAM)  # export never touches the team


# -- the installed entry point ----------------------------------------------------------------


def test_python_m_app_version_in_a_subprocess():
    done = subprocess.run([sys.executable, "-m", "app", "--version"], capture_output=True, text=True,
                          cwd=ROOT, check=False)
    assert done.returncode == 0
    assert done.stdout.strip() == f"agent-canvas {__version__}"


def test_validate_does_not_import_qt():
    script = (
        "import sys\n"
        "from app.__main__ import main\n"
        f"code = main(['validate', {str(SAMPLE_TEAM)!r}])\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6')))\n"
        "print('QT', qt)\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "QT []"


def test_export_into_a_missing_folder_is_a_plain_failure(capsys, team, tmp_path):
    code, _, err = cli(capsys, "export", team, "--format", "dot", "-o", tmp_path / "no" / "such" / "team.dot")
    assert code == 1 and "team.dot" in err
    assert not (tmp_path / "no").exists()


def test_repair_refuses_folders_and_non_agent_files(capsys, tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("name: x: y\n", encoding="utf-8")
    code, _, err = cli(capsys, "repair", tmp_path, notes)
    assert code == 1
    assert "is a folder" in err and "not a .md file" in err
    assert notes.read_text(encoding="utf-8") == "name: x: y\n"


def test_repair_leaves_a_valid_file_byte_identical(capsys, team):
    before = (team / "api-designer.md").read_bytes()
    code, out, _ = cli(capsys, "repair", team / "api-designer.md")
    assert code == 0 and "already valid" in out
    assert (team / "api-designer.md").read_bytes() == before
