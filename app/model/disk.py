"""What is on disk: the bytes last read from or written to each path, and saving, removing and
re-reading files against them.

The bytes are what makes saving safe: a file is written only when its text differs from them,
and only while the file on disk still holds them (somebody else's change is never overwritten).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path

from app.io.document import UnreadableFile, decode, os_error_words, read_bytes


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


def write_target(root: Path, rel: str) -> Path:
    """Where to write `rel`: through a symlinked file to the file it points at."""
    path = root / rel
    try:
        if path.is_symlink():
            return Path(os.path.realpath(path))
    except OSError:
        pass
    return path


def write_file(root: Path, rel: str, data: bytes, expected: bytes | None) -> str | None:
    """Write one file unless it changed on disk; the failure in plain English, or None."""
    from app.io.writer import WriteError, atomic_write  # brings ruamel.yaml: only when saving

    try:
        atomic_write(write_target(root, rel), data, expected=expected)
    except WriteError as e:
        return str(e) or "The file could not be written."
    return None


def remove_file(root: Path, rel: str, disk: DiskBytes) -> str | None:
    """Delete the file of a removed agent, unless somebody changed it since; the failure in plain
    English, or None (and `rel` is then no longer in `disk`)."""
    path = root / rel
    try:
        current = path.read_bytes() if not path.is_symlink() else write_target(root, rel).read_bytes()
    except FileNotFoundError:
        del disk[rel]
        return None
    except OSError as e:
        return os_error_words(e, "remove")
    if current != disk[rel]:
        return ("The file changed on disk since it was opened, so it was not removed. "
                "Reload it to see the other change.")
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as e:
        return os_error_words(e, "remove")
    del disk[rel]
    return None


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
