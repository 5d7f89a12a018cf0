"""What is on disk: the bytes last read from or written to each path, and saving, removing and
re-reading files against them.

The bytes are what makes saving safe: a file is written only when its text differs from them,
and only while the file on disk still holds them (somebody else's change is never overwritten).
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from app.io import atomic
from app.io.document import UnreadableFile, decode, os_error_words, parse_document, read_bytes
from app.io.lock import FolderBusy, folder_lock
from app.io.reader import read_frontmatter
from app.model.intent import INTENT, FileIntent, intent_bytes


@dataclass(frozen=True)
class SaveFailure:
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


class DiskBytes(MutableMapping):
    """path → bytes last read from / written to disk there, as a dict of bytes to its users.

    Stored as the text the bytes decode to whenever that is exact (every file read, every file
    written from its text), so the content of a clean file is held once, shared with its
    AgentFile.text; the bytes are encoded again only when asked for (conflict checks, hashes).
    """

    def __init__(self) -> None:
        self._base: dict[str, str | bytes] = {}

    def __getitem__(self, path: str) -> bytes:
        base = self._base[path]
        return base if isinstance(base, bytes) else base.encode("utf-8")

    def __setitem__(self, path: str, value: str | bytes) -> None:
        self._base[path] = value

    def __delitem__(self, path: str) -> None:
        del self._base[path]

    def __contains__(self, path: object) -> bool:
        return path in self._base

    def __iter__(self) -> Iterator[str]:
        return iter(self._base)

    def __len__(self) -> int:
        return len(self._base)

    def base(self, path: str) -> str | bytes | None:
        """The stored form (text or bytes) without encoding it; None when not on disk."""
        return self._base.get(path)


def write_file(root: Path, rel: str, data: bytes, expected: bytes | None) -> str | None:
    """Write one file of the team unless it changed on disk (never through a link that leaves
    the team: atomic.atomic_write checks); the failure in plain English, or None."""
    try:
        atomic.atomic_write(root / rel, data, expected=expected, root=root)
    except atomic.WriteError as e:
        return str(e) or "The file could not be written."
    return None


def remove_file(root: Path, rel: str, expected: bytes | None, trash: bool = False) -> str | None:
    """Delete the file of a removed agent, unless somebody changed it since (`expected`: the
    bytes last read); the failure in plain English, or None. `trash`: move it to the system
    trash (recoverable) instead of unlinking it."""
    if expected is None:
        return None
    if trash:
        return _trash_unchanged(root / rel, expected)
    try:
        atomic.remove_unchanged(root / rel, expected=expected)
    except atomic.WriteError as e:
        return str(e) or "The file could not be removed."
    return None


def _trash_unchanged(path: Path, expected: bytes) -> str | None:
    """send2trash `path` if it still holds `expected`, under the lock atomic_write takes, so a save
    made in between is never thrown away. A file already gone is fine."""
    from send2trash import send2trash  # only a save that deletes needs it

    try:
        with folder_lock(path.parent):
            try:
                current = path.read_bytes()
            except FileNotFoundError:
                if os.path.lexists(path):  # a link that points nowhere: nothing of ours to keep
                    os.unlink(path)
                return None
            if current != expected:
                return (f"Could not move {path.name} to the trash: it was changed by another program "
                        "since it was opened, so it was left as it is. Reload it to see the other change.")
            send2trash(path)
    except FolderBusy as e:
        return (f"Could not move {path.name} to the trash: another save in this folder has not finished "
                f"after {e.seconds:g} seconds; try again.")
    except OSError as e:
        return (f"Could not move {path.name} to the trash ({os_error_words(e, 'remove')}). It is still "
                "there; delete it yourself, or use agent-canvas rm --permanent.")
    return None


def moved_away(steps: list[Step]) -> set[str]:
    """Paths removed only because their content moved to a new file in the same save (a renamed
    agent): its description and instructions went along, so unlinking loses nothing and the
    trash is not filled with the old name of every renamed agent."""
    new = {_gist(s.data) for s in steps if s.data is not None and s.expected is None} - {None}
    return {s.path for s in steps if s.data is None and s.expected is not None
            and _gist(s.expected) in new}


def _gist(data: bytes) -> tuple[str, str] | None:
    """(description, body) of an agent file; None when either cannot be told."""
    try:
        doc = parse_document(decode(data))
    except UnreadableFile:
        return None
    data_ = read_frontmatter(doc.frontmatter or "", doc.frontmatter_line).data
    description = data_.get("description") if isinstance(data_, dict) else None
    return (description, doc.body) if isinstance(description, str) else None


@dataclass(frozen=True)
class Step:
    """One file of a save: write `data` over `expected` (None: a new file), or remove it
    (`data` None) if it still holds `expected`."""

    path: str
    data: bytes | None
    expected: bytes | None


def _do(root: Path, step: Step, trash: bool = False) -> str | None:
    if step.data is None:
        return remove_file(root, step.path, step.expected, trash=trash)
    return write_file(root, step.path, step.data, step.expected)


def _undo(root: Path, step: Step) -> str | None:
    """Put back what `step` replaced."""
    if step.data is None:
        assert step.expected is not None
        return write_file(root, step.path, step.expected, None)
    if step.expected is None:
        return remove_file(root, step.path, step.data)
    return write_file(root, step.path, step.expected, step.data)


def save_steps(root: Path, steps: list[Step], label: str, trash: bool = True) -> list[SaveFailure]:
    """Make every step, or none: a failure puts back the files already written. Several files
    are covered by an intent record (intent.py), so a save killed half-way is finished or rolled
    back by the next program that opens the team. Ctrl+C and SIGTERM wait until the files are
    consistent again. `trash`: removed files go to the system trash, except those whose content
    moved to a new file (`moved_away`). Returns the failures in plain English (none: all written)."""
    if not steps:
        return []
    unlink = moved_away(steps) if trash else set()
    record = root / INTENT if len(steps) > 1 else None
    with _interrupts_deferred():
        if record is not None:
            problem = write_file(root, INTENT, intent_bytes(
                label, [FileIntent(s.path, s.expected, s.data) for s in steps]), None)
            if problem:
                return [SaveFailure(steps[0].path, f"Nothing was saved. {problem}")]
        done: list[Step] = []
        for step in steps:
            problem = _do(root, step, trash=trash and step.path not in unlink)
            if problem is None:
                done.append(step)
                continue
            stuck = [s.path for s in reversed(done) if _undo(root, s) is not None]
            failures = [SaveFailure(step.path, problem)]
            if not done:
                note = "Nothing was saved."
            elif not stuck:
                note = (f"Nothing was saved: the {len(done)} file{'s' if len(done) > 1 else ''} "
                        "written before it were put back as they were.")
            else:
                note = (f"The save stopped half-way and {', '.join(stuck)} could not be put back now; "
                        "the next time this team is opened the save is finished or undone.")
            failures += [SaveFailure(s.path, note) for s in steps if s is not step]
            if record is not None and not stuck:
                _remove_quietly(record)
            return failures
        if record is not None:
            _remove_quietly(record)
    return []


def _remove_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


@contextmanager
def _interrupts_deferred() -> Iterator[None]:
    """Hold Ctrl+C and SIGTERM until the block is done (files are written in well under a second),
    then raise KeyboardInterrupt saying the save had finished. Only the main thread may set
    signal handlers; elsewhere the block runs as it is (an intent record still covers it)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[int] = []
    kinds = [signal.SIGINT] + ([signal.SIGTERM] if hasattr(signal, "SIGTERM") else [])
    old = {s: signal.getsignal(s) for s in kinds}
    for s in kinds:
        signal.signal(s, lambda signum, _frame: caught.append(signum))
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    if caught:
        raise KeyboardInterrupt("interrupted after the save had finished or been put back; "
                                "the files are consistent.")


def read_text(root: Path, rel: str) -> tuple[str | None, str | None]:
    """(text, None) of the file at `rel`; (None, None) when it is gone; (None, reason) when it
    cannot be read."""
    full = root / rel
    try:
        if not full.exists():
            return None, None
        return decode(read_bytes(full)), None
    except FileNotFoundError:
        return None, None
    except UnreadableFile as e:
        return None, str(e)


def current_bytes(root: Path, rel: str) -> bytes | None:
    try:
        return read_bytes(root / rel)
    except UnreadableFile:
        return None
