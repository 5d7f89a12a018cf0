"""Atomic, locked, portable writes: a file is replaced all at once or not at all, only while it
still holds what was read, never through a link out of the team, keeping its mode, owner, group
and extended attributes where the system allows."""

from __future__ import annotations

import errno
import os
import stat
import sys
import tempfile
import time
from pathlib import Path

from app.io.document import os_error_words
from app.io.lock import FolderBusy, folder_lock


class WriteError(Exception):
    """Plain English: permission denied, disk full, folder gone…"""


class WriteConflict(WriteError):
    """The file on disk is not what we read."""


# Windows refuses to replace a file another program has open: ERROR_ACCESS_DENIED (5),
# ERROR_SHARING_VIOLATION (32), ERROR_LOCK_VIOLATION (33). Editors, indexers and virus scanners
# hold files for moments, so the replace is retried; these pauses add up to 0.85 s.
_SHARING_VIOLATIONS = (5, 32, 33)
_REPLACE_PAUSES = (0.01, 0.02, 0.04, 0.08, 0.15, 0.25, 0.3)


def atomic_write(path: Path, data: bytes, *, expected: bytes | None, root: Path | None = None) -> None:
    """Replace `path` with `data` all at once, or change nothing.

    `expected` = the bytes last read (None: the file must not exist yet). The comparison with
    the file on disk and the replace happen under the folder's lock (app.io.lock), and the file
    is compared once more just before the replace, so two writers never both succeed with one
    edit lost: the later one gets WriteConflict.

    A symlink is followed, so the link stays a link; with `root` (the team folder) only when it
    ends inside `root`. A link that points nowhere is never followed to create a file. The file's
    permission bits, owner, group and extended attributes are kept where the OS allows. A
    read-only file, or one with other hard links (replacing it would cut them off), is refused.
    """
    path = Path(path)
    name = path.name
    try:
        target = _resolve(path, name, root)
        folder = target.parent
        try:
            with folder_lock(folder):
                _write_locked(target, name, data, expected)
        except FileNotFoundError:
            if not folder.is_dir():
                raise WriteError(f"Could not save {name}: its folder {folder} no longer exists.") from None
            raise
        _fsync_folder(folder)
    except WriteError:
        raise
    except FolderBusy as e:
        raise WriteError(f"Could not save {name}: another save in this folder has not finished after "
                         f"{e.seconds:g} seconds; try again.") from None
    except OSError as e:
        raise WriteError(f"Could not save {name}: {os_error_words(e, 'write')}") from None


def _resolve(path: Path, name: str, root: Path | None) -> Path:
    """The real file to replace: links followed, and refused where they must not be followed."""
    is_link = path.is_symlink()
    target = Path(os.path.realpath(path))
    if is_link and not target.exists():
        raise WriteError(f"Could not save {name}: it is a link to a file that does not exist (or a link "
                         "that loops); nothing is created through it.")
    if root is not None and not _inside(target, Path(os.path.realpath(root))):
        if is_link:
            raise WriteError(f"{name} is a link to a file outside this team; edits are not saved through it.")
        raise WriteError(f"{name} is in a folder that links to a place outside this team; edits are not "
                         "saved through it.")
    return target


def _inside(path: Path, folder: Path) -> bool:
    a, b = os.path.normcase(path), os.path.normcase(folder)
    try:
        return os.path.commonpath([a, b]) == b
    except ValueError:  # different drives on Windows
        return False


def _write_locked(target: Path, name: str, data: bytes, expected: bytes | None) -> None:
    current = _current_bytes(target)
    _check_unchanged(current, expected, name)
    old = os.stat(target) if current is not None else None
    if old is not None:
        _refuse_unwritable(target, old, name)
    mode = stat.S_IMODE(old.st_mode) if old is not None else 0o666 & ~_umask()
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=target.parent)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            if old is not None:
                _keep_owner(fd, old)  # before the mode: a change of owner clears set-id bits
                _keep_xattrs(target, fd)
            _set_mode(fd, tmp, mode)
            os.fsync(fd)
        finally:
            os.close(fd)
        # The last comparison: a program that does not take our lock (a text editor) may have
        # saved while this file was written.
        _check_unchanged(_current_bytes(target), expected, name)
        if expected is None:
            _link_new(tmp, target, name)
        else:
            _replace(tmp, target, name, expected)
        tmp = None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _check_unchanged(current: bytes | None, expected: bytes | None, name: str) -> None:
    if expected is None and current is not None:
        raise WriteConflict(f"Could not save {name}: a file with that name already exists.")
    if expected is not None:
        if current is None:
            raise WriteConflict(f"Could not save {name}: it was deleted or moved by another program "
                                "since it was opened.")
        if current != expected:
            raise WriteConflict(f"Could not save {name}: it was changed by another program since it was "
                                "opened. Reload it to see the changes.")


