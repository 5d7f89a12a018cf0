"""atomic_write when things go wrong: Windows sharing violations, owners, groups, extended
attributes, read-only and hard-linked files, links out of the team, and concurrent writers.

Every test asserts on the bytes, metadata and names in the folder, never on the code's internals.
"""

from __future__ import annotations

import errno
import os
import stat
import sys
from pathlib import Path

import pytest

from app.io import atomic, lock
from app.io.atomic import WriteConflict, WriteError, atomic_write

POSIX = os.name == "posix"


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _in_use(winerror: int) -> PermissionError:
    """The PermissionError Windows raises while another program holds the file."""
    e = PermissionError(errno.EACCES, "The process cannot access the file because it is being used "
                                      "by another process")
    e.winerror = winerror  # type: ignore[attr-defined]  # set by Python itself only on Windows
    return e


@pytest.fixture
def pauses(monkeypatch) -> list[float]:
    slept: list[float] = []
    monkeypatch.setattr(atomic.time, "sleep", slept.append)
    return slept


# -- Windows: the file is open in another program --------------------------------------------


@pytest.mark.parametrize("winerror", [5, 32])
def test_replace_is_retried_while_another_program_holds_the_file(tmp_path, monkeypatch, pauses, winerror):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    real_replace = os.replace
    calls = []

    def busy_once(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            raise _in_use(winerror)
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", busy_once)
    atomic_write(f, b"new", expected=b"old")
    assert f.read_bytes() == b"new"
    assert len(calls) == 2 and len(pauses) == 1 and 0 < pauses[0] <= 0.1
    assert _names(tmp_path) == ["a.md"]


def test_a_file_held_open_for_good_is_refused_in_words_after_at_most_a_second(tmp_path, monkeypatch, pauses):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")

    def always_busy(src, dst):
        raise _in_use(32)

    monkeypatch.setattr(os, "replace", always_busy)
    with pytest.raises(WriteError) as e:
        atomic_write(f, b"new", expected=b"old")
    assert not isinstance(e.value, WriteConflict)
    assert str(e.value) == ("Could not save a.md: it is open in another program; close it there and save again.")
    assert len(pauses) >= 3 and sum(pauses) <= 1.0
    assert f.read_bytes() == b"old" and _names(tmp_path) == ["a.md"]


def test_a_change_made_by_the_program_that_held_the_file_is_not_overwritten(tmp_path, monkeypatch, pauses):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")

    def busy_and_writing(src, dst):
        Path(dst).write_bytes(b"saved by the other program")
        raise _in_use(32)

    monkeypatch.setattr(os, "replace", busy_and_writing)
    with pytest.raises(WriteConflict, match="changed by another program"):
        atomic_write(f, b"new", expected=b"old")
    assert f.read_bytes() == b"saved by the other program" and _names(tmp_path) == ["a.md"]


def test_a_posix_permission_error_is_not_retried(tmp_path, monkeypatch, pauses):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")

    def denied(src, dst):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", denied)
    with pytest.raises(WriteError, match="Permission denied"):
        atomic_write(f, b"new", expected=b"old")
    assert pauses == []


# -- owner, group, extended attributes ---------------------------------------------------------


def _other_group() -> int | None:
    """A group this process may give a file, other than the one its new files get."""
    mine = [g for g in os.getgroups() if g != os.getegid()]
    if mine:
        return mine[0]
    if os.geteuid() == 0:
        return 4242  # root may give a file any group
    return None


needs_chown = pytest.mark.skipif(not POSIX or _other_group() is None,
                                 reason="needs POSIX and a second group this user belongs to")


@needs_chown
@pytest.mark.parametrize("setgid_folder", [False, True])
def test_a_group_shared_folder_keeps_the_file_group(tmp_path, setgid_folder):
    group = _other_group()
    assert group is not None
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chown(folder, -1, group)
    if setgid_folder:
        folder.chmod(0o2775)
    f = folder / "a.md"
    f.write_bytes(b"old")
    os.chown(f, -1, group)
    f.chmod(0o664)
    atomic_write(f, b"new", expected=b"old")
    assert f.read_bytes() == b"new"
    assert f.stat().st_gid == group
    assert stat.S_IMODE(f.stat().st_mode) == 0o664


@pytest.mark.skipif(not POSIX or os.geteuid() != 0, reason="only root may give a file to another user")
def test_the_file_owner_is_kept(tmp_path):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    os.chown(f, 4321, 4322)
    f.chmod(0o640)
    atomic_write(f, b"new", expected=b"old")
    st = f.stat()
    assert (st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)) == (4321, 4322, 0o640)
    assert f.read_bytes() == b"new"


