"""Fixtures the editor's tests share (a test module may define its own of the same name)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"


@pytest.fixture
def journal(tmp_path, monkeypatch):
    folder = tmp_path / "journal"
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(folder))
    return folder


@pytest.fixture
def team_dir(tmp_path):
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE_TEAM, folder)
    return folder
