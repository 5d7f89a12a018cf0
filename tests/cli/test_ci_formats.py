"""`agent-canvas validate --format text|json|github|sarif`, `--fail-on` and `--files`.

Oracles: the Team model's own problems (what each format must carry, no more, no less), GitHub's
documented escaping re-implemented here in reverse, and the official SARIF 2.1.0 JSON schema
(tests/data/sarif, see its README) read by jsonschema.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import unquote

import jsonschema
import pytest

from app import __version__
from app.__main__ import main
from app.model.folder import team_folder, team_of
from app.model.problem_help import HELP
from app.model.team import Team
from app.model.validation import CODES

ROOT = Path(__file__).resolve().parents[2]
SAMPLE_TEAM = ROOT / "agents"
CORPUS = ROOT.parent / "shared" / "corpus"
SARIF_SCHEMA = json.loads((ROOT / "tests" / "data" / "sarif" / "sarif-schema-2.1.0.json").read_text())
FORMATS = ("text", "json", "github", "sarif")
LEVEL = {"error": "error", "warning": "warning", "info": "note"}
COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def teams() -> list[Path]:
    """The sample team and every collection folder of the corpus."""
    collections = sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []
    return [SAMPLE_TEAM, *collections]


def run(capsys, *args) -> tuple[int, str, str]:
    code = main(["validate", *(str(a) for a in args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def model_problems(folder: Path, prefix: str = "") -> set[tuple]:
    """(file relative to the working directory, line, code, severity, message) per problem
    (a project folder's team is in its .claude/agents, as for the command)."""
    inner = team_folder(folder)
    if inner != folder:
        prefix += inner.relative_to(folder).as_posix() + "/"
    team = Team.load(inner)
    return {(prefix + p.file if p.file else None, p.line, p.code, p.severity, p.message) for p in team.problems}


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def agent(folder: Path, name: str, extra: str = "", file: str | None = None) -> Path:
    return write(folder / (file or f"{name}.md"), f"---\nname: {name}\ndescription: Does {name}.\n{extra}---\nBody.\n")


# --- GitHub workflow commands, read back the way GitHub documents them ---------------------------

_COMMAND_LINE = re.compile(r"^::(error|warning|notice) ([^:]*)::(.*)$")


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def parse_github(out: str) -> list[tuple]:
    rows = []
    for line in out.splitlines():
        m = _COMMAND_LINE.match(line)
        assert m, f"not a workflow command: {line!r}"
        command, props, message = m.groups()
        # Properties are split on "," and "=" before unescaping: an escaped value has neither.
        values = dict(item.split("=", 1) for item in props.split(","))
        assert set(values) <= {"file", "line", "title"}
        rows.append((command, _unescape(values["file"]) if "file" in values else None,
                     int(values["line"]) if "line" in values else None, _unescape(values["title"]),
                     _unescape(message)))
    return rows


def as_github(problems: set[tuple]) -> list[tuple]:
    return sorted((COMMAND[sev], file, line, code, msg) for file, line, code, sev, msg in problems)


# --- every format on real teams -----------------------------------------------------------------


@pytest.mark.parametrize("folder", teams(), ids=lambda p: p.name)
def test_every_format_reports_exactly_the_models_problems(capsys, folder, monkeypatch):
    monkeypatch.chdir(folder.parent)  # the folder is given relative to the working directory
    expected = model_problems(folder, folder.name + "/")
    fails = any(sev == "error" for _f, _l, _c, sev, _m in expected)

    code, out, _ = run(capsys, folder.name, "--format", "text")
    assert code == int(fails)
    m = re.fullmatch(r"(\d+) agents?, (\d+) errors?, (\d+) warnings?(?:, (\d+) notes?)?", out.splitlines()[-1])
    assert m, out.splitlines()[-1]
    count = {sev: sum(1 for p in expected if p[3] == sev) for sev in ("error", "warning", "info")}
    agents = sum(1 for f in Team.load(team_folder(folder)).files.values() if f.agent)
    assert [int(n or 0) for n in m.groups()] == [agents,
                                                 count["error"], count["warning"], count["info"]]
    assert all(message in out for *_rest, message in expected)

    code, out, _ = run(capsys, folder.name, "--format", "json")
    assert code == int(fails)
    report = json.loads(out)
    # json keeps its paths relative to the folder given (as it always has)
    assert report["agents"] == agents
    assert {(folder.name + "/" + p["file"], p["line"], p["code"], p["severity"], p["message"])
            for p in report["problems"]} == expected
    assert len(report["problems"]) == len(expected)

    code, out, _ = run(capsys, folder.name, "--format", "github")
    assert code == int(fails)
    assert sorted(parse_github(out)) == as_github(expected)
    for _command, file, *_ in parse_github(out):
        assert (folder.parent / file).exists(), file  # relative to the working directory

    code, out, _ = run(capsys, folder.name, "--format", "sarif")
    assert code == int(fails)
    log = json.loads(out)
    jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    results = log["runs"][0]["results"]
    assert len(results) == len(expected)
    assert {sarif_row(r) for r in results} == {(f, ln, c, LEVEL[s], m) for f, ln, c, s, m in expected}


def sarif_row(result: dict) -> tuple:
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
    return (unquote(physical["artifactLocation"]["uri"]), physical.get("region", {}).get("startLine"),
            result["ruleId"], result["level"], result["message"]["text"])


def test_the_schema_check_rejects_a_broken_log(capsys):
    # The schema test above means something only if the validator fails on a real mistake.
    _code, out, _ = run(capsys, SAMPLE_TEAM, "--format", "sarif")
    log = json.loads(out)
    log["runs"][0]["results"] = [{"ruleId": "yaml-error", "level": "fatal", "message": {"text": "x"}}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate(log)
    del log["runs"][0]["tool"]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft4Validator(SARIF_SCHEMA).validate({"version": "2.1.0", "runs": log["runs"]})


def test_sarif_rules_are_every_code_with_its_help_and_the_tool_says_who_it_is(capsys, tmp_path):
    agent(tmp_path, "a", "model: gpt-9\n")
    code, out, _ = run(capsys, tmp_path, "--format", "sarif")
    assert code == 0
    run_ = json.loads(out)["runs"][0]
    driver = run_["tool"]["driver"]
    assert (driver["name"], driver["version"]) == ("agent-canvas", __version__)
    assert driver["informationUri"].startswith("https://")
    assert [r["id"] for r in driver["rules"]] == list(CODES)
    for rule in driver["rules"]:
        assert rule["help"]["text"] == HELP[rule["id"]]
        assert rule["defaultConfiguration"]["level"] == LEVEL[CODES[rule["id"]]]
    (result,) = run_["results"]
    assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"] == "unknown-model"
    assert run_["invocations"] == [{"executionSuccessful": True, "exitCode": 0}]


def test_every_problem_code_has_plain_english_help():
    assert set(HELP) == set(CODES)
    assert all(len(text) > 40 and text.endswith(".") for text in HELP.values())


# --- GitHub: escaping and paths ------------------------------------------------------------------


def test_github_escapes_percent_newlines_commas_and_colons(capsys, tmp_path, monkeypatch):
    project = tmp_path / "repo"
    # A file name with "," ":" and "%" (a property; Windows allows no ":") and a model with a
    # newline and "%" (the message).
    name, escaped = ("odd,name%.md", "odd%2Cname%25.md") if os.name == "nt" else ("odd,na:me%.md",
                                                                                  "odd%2Cna%3Ame%25.md")
    agent(project / ".claude" / "agents", "helper", 'model: "50%\\nsure, really: yes"\n', file=name)
    monkeypatch.chdir(project)
    code, out, _ = run(capsys, ".", "--format", "github")
    assert code == 0
    assert len(out.splitlines()) == 2  # one line per problem: the newline is escaped
    assert f"file=.claude/agents/{escaped}," in out
    assert "50%25%0Asure, really: yes" in out
    assert sorted(parse_github(out)) == as_github(model_problems(project / ".claude" / "agents",
                                                                 ".claude/agents/"))


def test_github_paths_follow_the_folder_as_given(capsys, tmp_path, monkeypatch):
    agent(tmp_path / "teams" / "t", "a", "coordination:\n  hands_off_to: [nobody]\n")
    monkeypatch.chdir(tmp_path)
    for given in ("teams/t", "./teams/t", "teams/t/", str(tmp_path / "teams" / "t")):
        code, out, _ = run(capsys, given, "--format", "github")
        assert code == 1
        ((command, file, line, title, _msg),) = parse_github(out)
        assert (command, file, line, title) == ("error", "teams/t/a.md", 5, "unknown-reference")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # a folder outside the working directory keeps its absolute path
    _code, out, _ = run(capsys, tmp_path / "teams" / "t", "--format", "github")
    assert parse_github(out)[0][1] == (tmp_path / "teams" / "t" / "a.md").as_posix()
    assert run(capsys, "../teams/t", "--format", "github")[1] == out.replace(tmp_path.as_posix(), "..")


# --- --fail-on and --json -----------------------------------------------------------------------


@pytest.mark.parametrize("fmt", FORMATS)
def test_fail_on_sets_the_exit_code(capsys, tmp_path, fmt):
    warned = tmp_path / "warned"
    agent(warned, "a", "model: gpt-9\n")  # one warning
    broken = tmp_path / "broken"
    write(broken / "b.md", "---\nname: b\n---\n")  # one error: no description
    for folder, fail_on, expected in ((warned, None, 0), (warned, "error", 0), (warned, "warning", 1),
                                      (warned, "never", 0), (broken, None, 1), (broken, "warning", 1),
                                      (broken, "never", 0)):
        args = [folder, "--format", fmt] + (["--fail-on", fail_on] if fail_on else [])
        assert run(capsys, *args)[0] == expected, (folder.name, fail_on)
    assert run(capsys, SAMPLE_TEAM, "--format", fmt, "--fail-on", "warning")[0] == 0


def test_json_is_an_alias_of_format_json(capsys):
    assert run(capsys, SAMPLE_TEAM, "--json") == run(capsys, SAMPLE_TEAM, "--format", "json")


def test_unknown_format_and_missing_folder_cannot_run(capsys, tmp_path):
    code, _, err = run(capsys, tmp_path, "--format", "xml")
    assert code == 2 and "invalid choice" in err
    code, _, err = run(capsys)
    assert code == 2 and "Give one team folder" in err
    code, _, err = run(capsys, tmp_path, SAMPLE_TEAM)
    assert code == 2 and "Give one team folder" in err
    code, _, err = run(capsys, "--files")
    assert code == 2 and "Give the agent files" in err
    code, _, err = run(capsys, "--files", tmp_path)
    assert code == 2 and "is a folder" in err


# --- --files: the teams the changed files belong to ---------------------------------------------


def test_team_of_finds_the_enclosing_agent_folder():
    assert team_of(".claude/agents/a.md") == str(Path(".claude/agents"))
    assert team_of("x/.claude/agents/sub/b.md") == str(Path("x/.claude/agents"))
    assert team_of(".github/agents/c.agent.md") == str(Path(".github/agents"))
    assert team_of(".opencode/agent/d.md") == str(Path(".opencode/agent"))
    assert team_of(".factory/droids/e.md") == str(Path(".factory/droids"))
    assert team_of("agents/f.md") == "agents"  # no agent folder: the file's own folder
    assert team_of(".claude/agents.md") == ".claude"


def test_files_validates_each_team_once_with_paths_from_the_working_directory(capsys, tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    good = repo / ".claude" / "agents"
    agent(good, "a", "coordination:\n  hands_off_to: [b]\n")
    agent(good / "sub", "b", "coordination:\n  receives_from: [a]\n")
    bad = repo / "pkg" / ".claude" / "agents"
    agent(bad, "c", "coordination:\n  hands_off_to: [ghost]\n")
    agent(bad, "d")
    monkeypatch.chdir(repo)
    files = [".claude/agents/a.md", ".claude/agents/sub/b.md", "pkg/.claude/agents/c.md",
             "pkg/.claude/agents/d.md", "gone/.claude/agents/e.md"]  # a deleted team is skipped
    expected = model_problems(good, ".claude/agents/") | model_problems(bad, "pkg/.claude/agents/")
    assert [p[2] for p in expected] == ["unknown-reference"]

    code, out, _ = run(capsys, "--format", "github", "--files", *files)
    assert code == 1
    # pre-commit puts a hook's args between its entry (`validate --files`) and the file names
    assert run(capsys, "--files", "--format", "github", *files) == (code, out, "")
    assert parse_github(out) == as_github(expected)  # once, though two files of that team changed

    code, out, _ = run(capsys, "--format", "json", "--files", *files)
    report = json.loads(out)
    assert report["agents"] == 4
    assert [(p["file"], p["code"]) for p in report["problems"]] == [("pkg/.claude/agents/c.md", "unknown-reference")]

    code, out, _ = run(capsys, "--files", *files)
    assert code == 1
    assert ".claude/agents: 2 agents, 0 errors, 0 warnings" in out
    assert "pkg/.claude/agents: 2 agents, 1 error, 0 warnings" in out
    assert "pkg/.claude/agents/c.md\n" in out

    code, out, _ = run(capsys, "--format", "sarif", "--files", *files[:2])
    assert code == 0 and json.loads(out)["runs"][0]["results"] == []


def test_files_on_a_copy_of_a_corpus_team(capsys, tmp_path, monkeypatch):
    source = CORPUS / "wshobson__agents"  # 200 agents in nested plugin folders
    if not source.is_dir():
        pytest.skip(f"corpus not found at {CORPUS} (CI always has it)")
    shutil.copytree(source, tmp_path / "repo" / ".claude" / "agents")
    monkeypatch.chdir(tmp_path / "repo")
    files = sorted(p.as_posix() for p in Path(".claude/agents").rglob("*.md"))
    code, out, _ = run(capsys, "--format", "json", "--files", *files)
    assert code == 0
    expected = model_problems(Path(".claude/agents"), ".claude/agents/")
    assert expected
    assert {(p["file"], p["line"], p["code"], p["severity"], p["message"])
            for p in json.loads(out)["problems"]} == expected