def _user_xattrs_supported(folder: Path) -> bool:
    probe = folder / "probe"
    probe.write_bytes(b"")
    try:
        os.setxattr(probe, "user.agent-canvas.probe", b"1")
    except OSError as e:
        if e.errno in (errno.ENOTSUP, errno.EOPNOTSUPP, errno.EPERM):
            return False
        raise
    finally:
        probe.unlink()
    return True


@pytest.mark.skipif(not hasattr(os, "setxattr"), reason="os has extended attribute calls only on Linux")
def test_extended_attributes_are_kept(tmp_path):
    if not _user_xattrs_supported(tmp_path):
        pytest.skip(f"the filesystem of {tmp_path} does not store user.* extended attributes")
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    os.setxattr(f, "user.xdg.tags", b"agents,reviewed")
    os.setxattr(f, "user.empty", b"")
    atomic_write(f, b"new", expected=b"old")
    assert f.read_bytes() == b"new"
    assert sorted(os.listxattr(f)) == ["user.empty", "user.xdg.tags"]
    assert os.getxattr(f, "user.xdg.tags") == b"agents,reviewed" and os.getxattr(f, "user.empty") == b""


@pytest.mark.skipif(not hasattr(os, "setxattr"), reason="os has extended attribute calls only on Linux")
def test_an_attribute_that_cannot_be_copied_does_not_fail_the_save(tmp_path, monkeypatch):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    monkeypatch.setattr(os, "listxattr", lambda *a, **k: ["security.selinux"])
    monkeypatch.setattr(os, "getxattr", lambda *a, **k: b"label")

    def refused(*a, **k):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "setxattr", refused)
    atomic_write(f, b"new", expected=b"old")
    assert f.read_bytes() == b"new"


# -- files the user may not write, hard links --------------------------------------------------


def test_a_read_only_file_is_refused_in_words_not_replaced(tmp_path):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    f.chmod(0o444)
    before = f.stat()
    with pytest.raises(WriteError) as e:
        atomic_write(f, b"new", expected=b"old")
    assert str(e.value) == ("Could not save a.md: it is read-only; make it writable, then save again "
                            "(the file was left as it was).")
    after = f.stat()
    assert f.read_bytes() == b"old" and after.st_ino == before.st_ino
    assert stat.S_IMODE(after.st_mode) == 0o444 and _names(tmp_path) == ["a.md"]


@pytest.mark.skipif(not POSIX, reason="os.access is the POSIX check")
def test_a_file_this_user_may_not_write_is_refused(tmp_path, monkeypatch):
    """Someone else's 0644 file, as a non-root user sees it (root passes os.access, so emulated)."""
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda p, m, **k: False if m & os.W_OK else real_access(p, m, **k))
    with pytest.raises(WriteError, match="a.md: it is read-only"):
        atomic_write(f, b"new", expected=b"old")
    assert f.read_bytes() == b"old"


def test_a_hard_linked_file_is_refused_and_both_names_keep_the_same_file(tmp_path):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    other = tmp_path / "elsewhere.md"
    os.link(f, other)
    with pytest.raises(WriteError) as e:
        atomic_write(f, b"new", expected=b"old")
    assert "hard link" in str(e.value) and str(e.value).startswith("Could not save a.md:")
    assert f.read_bytes() == other.read_bytes() == b"old"
    assert os.path.samefile(f, other)


# -- links out of the team ---------------------------------------------------------------------


@pytest.fixture
def team_and_outside(tmp_path) -> tuple[Path, Path]:
    team = tmp_path / "team"
    outside = tmp_path / "outside"
    team.mkdir()
    outside.mkdir()
    return team, outside


