"""Deleted agents' files go to the system trash, not into nothing. On Linux that is the
freedesktop Trash under $XDG_DATA_HOME: the file in Trash/files and a .trashinfo in Trash/info
saying where it came from. Each test runs the real CLI in a child process with its own HOME and
XDG_DATA_HOME, so the user's trash is never touched."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

from app.model.disk import Step, moved_away, remove_file

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "agents"

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the freedesktop trash layout is Linux's")


def run(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, HOME=str(tmp_path / "home"), XDG_DATA_HOME=str(tmp_path / "data"))
    (tmp_path / "home").mkdir(exist_ok=True)
    return subprocess.run([sys.executable, "-m", "app", *args], check=False, env=env, cwd=ROOT,
                          capture_output=True, text=True, timeout=60)


def trashinfo(trash: Path) -> dict[str, str]:
    """Trash/info/*.trashinfo → {name in Trash/files: original path}."""
    out = {}
    for info in sorted((trash / "info").glob("*.trashinfo")):
        lines = dict(line.split("=", 1) for line in info.read_text().splitlines() if "=" in line)
        out[info.name[: -len(".trashinfo")]] = unquote(lines["Path"])
    return out


@pytest.fixture
def team(tmp_path) -> Path:
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE, folder)
    return folder


def test_rm_moves_the_file_to_the_trash_with_its_trashinfo(tmp_path, team):
    original = (team / "code-reviewer.md").read_bytes()
    done = run(tmp_path, "rm", str(team), "code-reviewer")
    assert done.returncode == 0, done.stderr
    assert "moved code-reviewer.md to the trash" in done.stdout
    assert not (team / "code-reviewer.md").exists()
    trash = tmp_path / "data" / "Trash"
    assert (trash / "files" / "code-reviewer.md").read_bytes() == original  # every byte kept
    assert trashinfo(trash) == {"code-reviewer.md": str(team / "code-reviewer.md")}


def test_rm_permanent_unlinks_and_leaves_the_trash_alone(tmp_path, team):
    done = run(tmp_path, "rm", "--permanent", str(team), "code-reviewer")
    assert done.returncode == 0, done.stderr
    assert "removed code-reviewer.md" in done.stdout
    assert not (team / "code-reviewer.md").exists()
    assert not (tmp_path / "data" / "Trash" / "files").exists() or \
        list((tmp_path / "data" / "Trash" / "files").iterdir()) == []


def test_a_rename_does_not_fill_the_trash(tmp_path, team):
    done = run(tmp_path, "rename", str(team), "code-reviewer", "reviewer")
    assert done.returncode == 0, done.stderr
    assert (team / "reviewer.md").exists() and not (team / "code-reviewer.md").exists()
    files = tmp_path / "data" / "Trash" / "files"
    assert not files.exists() or list(files.iterdir()) == []


def test_a_file_changed_on_disk_is_not_trashed(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.md").write_bytes(b"---\nname: a\n---\nchanged by someone else\n")
    problem = remove_file(folder, "a.md", b"---\nname: a\n---\nwhat we read\n", trash=True)
    assert problem and "changed by another program" in problem
    assert (folder / "a.md").read_bytes() == b"---\nname: a\n---\nchanged by someone else\n"


def test_moved_away_pairs_a_renamed_file_only_by_description_and_body():
    old = b"---\nname: a\ndescription: Does a. Use for a.\n---\n\nBody.\n"
    renamed = b"---\nname: b\ndescription: Does a. Use for a.\n---\n\nBody.\n"
    other = b"---\nname: c\ndescription: Something else.\n---\n\nBody.\n"
    assert moved_away([Step("b.md", renamed, None), Step("a.md", None, old)]) == {"a.md"}
    assert moved_away([Step("c.md", other, None), Step("a.md", None, old)]) == set()



def test_a_dangling_link_is_removed_not_left_behind(tmp_path):
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "a.md").symlink_to(folder / "gone.md")
    assert remove_file(folder, "a.md", b"whatever we read\n", trash=True) is None
    assert not os.path.lexists(folder / "a.md")
