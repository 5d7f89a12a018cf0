"""Saving with the calls Windows lacks (issue 13): Python before 3.13 has no os.fchmod there.

The CLI and Team.save must write through os.chmod instead, keep the file's mode, and a
filesystem that cannot store modes must not fail the save."""

from __future__ import annotations

import errno
import os
import shutil
import stat
from pathlib import Path

import pytest

from app.__main__ import main
from app.io import atomic
from app.model.team import Team

SAMPLE = Path(__file__).resolve().parents[2] / "agents"


@pytest.fixture
def team_copy(tmp_path):
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE, folder)
    return folder


def test_cli_set_saves_without_fchmod_and_keeps_the_mode(team_copy, monkeypatch, capsys):
    target = team_copy / "code-reviewer.md"
    target.chmod(0o640)
    monkeypatch.delattr(os, "fchmod", raising=False)
    code = main(["set", str(team_copy), "code-reviewer", "model=opus"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "unexpected" not in (out + err).lower()
    assert "model: opus" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_editor_save_path_without_fchmod(team_copy, monkeypatch):
    monkeypatch.delattr(os, "fchmod", raising=False)
    from app.model.operations import SetField

    team = Team.load(team_copy)
    team.apply(SetField("test-engineer", "model", "opus"))
    assert team.save() == []
    assert "model: opus" in (team_copy / "test-engineer.md").read_text(encoding="utf-8")


def test_a_filesystem_without_modes_does_not_fail_the_save(tmp_path, monkeypatch):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")

    def no_modes(*args, **kwargs):
        raise OSError(errno.ENOTSUP, "Operation not supported")

    monkeypatch.setattr(os, "fchmod", no_modes, raising=False)
    monkeypatch.setattr(os, "chmod", no_modes)
    atomic.atomic_write(f, b"new", expected=b"old")
    assert f.read_bytes() == b"new"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_umask_is_read_without_proc(tmp_path, monkeypatch):
    real_open = open

    def no_proc(path, *args, **kwargs):
        if str(path).startswith("/proc"):
            raise FileNotFoundError(path)
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr("builtins.open", no_proc)
    old = os.umask(0o027)
    try:
        atomic.atomic_write(tmp_path / "new.md", b"x", expected=None)
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "new.md").stat().st_mode) == 0o640
