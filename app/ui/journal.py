"""The crash journal's files: one per editor window, readable by the user alone, found again by
the team's folder or, when the folder was moved since, by what the team holds.

A journal is named `<folder key>.<window id>.json` (the folder key: a hash of the team folder's
path), so two windows on one team never overwrite or delete each other's. While a window lives
it holds an OS lock on `<window id>.live`; a journal whose window still holds its lock belongs to
a running editor and is never offered for restoring. A crash releases the lock with the process.

Files are written to a new private file (0600) in the journal folder (0700) and renamed over
the old one: a symbolic link planted at a journal's name is replaced, never written through.
No Qt here: the session (session.py) decides what to journal and what to ask.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import sys
import tempfile
import uuid
from pathlib import Path

JOURNAL_VERSION = 1
# <folder key>[.<window id>].json; set-aside (.old.json) and kept-aside texts do not match.
_NAME = re.compile(r"^([0-9a-f]{20})(?:\.([0-9a-f]{12}))?\.json$")

if sys.platform == "win32":
    import msvcrt

    def _try_lock(fd: int) -> bool:
        os.lseek(fd, 0, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
else:
    import fcntl

    def _try_lock(fd: int) -> bool:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        except OSError:
            return True  # a filesystem without locks: liveness cannot be told, so never hold it
        return True


def journal_dir() -> Path:
    """Where crash journals live: AGENT_CANVAS_JOURNAL_DIR, else the user's data folder."""
    override = os.environ.get("AGENT_CANVAS_JOURNAL_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("agent-canvas", appauthor=False)) / "journal"


def folder_key(root: Path) -> str:
    return hashlib.sha256(str(Path(root).resolve()).encode("utf-8")).hexdigest()[:20]


def private_folder(folder: Path) -> None:
    """Make the journal folder, readable by the user alone (unsaved text can be private)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if sys.platform != "win32":  # mypy reads this test; os.getuid exists on every other platform
        st = os.stat(folder)
        if st.st_uid == os.getuid() and stat.S_IMODE(st.st_mode) & 0o077:
            os.chmod(folder, 0o700)  # made by an older version, or by hand, open to others


def write_private(path: Path, data: bytes) -> None:
    """Replace `path` with `data` all at once, mode 0600. Raises OSError."""
    private_folder(path.parent)
    fd, tmp = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)  # 0600, O_EXCL
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)  # renames over a link at `path`: the link goes, its target is untouched
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def read_journal(path: Path) -> dict:
    """The journal at `path` (never through a link). Raises OSError, ValueError."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)
    if os.path.islink(path):
        raise ValueError("a link, not a journal")
    fd = os.open(path, flags)
    with os.fdopen(fd, "rb") as f:
        data = json.loads(f.read().decode("utf-8"))
    if not isinstance(data, dict) or data.get("version") != JOURNAL_VERSION \
            or not isinstance(data.get("files"), dict):
        raise ValueError("not a journal of this version")
    return data


class WindowJournal:
    """The journal files of one editor window."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.window = uuid.uuid4().hex[:12]
        self._live_fd: int | None = None

    def path(self, root: Path) -> Path:
        return self.folder / f"{folder_key(root)}.{self.window}.json"

    def write(self, root: Path, data: dict) -> None:
        """Raises OSError."""
        self._hold_live()
        write_private(self.path(root), json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8"))

    def remove(self, root: Path) -> None:
        self.remove_file(self.path(root))

    @staticmethod
    def remove_file(path: Path) -> None:
        try:
            path.unlink()
        except OSError:
            pass

    def release(self) -> None:
        """The window is going away: its journals may be offered again (a journal left behind
        means it closed without saving or discarding)."""
        if self._live_fd is None:
            return
        os.close(self._live_fd)  # closing releases the lock
        self._live_fd = None
        try:
            (self.folder / f"{self.window}.live").unlink()
        except OSError:
            pass

    def _hold_live(self) -> None:
        if self._live_fd is not None:
            return
        private_folder(self.folder)
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        fd = os.open(self.folder / f"{self.window}.live", flags, 0o600)
        _try_lock(fd)
        self._live_fd = fd

    def _is_live(self, window: str | None) -> bool:
        if window is None:
            return False  # a journal of a version before windows had ids
        if window == self.window:
            return True
        live = self.folder / f"{window}.live"
        flags = os.O_RDWR | getattr(os, "O_NOFOLLOW", 0)
        try:
            fd = os.open(live, flags)
        except OSError:
            return False
        try:
            held = not _try_lock(fd)
        finally:
            os.close(fd)  # also lets go of the lock just taken
        if not held:
            try:
                live.unlink()  # left by a window that crashed
            except OSError:
                pass
        return held

    def journals(self, root: Path | None = None) -> list[Path]:
        """Journals of windows that are gone (crashed or closed without a decision), newest
        first: of the folder `root`, or of every folder when `root` is None."""
        key = folder_key(root) if root is not None else None
        found: list[tuple[float, Path]] = []
        try:
            entries = list(os.scandir(self.folder))
        except OSError:
            return []
        for entry in entries:
            m = _NAME.match(entry.name)
            if not m or (key is not None and m.group(1) != key) or entry.is_symlink():
                continue
            if self._is_live(m.group(2)):
                continue
            try:
                found.append((entry.stat().st_mtime, Path(entry.path)))
            except OSError:
                continue
        return [p for _t, p in sorted(found, key=lambda tp: (-tp[0], tp[1].name))]

    def keep_texts_aside(self, journal: Path, files: dict, rels: set[str]) -> tuple[str, bool]:
        """Copy the unsaved texts of `rels` (entries of the journal's "files") next to the
        journal (a file removed there has none). Returns the sentence telling where, for the
        user, and whether every text was kept."""
        kept: list[str] = []
        whole = True
        for rel in sorted(rels):
            text = (files.get(rel) or {}).get("text")
            if isinstance(text, str):
                try:
                    kept.append(str(self.keep_aside(journal, rel, text)))
                except OSError as exc:
                    whole = False
                    kept.append(f"(could not keep the text of {rel}: {exc.strerror or exc}; it stays in "
                                f"{journal.with_suffix('.old.json')})")
        if not kept:
            return "", whole
        return "\n\nYour unsaved text of them was kept in:\n" + "\n".join(f"• {k}" for k in kept), whole

    def keep_aside(self, journal: Path, rel: str, text: str) -> Path:
        """Write the unsaved text of `rel` that could not be restored next to the journal it came
        from; returns where. Raises OSError."""
        flat = rel.replace("/", "--").replace("\\", "--")
        if flat.lower().endswith(".md"):
            flat = flat[:-3]
        stem = journal.name[: -len(".json")]
        target = self.folder / f"{stem}.{flat}.unrestored.md"
        write_private(target, text.encode("utf-8"))
        return target


def team_identity(disk, cache: dict[str, tuple[object, str | None]]) -> str:
    """What a team's files hold on disk (`disk`: its DiskBytes), as one hash: a journal whose
    folder was moved is found again by it. Each file's hash is cached against the very object
    the team keeps as its disk base, so a journal write hashes only what was read or saved since."""
    total = hashlib.sha256()
    for rel in sorted(disk):
        base = disk.base(rel)
        hit = cache.get(rel)
        if hit is None or hit[0] is not base:
            data = base.encode("utf-8") if isinstance(base, str) else base
            hit = cache[rel] = (base, None if data is None else hashlib.sha256(data).hexdigest())
        total.update(f"{rel}\0{hit[1]}\n".encode())
    return total.hexdigest()


def joined_groups(paths: set[str], steps: list[set[str]]) -> list[list[str]]:
    """The `paths` that one step (an undo step's files) changed together, joined transitively:
    a rename changes the agent's old and new file and the files naming it, and must be
    restored whole or not at all. Only groups of two or more."""
    parent = {p: p for p in paths}

    def find(p: str) -> str:
        while parent[p] != p:
            parent[p] = parent[parent[p]]
            p = parent[p]
        return p

    for step in steps:
        touched = sorted(p for p in step if p in parent)
        for p in touched[1:]:
            parent[find(p)] = find(touched[0])
    groups: dict[str, list[str]] = {}
    for p in sorted(paths):
        groups.setdefault(find(p), []).append(p)
    return [g for g in groups.values() if len(g) > 1]


def set_aside(path: Path) -> None:
    """Keep a journal that was not restored under another name instead of deleting it."""
    try:
        os.replace(path, path.with_suffix(".old.json"))
    except OSError:
        pass
