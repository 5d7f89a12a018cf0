"""`export -o FILE` never loses a file: an existing FILE is replaced only with --force, and the
team's own agent files and layout file are never written over, whatever name leads to them
(a link, a linked folder, another case on a case-insensitive disk), even with --force.

Assertions are on exit codes, messages and the bytes on disk.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

import app.commands.check
from app.__main__ import main

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"
AGENT = "api-designer.md"


def cli(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def files(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def team(tmp_path) -> Path:
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE_TEAM, folder)
    return folder


def symlink_or_skip(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except (OSError, NotImplementedError) as e:  # Windows without Developer Mode
        pytest.skip(f"this system cannot make symbolic links here: {e}")


def test_an_existing_file_is_kept_without_force(capsys, team, tmp_path):
    target = tmp_path / "graph.json"
    target.write_bytes(b"my notes, not an export\n")
    code, out, err = cli(capsys, "export", team, "--format", "json", "-o", target)
    assert code == 1
    assert "already exists" in err and "--force" in err and "nothing was written" in err
    assert out == ""
    assert target.read_bytes() == b"my notes, not an export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json", "team"]  # no temporary left


def test_force_replaces_an_existing_file_with_the_export(capsys, team, tmp_path):
    target = tmp_path / "graph.json"
    target.write_bytes(b"an old export\n")
    code, out, _ = cli(capsys, "export", team, "--format", "json", "-o", target, "--force")
    assert code == 0 and "Wrote" in out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert "api-designer" in json.dumps(data)


def test_a_new_file_needs_no_force(capsys, team, tmp_path):
    target = tmp_path / "graph.dot"
    code, _, _ = cli(capsys, "export", team, "--format", "dot", "-o", target)
    assert code == 0 and "->" in target.read_text(encoding="utf-8")


@pytest.mark.parametrize("force", [False, True])
def test_an_agent_file_is_never_written_over(capsys, team, force):
    before = files(team)
    code, _, err = cli(capsys, "export", team, "--format", "json", "-o", team / AGENT, *(["--force"] if force else []))
    assert code == 1
    assert f"the agent file {AGENT}" in err and "even with --force" in err
    assert files(team) == before


@pytest.mark.parametrize("exists", [False, True])
def test_the_layout_file_is_never_written_over(capsys, team, exists):
    sidecar = team / ".agent-canvas.json"
    if exists:
        sidecar.write_bytes(b'{"positions": {}}\n')
    before = files(team)
    code, _, err = cli(capsys, "export", team, "--format", "json", "-o", sidecar, "--force")
    assert code == 1 and ".agent-canvas.json" in err
    assert files(team) == before  # not created either: the app would read it as the layout


def test_an_agent_file_in_a_project_folder_is_never_written_over(capsys, tmp_path):
    project = tmp_path / "project"
    shutil.copytree(SAMPLE_TEAM, project / ".claude" / "agents")
    before = files(project)
    code, _, err = cli(capsys, "export", project, "--format", "dot", "-o",
                       project / ".claude" / "agents" / AGENT, "--force")
    assert code == 1 and AGENT in err
    assert files(project) == before


def test_a_link_to_an_agent_file_is_refused(capsys, team, tmp_path):
    link = tmp_path / "graph.json"
    symlink_or_skip(link, team / AGENT)
    before = files(team)
    code, _, err = cli(capsys, "export", team, "--format", "json", "-o", link, "--force")
    assert code == 1 and AGENT in err
    assert files(team) == before and link.is_symlink()


def test_a_linked_folder_leading_into_the_team_is_refused(capsys, team, tmp_path):
    alias = tmp_path / "alias"
    symlink_or_skip(alias, team)
    before = files(team)
    code, _, err = cli(capsys, "export", team, "--format", "json", "-o", alias / AGENT, "--force")
    assert code == 1 and AGENT in err
    assert files(team) == before


def test_a_hard_link_to_an_agent_file_is_refused(capsys, team, tmp_path):
    twin = tmp_path / "twin.md"
    try:
        os.link(team / AGENT, twin)
    except OSError as e:
        pytest.skip(f"this file system cannot make hard links: {e}")
    before = files(team)
    code, _, err = cli(capsys, "export", team, "--format", "json", "-o", twin, "--force")
    assert code == 1 and AGENT in err
    assert files(team) == before


def test_another_case_of_an_agent_file_is_refused_where_case_is_ignored(capsys, team, monkeypatch):
    # Emulates Windows and macOS on any disk: the comparison folds case as theirs do.
    monkeypatch.setattr(app.commands.check, "_CASE_INSENSITIVE", True)
    before = files(team)
    code, _, err = cli(capsys, "export", team, "--format", "json", "-o", team / AGENT.upper(), "--force")
    assert code == 1 and AGENT in err
    assert files(team) == before


def test_another_case_is_judged_by_the_real_disk_without_the_emulation(capsys, team, tmp_path):
    # The control for the test above: with the platform's own setting, a case-sensitive disk
    # (Linux) takes API-DESIGNER.JSON as a new file; a case-insensitive one (Windows, macOS) must
    # still refuse it, as there it is the agent file.
    probe = tmp_path / "probe"
    probe.write_bytes(b"")
    case_sensitive = not (tmp_path / "PROBE").exists()
    before = files(team)
    code, _, _ = cli(capsys, "export", team, "--format", "json", "-o", team / AGENT.upper(), "--force")
    if case_sensitive:
        assert code == 0 and (team / AGENT.upper()).is_file()
        assert (team / AGENT).read_bytes() == before[AGENT]
    else:
        assert code == 1 and files(team) == before


def test_a_folder_as_the_target_is_a_plain_failure(capsys, team, tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    code, _, err = cli(capsys, "export", team, "--format", "json", "-o", folder, "--force")
    assert code == 1 and "is a folder" in err
    assert list(folder.iterdir()) == []


def test_a_dangling_link_as_the_target_is_refused(capsys, team, tmp_path):
    link = tmp_path / "graph.json"
    symlink_or_skip(link, tmp_path / "nowhere.json")
    code, _, err = cli(capsys, "export", team, "--format", "json", "-o", link, "--force")
    assert code == 1 and "points nowhere" in err
    assert not (tmp_path / "nowhere.json").exists()


def test_a_failed_replace_keeps_the_old_export(capsys, team, tmp_path, monkeypatch):
    # The write is atomic: if the final rename fails, the old file is whole and no temporary is left.
    target = tmp_path / "graph.json"
    target.write_bytes(b"the old export\n")

    def refuse(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    code, _, err = cli(capsys, "export", team, "--format", "json", "-o", target, "--force")
    assert code == 1 and "graph.json" in err
    assert target.read_bytes() == b"the old export\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.json", "team"]