def test_a_link_to_a_file_outside_the_team_is_refused(team_and_outside):
    team, outside = team_and_outside
    real = outside / "real.md"
    real.write_bytes(b"old")
    link = team / "backend-specialist.md"
    link.symlink_to(real)
    with pytest.raises(WriteError) as e:
        atomic_write(link, b"new", expected=b"old", root=team)
    assert str(e.value) == ("backend-specialist.md is a link to a file outside this team; edits are not "
                            "saved through it.")
    assert real.read_bytes() == b"old" and link.is_symlink()
    assert _names(outside) == ["real.md"] and _names(team) == ["backend-specialist.md"]


def test_a_relative_link_that_climbs_out_of_the_team_is_refused(team_and_outside):
    team, outside = team_and_outside
    (outside / "real.md").write_bytes(b"old")
    (team / "sub").mkdir()
    link = team / "sub" / "a.md"
    link.symlink_to(Path("..") / ".." / "outside" / "real.md")
    with pytest.raises(WriteError, match="a.md is a link to a file outside this team"):
        atomic_write(link, b"new", expected=b"old", root=team)
    assert (outside / "real.md").read_bytes() == b"old"


def test_a_file_in_a_linked_folder_outside_the_team_is_refused(team_and_outside):
    team, outside = team_and_outside
    (outside / "a.md").write_bytes(b"old")
    (team / "shared").symlink_to(outside, target_is_directory=True)
    with pytest.raises(WriteError) as e:
        atomic_write(team / "shared" / "a.md", b"new", expected=b"old", root=team)
    assert str(e.value) == ("a.md is in a folder that links to a place outside this team; edits are not "
                            "saved through it.")
    assert (outside / "a.md").read_bytes() == b"old"
    with pytest.raises(WriteError, match="outside this team"):
        atomic_write(team / "shared" / "new.md", b"new", expected=None, root=team)
    assert _names(outside) == ["a.md"]


def test_a_link_that_stays_inside_the_team_is_followed(team_and_outside):
    team, _ = team_and_outside
    (team / "real").mkdir()
    real = team / "real" / "a.md"
    real.write_bytes(b"old")
    link = team / "a.md"
    link.symlink_to(Path("real") / "a.md")
    atomic_write(link, b"new", expected=b"old", root=team)
    assert link.is_symlink() and real.read_bytes() == b"new"


def test_the_team_folder_itself_may_be_reached_through_a_link(tmp_path):
    real_team = tmp_path / "real-team"
    real_team.mkdir()
    (real_team / "a.md").write_bytes(b"old")
    alias = tmp_path / "team"
    alias.symlink_to(real_team, target_is_directory=True)
    atomic_write(alias / "a.md", b"new", expected=b"old", root=alias)
    assert (real_team / "a.md").read_bytes() == b"new"


@pytest.mark.parametrize("inside", [True, False])
@pytest.mark.parametrize("with_root", [True, False])
def test_a_dangling_link_is_never_followed_to_create_a_file(team_and_outside, inside, with_root):
    team, outside = team_and_outside
    missing = (team if inside else outside) / "missing.md"
    link = team / "a.md"
    link.symlink_to(missing)
    with pytest.raises(WriteError) as e:
        atomic_write(link, b"new", expected=None, root=team if with_root else None)
    assert str(e.value) == ("Could not save a.md: it is a link to a file that does not exist (or a link "
                            "that loops); nothing is created through it.")
    assert not missing.exists() and link.is_symlink()
    assert _names(outside) == [] and _names(team) == ["a.md"]


# -- one writer at a time ----------------------------------------------------------------------


def test_the_lock_is_held_from_the_comparison_to_the_replace_and_then_removed(tmp_path, monkeypatch):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    real_replace = os.replace
    seen = []

    def replace_and_try_the_lock(src, dst):
        try:
            with lock.folder_lock(tmp_path, wait=0):
                seen.append("lock was free")
        except lock.FolderBusy:
            seen.append("lock was held")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_and_try_the_lock)
    atomic_write(f, b"new", expected=b"old")
    assert seen == ["lock was held"]
    assert f.read_bytes() == b"new"
    assert _names(tmp_path) == ["a.md"]  # the lock file does not stay in the team folder


def test_a_save_waits_for_the_lock_and_refuses_in_words_when_it_stays_taken(tmp_path, monkeypatch):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    monkeypatch.setattr(lock, "WAIT_SECONDS", 0.05)
    with lock.folder_lock(tmp_path), pytest.raises(WriteError) as e:
        atomic_write(f, b"new", expected=b"old")
    assert str(e.value) == ("Could not save a.md: another save in this folder has not finished after "
                            "0.05 seconds; try again.")
    assert f.read_bytes() == b"old"
    atomic_write(f, b"new", expected=b"old")  # free again
    assert f.read_bytes() == b"new"


