"""The pre-commit hook (.pre-commit-hooks.yaml), run by pre-commit itself (`pre-commit try-repo`)
on a temporary git repository that holds a broken team and a good one.

pre-commit installs the hook's environment from this checkout the way a user's pre-commit would
(a virtual environment, `pip install .`), so this also proves the package installs and its
command runs outside the checkout's own .venv.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@example.invalid",
                    "-c", "commit.gpgsign=false", *args], cwd=cwd, check=True, capture_output=True)


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def agent(folder: Path, name: str, extra: str = "", file: str | None = None) -> None:
    write(folder / (file or f"{name}.md"), f"---\nname: {name}\ndescription: Does {name}.\n{extra}---\nBody.\n")


def test_the_hook_definition():
    (hook,) = HOOKS
    assert hook["id"] == "agent-canvas-validate"
    assert hook["language"] == "python"
    assert hook["entry"].split() == ["agent-canvas", "validate", "--files"]
    assert hook["pass_filenames"] is True and hook["require_serial"] is True


@pytest.mark.parametrize("path, matched", [
    (".claude/agents/a.md", True),
    (".claude/agents/sub/b.md", True),
    ("packages/web/.claude/agents/c.md", True),
    (".github/agents/d.agent.md", True),
    (".opencode/agent/e.md", True),
    (".opencode/agents/e.md", True),
    (".gemini/agents/f.md", True),
    (".cursor/agents/g.md", True),
    (".factory/droids/h.md", True),
    ("agents/i.md", False),  # no agent folder a tool reads
    ("docs/.claude/agents-notes.md", False),
    (".claude/agents/notes.txt", False),
    ("my.claude/agents/j.md", False),
])
def test_the_hook_runs_on_agent_folders_only(path, matched):
    # pre-commit matches `files` with re.search against the path from the repository's root.
    assert bool(re.search(HOOKS[0]["files"], path)) is matched


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory) -> Path:
    """A committed copy of this checkout as it is now (changes not yet committed included), so
    pre-commit builds the hook's environment once for every test here."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    shadow = tmp_path_factory.mktemp("hook-repo")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=ROOT, check=True, capture_output=True).stdout.decode().split("\0")
    for rel in filter(None, listed):
        source = ROOT / rel
        if source.is_file():
            (shadow / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, shadow / rel)
    git(shadow, "init", "-q")
    git(shadow, "add", "-A")
    git(shadow, "commit", "-q", "-m", "the checkout")
    return shadow


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def project(tmp_path) -> Path:
    """A repository with a good team and a broken one, whose error is in a file that the change
    below does not touch: b's hand-off names `helper`, and helper.md calls its agent helper2."""
    repo = tmp_path / "project"
    good = repo / ".claude" / "agents"
    agent(good, "planner", "coordination:\n  hands_off_to: [coder]\n")
    agent(good / "dev", "coder", "coordination:\n  receives_from: [planner]\n")
    bad = repo / "services" / "api" / ".claude" / "agents"
    agent(bad, "b", "coordination:\n  hands_off_to: [helper]\n")
    agent(bad, "helper2", file="helper.md")
    write(repo / "docs" / "broken.md", "---\nname: [not, valid\n---\n")  # outside any agent folder
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    return repo


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "VIRTUAL_ENV", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(home)
    return env


def _pre_commit(project: Path, home: Path, *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=project, env=_env(home),
                            capture_output=True, text=True, timeout=900, check=False)
    assert "Traceback" not in result.stdout + result.stderr, result.stdout + result.stderr
    return result


def run_hook(hook_repo: Path, home: Path, project: Path, *args: str, hook_args=()) -> subprocess.CompletedProcess:
    """`pre-commit run` with a config that names the hook as a user would (repo + rev). Unlike
    try-repo, which installs the hook's environment afresh each time (about 20 s: the package's
    dependencies include Qt), it reuses the environment in `home`."""
    rev = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, check=True, capture_output=True,
                         text=True).stdout.strip()
    hook: dict = {"id": "agent-canvas-validate"}
    if hook_args:
        hook["args"] = list(hook_args)
    (project / ".pre-commit-config.yaml").write_text(
        yaml.safe_dump({"repos": [{"repo": str(hook_repo), "rev": rev, "hooks": [hook]}]}), encoding="utf-8")
    git(project, "add", "-A")
    return _pre_commit(project, home, "run", *args)


def test_try_repo_a_change_to_one_file_checks_its_whole_team(hook_repo, pre_commit_home, project):
    result = _pre_commit(project, pre_commit_home, "try-repo", str(hook_repo), "agent-canvas-validate",
                         "--files", "services/api/.claude/agents/helper.md", ".claude/agents/dev/coder.md")
    assert result.returncode == 1, result.stdout + result.stderr
    out = result.stdout
    # The error is in b.md, which did not change: the hook checked helper.md's team.
    assert "services/api/.claude/agents/b.md\n  line 5    error   unknown-reference" in out
    assert "services/api/.claude/agents: 2 agents, 1 error, 0 warnings, 1 note" in out
    assert ".claude/agents: 2 agents, 0 errors, 0 warnings\n" in out
    assert out.count("services/api/.claude/agents: ") == 1  # each team once


def test_all_files_pass_when_the_teams_are_good(hook_repo, pre_commit_home, project):
    helper = project / "services" / "api" / ".claude" / "agents" / "helper.md"
    agent(helper.parent, "helper", "coordination:\n  receives_from: [b]\n")
    result = run_hook(hook_repo, pre_commit_home, project, "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"agent-canvas validate\.+Passed", result.stdout)
    assert "broken" not in result.stdout  # docs/ is no agent folder: not passed to the hook


def test_hook_args_come_before_the_file_names(hook_repo, pre_commit_home, project):
    # What a user's `args: [--format, github]` becomes: pre-commit puts args before the files.
    result = run_hook(hook_repo, pre_commit_home, project, "--all-files", hook_args=["--format", "github"])
    assert result.returncode == 1, result.stdout + result.stderr
    assert ("::error file=services/api/.claude/agents/b.md,line=5,title=unknown-reference::"
            "b lists helper under hands_off_to") in result.stdout
