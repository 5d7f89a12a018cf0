"""Saves of several files that finish or roll back, even when the process is killed half-way.

Before a save writes more than one file, it writes an intent record into the team folder: every
file's bytes before and after. Then it writes the files, then removes the record. If the process
dies in between (a kill, a power cut), the next program to open the team — the command line or the
editor — finds the record and finishes the edit (every file the record names is its old or its
new self: they all get their new bytes) or, when another program changed one of them since,
puts back the old bytes of the others and sets the record aside. Either way the team is all old
or all new, stray temporary files are removed, and the user is told what was done.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from dataclasses import dataclass
from pathlib import Path

from app.io import atomic
from app.io.document import UnreadableFile, read_bytes

INTENT = ".agent-canvas-intent.json"
INTENT_MAX_BYTES = 512 * 1024 * 1024


@dataclass(frozen=True)
class FileIntent:
    path: str  # relative POSIX path in the team folder
    old: bytes | None  # None: the file did not exist before
    new: bytes | None  # None: the save removes it


def _encode(data: bytes | None) -> str | None:
    return None if data is None else base64.b64encode(data).decode("ascii")


def _decode(text: object) -> bytes | None:
    if text is None:
        return None
    if not isinstance(text, str):
        raise TypeError("not a base64 string")
    return base64.b64decode(text.encode("ascii"), validate=True)


def intent_bytes(label: str, files: list[FileIntent]) -> bytes:
    record = {"version": 1, "label": label, "pid": os.getpid(), "time": time.time(),
              "files": [{"path": f.path, "old": _encode(f.old), "new": _encode(f.new)} for f in files]}
    return json.dumps(record).encode("utf-8")


def parse_intent(raw: bytes) -> tuple[str, list[FileIntent]]:
    """(label, files) from a record's bytes; ValueError when it is damaged."""
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict) or data.get("version") != 1 or not isinstance(data.get("files"), list):
        raise ValueError("not an intent record")
    files = []
    for entry in data["files"]:
        path = entry.get("path") if isinstance(entry, dict) else None
        if not isinstance(path, str) or not path or path.startswith("/") or ".." in path.split("/"):
            raise ValueError("a file path in it is not inside the team")
        files.append(FileIntent(path, _decode(entry.get("old")), _decode(entry.get("new"))))
    return str(data.get("label") or "an edit"), files


def _current(root: Path, rel: str) -> bytes | None:
    try:
        return read_bytes(root / rel, max_bytes=INTENT_MAX_BYTES)
    except UnreadableFile:
        return None if not (root / rel).exists() else b"\0unreadable"  # never equals old or new


def _put(root: Path, rel: str, data: bytes | None, expected: bytes | None) -> None:
    """Make the file hold `data` (None: absent), from what it holds now (`expected`)."""
    path = root / rel
    if data is None:
        try:
            path.unlink()
        except FileNotFoundError:
            pass
        return
    if expected is None and path.exists():  # the temp file's link target appeared meanwhile
        expected = path.read_bytes()
    atomic.atomic_write(path, data, expected=expected, root=root)


def _stray_temp_files(root: Path, files: list[FileIntent]) -> list[Path]:
    """Temporary files atomic_write leaves when killed: `.NAME.XXXX.tmp` beside NAME."""
    out = []
    folders: dict[Path, set[str]] = {}
    for f in files:
        full = root / f.path
        folders.setdefault(full.parent, set()).add(full.name)
    for folder, names in folders.items():
        try:
            entries = os.listdir(folder)
        except OSError:
            continue
        for entry in entries:
            m = re.fullmatch(r"\.(.+)\.[^.]+\.tmp", entry)
            if m and m.group(1) in names:
                out.append(folder / entry)
    return out


def recover(root: Path) -> str | None:
    """Finish or roll back an interrupted save of the team at `root`; what was done, in plain
    English, or None when there was nothing to do."""
    record_path = root / INTENT
    try:
        raw = read_bytes(record_path, max_bytes=INTENT_MAX_BYTES)
    except UnreadableFile:
        return None
    try:
        label, files = parse_intent(raw)
    except (ValueError, TypeError, UnicodeDecodeError):
        aside = _set_aside(record_path)
        return (f"An interrupted save left a damaged record ({INTENT}); it was moved to {aside.name} "
                "and nothing was changed. Check the files it may have touched.")
    now = {f.path: _current(root, f.path) for f in files}
    foreign = [f.path for f in files if now[f.path] not in (f.old, f.new)]
    try:
        if not foreign:
            todo = [f for f in files if now[f.path] != f.new]
            for f in todo:
                _put(root, f.path, f.new, now[f.path])
            done = (f"The save of {label} was interrupted; it has now been completed "
                    f"({len(todo)} of {len(files)} files were still to write).")
        else:
            back = [f for f in files if f.path not in foreign and now[f.path] != f.old]
            for f in back:
                _put(root, f.path, f.old, now[f.path])
            aside = _set_aside(record_path)
            done = (f"The save of {label} was interrupted, and since then another program changed "
                    f"{', '.join(foreign)}. The other files were put back as they were before the save "
                    f"({len(back)} restored); the record is kept as {aside.name}.")
    except Exception as e:  # noqa: BLE001 - the record stays, so the next open tries again
        return (f"The save of {label} was interrupted and could not be finished now ({e}). "
                f"Nothing is lost: the record {INTENT} is kept and the next open tries again.")
    for tmp in _stray_temp_files(root, files):
        try:
            tmp.unlink()
        except OSError:
            pass
    try:
        record_path.unlink()
    except FileNotFoundError:
        pass
    return done


def _set_aside(record_path: Path) -> Path:
    aside = record_path.with_name(f"{INTENT[:-5]}.{time.strftime('%Y%m%d-%H%M%S')}.json")
    try:
        os.replace(record_path, aside)
    except OSError:
        pass
    return aside