def test_a_program_that_saves_during_our_save_is_caught_by_the_last_comparison(tmp_path, monkeypatch):
    """A text editor does not take our lock: it saves while our new file is being flushed."""
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    real_fsync = os.fsync

    def fsync_while_an_editor_saves(fd):
        if f.read_bytes() == b"old":
            f.write_bytes(b"the editor's save")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_while_an_editor_saves)
    with pytest.raises(WriteConflict, match="changed by another program"):
        atomic_write(f, b"ours", expected=b"old")
    assert f.read_bytes() == b"the editor's save" and _names(tmp_path) == ["a.md"]


def test_a_filesystem_without_locks_still_saves(tmp_path, monkeypatch):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")

    def no_locks(fd):
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(lock, "_try_lock", no_locks)
    atomic_write(f, b"new", expected=b"old")
    assert f.read_bytes() == b"new"


def test_a_waiting_writer_whose_lock_file_was_removed_locks_the_new_one(tmp_path):
    """The holder removes the lock file before it unlocks; a writer that opened the old file must
    not count a lock on it (a third writer could hold the new file at the same moment)."""
    path = tmp_path / lock.LOCK_NAME
    old_fd = os.open(path, os.O_RDWR | os.O_CREAT)
    try:
        os.unlink(path)  # what the holder does when it is done
        assert not lock._still_there(old_fd, path)
        with lock.folder_lock(tmp_path, wait=0):
            new_fd = os.open(path, os.O_RDWR)
            try:
                assert lock._still_there(new_fd, path)
            finally:
                os.close(new_fd)
    finally:
        os.close(old_fd)


# -- the Windows branch of the lock, exercised with a stand-in for msvcrt ---------------------


class _FakeMsvcrt:
    """msvcrt.locking's rules: a byte range one descriptor holds cannot be taken through another."""

    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4

    def __init__(self):
        self.held: dict[tuple[int, int, int], int] = {}  # (dev, ino, offset) -> fd
        self.calls: list[tuple[int, int, int]] = []

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        st = os.fstat(fd)
        offset = os.lseek(fd, 0, os.SEEK_CUR)
        self.calls.append((mode, offset, nbytes))
        key = (st.st_dev, st.st_ino, offset)
        if mode == self.LK_UNLCK:
            if self.held.get(key) != fd:
                raise OSError(errno.EACCES, "Permission denied")
            del self.held[key]
        elif mode == self.LK_NBLCK:
            if key in self.held:
                raise OSError(errno.EACCES, "Permission denied")
            self.held[key] = fd
        else:
            raise AssertionError(f"unexpected locking mode {mode}")


@pytest.fixture
def windows_lock(monkeypatch):
    """app/io/lock.py loaded as on Windows, with the stand-in msvcrt."""
    import importlib.util

    fake = _FakeMsvcrt()
    monkeypatch.setitem(sys.modules, "msvcrt", fake)
    monkeypatch.setattr(sys, "platform", "win32")
    spec = importlib.util.spec_from_file_location("lock_as_on_windows", lock.__file__)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    monkeypatch.undo()  # the module keeps its Windows functions; the rest of the process is Linux again
    return module, fake


def test_the_windows_lock_takes_byte_zero_and_excludes_a_second_writer(tmp_path, windows_lock):
    module, fake = windows_lock
    with module.folder_lock(tmp_path, wait=0):
        assert (tmp_path / module.LOCK_NAME).exists()
        with pytest.raises(module.FolderBusy), module.folder_lock(tmp_path, wait=0.02):
            pass
    assert fake.held == {}
    assert all(offset == 0 and nbytes == 1 for _, offset, nbytes in fake.calls)
    assert fake.calls[0][0] == fake.LK_NBLCK and fake.calls[-1][0] == fake.LK_UNLCK
    assert not (tmp_path / module.LOCK_NAME).exists()  # removed after closing, as Windows allows
    with module.folder_lock(tmp_path, wait=0):  # free again
        pass


# -- two editors saving one file at once, through the CLI --------------------------------------