def _refuse_unwritable(target: Path, st: os.stat_result, name: str) -> None:
    # The owner's write bit is the signal that works everywhere: root passes os.access whatever
    # the mode, and Windows shows its read-only attribute as a mode without write bits.
    locked = getattr(st, "st_flags", 0) & (getattr(stat, "UF_IMMUTABLE", 0) | getattr(stat, "SF_IMMUTABLE", 0))
    if not st.st_mode & stat.S_IWUSR or locked or (os.name == "posix" and not os.access(target, os.W_OK)):
        raise WriteError(f"Could not save {name}: it is read-only; make it writable, then save again "
                         "(the file was left as it was).")
    if st.st_nlink > 1:
        # Replacing gives the name a new file and leaves the other names on the old one, silently;
        # writing in place could change a file outside the team. Neither is what the user asked.
        raise WriteError(f"Could not save {name}: the same file also exists under another name (a hard "
                         "link), and saving would silently cut that link; replace the hard link with a "
                         "copy or a symbolic link, then save again.")


def _umask() -> int:
    """The process's umask, read the portable way: set it and put it straight back (there is no
    /proc on Windows or macOS). Only called for new files."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


_UNSUPPORTED = (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS)


def _set_mode(fd: int, tmp: str, mode: int) -> None:
    """Give the new file the old file's permission bits. Windows has no os.fchmod before Python
    3.13, so the path is used there; a filesystem that cannot store modes (FAT, some FUSE
    mounts) refuses, and that is not a reason to fail the save."""
    try:
        if hasattr(os, "fchmod"):
            os.fchmod(fd, mode)
        else:
            os.chmod(tmp, mode)
    except (NotImplementedError, PermissionError):
        pass
    except OSError as e:
        if e.errno not in _UNSUPPORTED:
            raise


def _keep_owner(fd: int, old: os.stat_result) -> None:
    """The new file gets the old file's owner and group where this process may give them: root
    may give both, anyone may give a group they belong to (a group-shared folder keeps its group)."""
    if sys.platform == "win32":
        return  # Windows files carry an owner ACL, not a uid/gid; the replace keeps the folder's
    new = os.fstat(fd)
    for uid, gid in ((old.st_uid, old.st_gid), (-1, old.st_gid)):
        if (uid == -1 or uid == new.st_uid) and gid == new.st_gid:
            return
        try:
            os.fchown(fd, uid, gid)
            return
        except OSError as e:
            if e.errno not in _UNSUPPORTED:
                raise


def _keep_xattrs(target: Path, fd: int) -> None:
    """Copy the old file's extended attributes (Linux; tags, ACLs, SELinux labels) to the new one.
    Each is kept where this process may set it; one it may not set does not fail the save."""
    if sys.platform != "linux":
        return  # os has no xattr calls elsewhere (macOS keeps them only through its own APIs)
    try:
        names = os.listxattr(target)
    except OSError:
        return  # a filesystem without extended attributes
    for attr in names:
        try:
            os.setxattr(fd, attr, os.getxattr(target, attr))
        except OSError:
            pass  # e.g. trusted.* or security.* without the privilege to set them


def _current_bytes(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _replace(tmp: str, target: Path, name: str, expected: bytes) -> None:
    """os.replace, retried for a moment while Windows says another program holds the file."""
    for pause in (*_REPLACE_PAUSES, None):
        try:
            os.replace(tmp, target)
            return
        except PermissionError as e:
            if getattr(e, "winerror", None) not in _SHARING_VIOLATIONS:
                raise
            if pause is None:
                raise WriteError(f"Could not save {name}: it is open in another program; close it there "
                                 "and save again.") from None
        time.sleep(pause)
        # The program that held the file may have written it.
        _check_unchanged(_current_bytes(target), expected, name)


def remove_unchanged(path: Path, *, expected: bytes) -> None:
    """Remove `path` (a link: the link itself) if its content is still `expected`, under the same
    lock as atomic_write, so a save made in between is never deleted. A file already gone is fine.
    Raises WriteConflict when it changed, WriteError with the reason when it cannot be removed."""
    path = Path(path)
    name = path.name
    try:
        real = Path(os.path.realpath(path))
        folder = real.parent if real.parent.is_dir() else path.parent
        with folder_lock(folder):
            current = _current_bytes(path)
            if current is None:
                if os.path.lexists(path):  # a link that points nowhere: nothing of ours to lose
                    os.unlink(path)
                return
            if current != expected:
                raise WriteConflict(f"Could not remove {name}: it was changed by another program since it "
                                    "was opened, so it was not removed. Reload it to see the other change.")
            os.unlink(path)
        _fsync_folder(path.parent)
    except WriteError:
        raise
    except FileNotFoundError:
        return
    except FolderBusy as e:
        raise WriteError(f"Could not remove {name}: another save in this folder has not finished after "
                         f"{e.seconds:g} seconds; try again.") from None
    except OSError as e:
        raise WriteError(f"Could not remove {name}: {os_error_words(e, 'remove')}") from None


def _link_new(tmp: str, path: Path, name: str) -> None:
    """Move tmp to path only if path does not exist (a hard link fails atomically when it does)."""
    try:
        os.link(tmp, path)
    except FileExistsError:
        raise WriteConflict(f"Could not save {name}: a file with that name already exists.") from None
    except OSError as e:
        if e.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
            raise
        if os.path.lexists(path):  # no hard links here: check, then replace
            raise WriteConflict(f"Could not save {name}: a file with that name already exists.") from None
        os.replace(tmp, path)
        return
    os.unlink(tmp)


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
