"""app/resources.py: finding resources/ and the sample team in a checkout, a wheel and a frozen
bundle, and copying the sample team to a folder the user owns."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from app import resources
from app.resources import ResourceError, copy_sample_team

ROOT = Path(__file__).resolve().parent.parent


def tree(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative POSIX path -> bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def make_layout(base: Path, marker: str) -> None:
    (base / "resources" / "icons" / "png").mkdir(parents=True)
    (base / "resources" / "icons" / "agent-canvas.svg").write_text(f"<svg>{marker}</svg>")
    for size in (16, 32, 256):
        (base / "resources" / "icons" / "png" / f"agent-canvas-{size}.png").write_bytes(b"png")
    (base / "agents").mkdir()
    (base / "agents" / "lead.md").write_text(f"---\nname: lead\ndescription: {marker}\n---\n")


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    """A small team with a sub-folder, a hidden sidecar and CRLF/BOM bytes that must survive."""
    src = tmp_path / "sample"
    (src / "nested").mkdir(parents=True)
    (src / "lead.md").write_bytes(b"\xef\xbb\xbf---\r\nname: lead\r\ndescription: Leads\r\n---\r\nBody\r\n")
    (src / "nested" / "helper.md").write_bytes(b"---\nname: helper\ndescription: Helps\n---\n")
    (src / ".agent-canvas.json").write_bytes(b'{"agents": {}, "version": 1}\n')
    return src


# --- finding the folders -------------------------------------------------------------------------


def test_checkout_layout_finds_the_top_level_folders():
    assert resources.sample_team_dir() == ROOT / "agents"
    assert resources.resources_dir() == ROOT / "resources"
    assert resources.icon_path() == ROOT / "resources" / "icons" / "agent-canvas.svg"
    assert resources.icon_path().is_file()


def test_icon_path_picks_the_smallest_png_at_least_that_big():
    png = ROOT / "resources" / "icons" / "png"
    assert resources.icon_path(16) == png / "agent-canvas-16.png"
    assert resources.icon_path(20) == png / "agent-canvas-24.png"
    assert resources.icon_path(256) == png / "agent-canvas-256.png"
    assert resources.icon_path(4096) == png / "agent-canvas-1024.png"  # the biggest there is


def test_frozen_bundle_uses_meipass_first(tmp_path, monkeypatch):
    make_layout(tmp_path, "frozen")
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resources.sample_team_dir() == tmp_path / "agents"
    assert resources.icon_path().read_text() == "<svg>frozen</svg>"
    assert resources.icon_path(20) == tmp_path / "resources" / "icons" / "png" / "agent-canvas-32.png"


def test_meipass_is_ignored_when_not_frozen(tmp_path, monkeypatch):
    make_layout(tmp_path, "stale")
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    monkeypatch.delattr(sys, "frozen", raising=False)
    assert resources.sample_team_dir() == ROOT / "agents"


def test_installed_wheel_uses_package_data(tmp_path, monkeypatch):
    site = tmp_path / "site-packages"
    make_layout(site / "app" / "_data", "wheel")
    monkeypatch.setattr(resources, "_PACKAGE_DIR", site / "app")
    assert resources.sample_team_dir() == site / "app" / "_data" / "agents"
    assert resources.icon_path().read_text() == "<svg>wheel</svg>"


def test_unrelated_top_level_folders_in_site_packages_are_not_taken(tmp_path, monkeypatch):
    # Another distribution may install a top-level "resources" package beside ours.
    site = tmp_path / "site-packages"
    make_layout(site, "someone else's")
    (site / "app").mkdir()
    monkeypatch.setattr(resources, "_PACKAGE_DIR", site / "app")
    with pytest.raises(ResourceError, match="reinstall"):
        resources.sample_team_dir()


def test_missing_folder_is_a_plain_message(tmp_path, monkeypatch):
    monkeypatch.setattr(resources, "_PACKAGE_DIR", tmp_path / "app")
    with pytest.raises(ResourceError) as info:
        resources.resources_dir()
    message = str(info.value)
    assert "cannot find its 'resources' folder" in message and "Traceback" not in message


# --- copying the sample team ---------------------------------------------------------------------


def test_copy_is_byte_identical_including_hidden_and_nested_files(sample, tmp_path):
    dest = tmp_path / "mine" / "Team"
    assert copy_sample_team(dest, source=sample) == dest
    assert tree(dest) == tree(sample)
    assert tree(sample)  # the fixture really has files, so the equality above means something


def test_existing_destination_is_never_touched_a_fresh_name_is_used(sample, tmp_path):
    dest = tmp_path / "Team"
    dest.mkdir()
    (dest / "lead.md").write_text("the user's own file\n")
    second = copy_sample_team(dest, source=sample)
    third = copy_sample_team(dest, source=sample)
    assert second == tmp_path / "Team (2)" and third == tmp_path / "Team (3)"
    assert (dest / "lead.md").read_text() == "the user's own file\n"
    assert tree(second) == tree(sample) == tree(third)


def test_default_destination_is_the_documents_folder(sample, tmp_path, monkeypatch):
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_documents_dir", lambda: str(tmp_path / "Docs"))
    folder = copy_sample_team(source=sample)
    assert folder == tmp_path / "Docs" / "Agent Canvas sample team"
    assert tree(folder) == tree(sample)


def test_copies_are_writable_even_when_the_install_is_read_only(sample, tmp_path):
    for path in sample.rglob("*"):
        if path.is_file():
            path.chmod(0o444)
    folder = copy_sample_team(tmp_path / "Team", source=sample)
    for path in [folder, *folder.rglob("*")]:
        assert path.stat().st_mode & 0o200, f"{path} is not writable by its owner"


@pytest.mark.parametrize("where", ["package", "sample"])
def test_refuses_to_write_inside_the_installation(where, tmp_path):
    inside = {"package": ROOT / "app" / "Sample copy", "sample": ROOT / "agents" / "copy"}[where]
    with pytest.raises(ResourceError, match="own installation folder|outside the sample team"):
        copy_sample_team(inside)
    assert not inside.exists()
    assert not list(inside.parent.glob(".agent-canvas-copy-*"))


def test_refuses_a_destination_inside_the_source(sample):
    with pytest.raises(ResourceError, match="outside the sample team"):
        copy_sample_team(sample / "copy", source=sample)
    assert not (sample / "copy").exists()


def test_failure_halfway_leaves_nothing_behind(sample, tmp_path, monkeypatch):
    calls = []
    real_copyfile = shutil.copyfile

    def flaky(src, dst, *args, **kwargs):
        calls.append(src)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_copyfile(src, dst, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", flaky)
    parent = tmp_path / "parent"
    parent.mkdir()
    with pytest.raises(ResourceError, match="No space left on device"):
        copy_sample_team(parent / "Team", source=sample)
    assert list(parent.iterdir()) == []  # no half-copied team, no temporary folder


def test_unwritable_destination_is_a_plain_message(sample, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with pytest.raises(ResourceError, match="choose another folder"):
        copy_sample_team(blocker / "Team", source=sample)
    assert blocker.read_text() == "not a folder"


def test_the_real_sample_team_copies_whole(tmp_path):
    folder = copy_sample_team(tmp_path / "Sample")
    original = tree(resources.sample_team_dir())
    assert len([p for p in original if p.endswith(".md")]) >= 12
    assert tree(folder) == original


@pytest.mark.skipif(os.name == "nt", reason="POSIX modes")
def test_copied_folder_gets_a_normal_mode_not_mkdtemps_0700(sample, tmp_path):
    old = os.umask(0o022)
    try:
        folder = copy_sample_team(tmp_path / "Team", source=sample)
    finally:
        os.umask(old)
    assert folder.stat().st_mode & 0o777 == 0o755