AGENT = "code-reviewer"
ROUNDS = 60


def _cli_writer(folder: str, field: str, start, done, results) -> None:
    """One `agent-canvas set` per round, started together with the other writer."""
    import contextlib
    import io

    from app.__main__ import main

    for i in range(ROUNDS):
        start.wait()
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main(["set", folder, AGENT, f"{field}=r{i}"])
        results.put((i, field, code, err.getvalue()))
        done.wait()


def test_two_cli_writers_racing_never_both_succeed_with_an_edit_lost(tmp_path):
    import multiprocessing
    import shutil

    import yaml

    from app.io.document import parse_document

    folder = tmp_path / "team"
    shutil.copytree(Path(__file__).resolve().parents[2] / "agents", folder)
    target = folder / f"{AGENT}.md"
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    start, done = ctx.Barrier(3), ctx.Barrier(3)
    results = ctx.Queue()
    workers = [ctx.Process(target=_cli_writer, args=(str(folder), field, start, done, results), daemon=True)
               for field in ("x_first", "x_second")]
    for w in workers:
        w.start()
    conflicts = 0
    finished = False
    try:
        for i in range(ROUNDS):
            start.wait(timeout=60)
            round_results = [results.get(timeout=60) for _ in workers]
            done.wait(timeout=60)
            data = yaml.safe_load(parse_document(target.read_text(encoding="utf-8")).frontmatter)
            winners = 0
            for n, field, code, err in round_results:
                assert n == i
                if code == 0:
                    winners += 1
                    assert data.get(field) == f"r{i}", f"round {i}: {field} reported saved but is missing"
                else:
                    conflicts += 1
                    assert f"{AGENT}.md: Could not save {AGENT}.md: it was changed by another program" in err, err
                    assert "Traceback" not in err
                    assert data.get(field) != f"r{i}"
            assert winners >= 1, f"round {i}: neither writer saved: {round_results}"
        finished = True
    finally:
        if not finished:  # release the writers waiting for the next round
            start.abort()
            done.abort()
        for w in workers:
            w.join(timeout=30)
            if w.is_alive():
                w.terminate()
    assert all(w.exitcode == 0 for w in workers)
    print(f"{conflicts} of {ROUNDS} rounds ended in a conflict")
    assert conflicts > 0, "the writers never overlapped, so the race was not exercised"
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".md")) == []


# -- removing a file (a renamed or deleted agent) ----------------------------------------------


def test_remove_unchanged_removes_only_what_was_read(tmp_path):
    from app.io.atomic import remove_unchanged

    f = tmp_path / "a.md"
    f.write_bytes(b"changed by someone else")
    with pytest.raises(WriteConflict) as e:
        remove_unchanged(f, expected=b"what I read")
    assert str(e.value).startswith("Could not remove a.md: it was changed by another program")
    assert f.read_bytes() == b"changed by someone else"
    remove_unchanged(f, expected=b"changed by someone else")
    assert _names(tmp_path) == []
    remove_unchanged(f, expected=b"x")  # already gone: nothing to do


def test_remove_unchanged_waits_for_a_save_in_progress(tmp_path):
    """While a save holds the folder's lock the removal waits; it then sees the saved bytes and
    refuses, so the save is not deleted."""
    import threading

    from app.io.atomic import remove_unchanged

    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    outcome: list[str] = []

    def remove() -> None:
        try:
            remove_unchanged(f, expected=b"old")
            outcome.append("removed")
        except WriteConflict:
            outcome.append("conflict")

    with lock.folder_lock(tmp_path):  # a save in progress
        remover = threading.Thread(target=remove)
        remover.start()
        remover.join(timeout=0.3)
        assert remover.is_alive() and outcome == []  # waiting for the lock
        f.write_bytes(b"saved meanwhile")
    remover.join(timeout=10)
    assert outcome == ["conflict"] and f.read_bytes() == b"saved meanwhile"


def test_remove_unchanged_removes_a_link_not_its_target(tmp_path):
    from app.io.atomic import remove_unchanged

    real = tmp_path / "real.md"
    real.write_bytes(b"old")
    link = tmp_path / "a.md"
    link.symlink_to(real)
    remove_unchanged(link, expected=b"old")
    assert not os.path.lexists(link) and real.read_bytes() == b"old"
