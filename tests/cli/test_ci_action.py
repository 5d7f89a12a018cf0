"""The GitHub Action (action.yml) and the README's "Use it in CI" snippets.

action.yml and the example workflow are checked against GitHub's schemas (check-jsonschema's
copies); the Action's validate step is run by bash as the runner would run it, inputs in its
environment; the README's sample annotations must be what validate prints for the team they
describe.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ACTION = ROOT / "action.yml"
README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Use it in CI", 1)[1].split("\n## ", 1)[0]


def blocks(kind: str) -> list[str]:
    """The section's fenced code blocks whose info string is `kind`."""
    found, current, info = [], None, ""
    for line in SECTION.splitlines(keepends=True):
        if line.startswith("```"):
            if current is None:
                current, info = [], line[3:].strip()
            else:
                if info == kind:
                    found.append("".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return found


def check_schema(name: str, path: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", name, str(path)],
                          check=False, capture_output=True, text=True, timeout=120)


def test_action_is_valid_against_githubs_schema(tmp_path):
    result = check_schema("vendor.github-actions", ACTION)
    assert result.returncode == 0, result.stdout + result.stderr
    broken = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    broken["runs"]["using"] = "shell"
    (tmp_path / "action.yml").write_text(yaml.safe_dump(broken), encoding="utf-8")
    assert check_schema("vendor.github-actions", tmp_path / "action.yml").returncode != 0


def test_readme_workflow_is_valid_and_uses_the_action(tmp_path):
    (workflow,) = [b for b in blocks("yaml") if "jobs:" in b]
    path = tmp_path / "agents.yml"
    path.write_text(workflow, encoding="utf-8")
    result = check_schema("vendor.github-workflows", path)
    assert result.returncode == 0, result.stdout + result.stderr
    steps = yaml.safe_load(workflow)["jobs"]["validate"]["steps"]
    ours = next(s for s in steps if s.get("uses", "").startswith("agent-canvas/agent-canvas@"))
    inputs = yaml.safe_load(ACTION.read_text(encoding="utf-8"))["inputs"]
    assert set(ours["with"]) <= set(inputs)
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == ours["with"]["sarif-file"]


def test_readme_pre_commit_snippet_names_the_hook():
    (config,) = [b for b in blocks("yaml") if "hooks:" in b]
    (repo,) = yaml.safe_load(config)["repos"]
    hook_ids = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert {h["id"] for h in repo["hooks"]} <= hook_ids


def write_readme_team(project: Path) -> None:
    """The team the README's sample annotations are about."""
    agents = project / ".claude" / "agents"
    agents.mkdir(parents=True)
    (agents / "planner.md").write_text("---\nname: planner\ndescription: Plans the work.\ncoordination:\n"
                                       "  hands_off_to: [coder, reviewer]\n---\nBody.\n", encoding="utf-8")
    (agents / "coder.md").write_text("---\nname: coder\ndescription: Writes the code.\nmodel: sonnet-4\n---\n"
                                     "Body.\n", encoding="utf-8")


def validate_step(tmp_path: Path, project: Path, **inputs: str) -> subprocess.CompletedProcess:
    """The Action's validate step, run by bash with its env as the runner would set it."""
    action = yaml.safe_load(ACTION.read_text(encoding="utf-8"))
    step = next(s for s in action["runs"]["steps"] if s.get("name") == "Validate the agent files")
    defaults = {name: spec.get("default", "") for name, spec in action["inputs"].items()}
    values = {**defaults, **inputs}
    env = {k: re.sub(r"\$\{\{ inputs\.([\w-]+) \}\}", lambda m: values[m.group(1)], v)
           for k, v in step["env"].items()}
    script = tmp_path / "step.sh"
    script.write_text(step["run"], encoding="utf-8")
    # The install step puts the venv's bin folder on PATH; here it is this interpreter's.
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return subprocess.run(["bash", "-e", str(script)], cwd=project, capture_output=True, text=True,
                          env={**os.environ, **env, "PATH": path}, timeout=120, check=False)


needs_bash = pytest.mark.skipif(shutil.which("bash") is None or sys.platform == "win32", reason="bash")


@needs_bash
def test_the_actions_step_annotates_and_fails_on_errors(tmp_path):
    project = tmp_path / "project"
    write_readme_team(project)
    result = validate_step(tmp_path, project, **{"sarif-file": "out.sarif"})
    assert result.returncode == 1, result.stderr
    (sample,) = [b for b in blocks("") if b.startswith("::")]
    assert result.stdout == sample  # the README shows what it prints
    log = json.loads((project / "out.sarif").read_text(encoding="utf-8"))
    assert len(log["runs"][0]["results"]) == 3
    assert validate_step(tmp_path, project, **{"fail-on": "never"}).returncode == 0


@needs_bash
def test_the_actions_step_passes_on_the_sample_team(tmp_path):
    result = validate_step(tmp_path, ROOT, path="agents", **{"fail-on": "warning"})
    assert (result.returncode, result.stdout) == (0, "")
