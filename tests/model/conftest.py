"""Fixtures for the model tests (helpers live in teamkit.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from teamkit import DEE5906, SAMPLE, write

from app.model.team import Team


@pytest.fixture
def make_team(tmp_path):
    def make(files: dict[str, str | bytes]) -> Team:
        write(tmp_path, files)
        return Team.load(tmp_path)

    return make


@pytest.fixture
def dee5906(tmp_path) -> Path:
    if not DEE5906.is_dir():
        pytest.skip(f"corpus not found at {DEE5906} (CI always has it)")
    target = tmp_path / "dee5906"
    # The corpus is kept read-only (0444); a copy to edit must be writable, as a user's team is.
    shutil.copytree(DEE5906, target, copy_function=shutil.copyfile)
    return target


@pytest.fixture
def sample(tmp_path) -> Path:
    target = tmp_path / "sample"
    shutil.copytree(SAMPLE, target)
    return target
