"""One writer at a time per folder: an advisory lock on a lock file in that folder.

A save compares the file on disk with what was read and then replaces it; two programs doing
that at once could both pass the comparison and one edit would be lost. Every save of Agent
Canvas (editor and CLI, any number of processes) holds this lock from the comparison to the
replace. The lock file lives only while a save holds it, so team folders do not collect it.

The lock is advisory (fcntl.flock on POSIX, msvcrt.locking on Windows): it orders our own
writers; other programs are caught by the last comparison just before the replace.
"""

from __future__ import annotations

import errno
import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Not an .md file, so no team ever reads it as an agent; a dot file, so folder views hide it.
LOCK_NAME = ".agent-canvas.lock"

# A save holds the lock for milliseconds; this long a wait means a stuck writer.
WAIT_SECONDS = 5.0
_POLL_SECONDS = 0.005

# Filesystems without locks (some network mounts) answer these: save unlocked rather than never.
_NO_LOCKS = {errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOTSUP, errno.ENOSYS, errno.EINVAL}

# POSIX removes the lock file while still holding it; Windows cannot remove an open file, so it
# removes it after closing, which fails (harmlessly) while another writer has it open.
_REMOVE_AFTER_CLOSE = sys.platform == "win32"


class FolderBusy(Exception):
    """Another writer held the folder's lock for longer than `seconds`."""

    def __init__(self, seconds: float):
        super().__init__(seconds)
        self.seconds = seconds


if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        # msvcrt.locking locks bytes from the current position: always byte 0, one byte (a range
        # past the end of the file may be locked). LK_NBLCK fails at once when it is taken.
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError as e:
            if e.errno in (errno.EACCES, errno.EDEADLK):
                return False
            raise
        return True

    def _unlock(fd: int) -> None:
        os.lseek(fd, 0, os.SEEK_SET)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(fd: int) -> None:
        fcntl.flock(fd, fcntl.LOCK_UN)


@contextmanager
def folder_lock(folder: Path, *, wait: float | None = None) -> Iterator[None]:
    """Hold the folder's lock for the body of the `with`. Raises FolderBusy after `wait` seconds
    (WAIT_SECONDS by default), OSError when the lock file cannot be made (a read-only folder: the
    save would fail anyway)."""
    path = Path(folder) / LOCK_NAME
    seconds = WAIT_SECONDS if wait is None else wait
    fd, locked = _open_locked(path, time.monotonic() + seconds, seconds)
    try:
        yield
    finally:
        _release(fd, path, locked)


def _release(fd: int, path: Path, locked: bool) -> None:
    if not locked:
        os.close(fd)
        return
    try:
        if not _REMOVE_AFTER_CLOSE:
            _remove(path)
        _unlock(fd)
    finally:
        os.close(fd)
    if _REMOVE_AFTER_CLOSE:
        _remove(path)


def _open_locked(path: Path, deadline: float, seconds: float) -> tuple[int, bool]:
    """(fd of the lock file, whether it is locked: False where the filesystem has no locks)."""
    # O_NOFOLLOW: a lock file replaced by a symlink must not make us create a file elsewhere.
    flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    while True:
        fd = os.open(path, flags, 0o666)
        try:
            if not _acquire(fd, deadline, seconds):
                return fd, False
            if _still_there(fd, path):
                return fd, True
            _unlock(fd)  # the holder before us removed it: lock the file that is there now
        except BaseException:
            os.close(fd)
            raise
        os.close(fd)


def _still_there(fd: int, path: Path) -> bool:
    """Whether the locked file is still the one at `path` (not removed by the holder before us)."""
    try:
        now = os.stat(path)
    except FileNotFoundError:
        return False
    return os.path.samestat(os.fstat(fd), now)


def _remove(path: Path) -> None:
    """A writer waiting on the removed file sees it is gone (_still_there) and locks a new one."""
    try:
        os.unlink(path)
    except OSError:
        pass


def _acquire(fd: int, deadline: float, seconds: float) -> bool:
    """True when locked; False when this filesystem has no locks (the save goes on unlocked)."""
    while True:
        try:
            if _try_lock(fd):
                return True
        except OSError as e:
            if e.errno in _NO_LOCKS:
                return False
            raise
        if time.monotonic() >= deadline:
            raise FolderBusy(seconds)
        time.sleep(_POLL_SECONDS)
