"""The layout file `.agent-canvas.json`: card positions and pins, never stored in agent files."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

from app.io.document import UnreadableFile, read_bytes
from app.model.folder import leaves_folder

SIDECAR = ".agent-canvas.json"
SIDECAR_MAX_BYTES = 16 * 1024 * 1024
Point = tuple[float, float]

def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def parse_sidecar(raw: bytes) -> tuple[dict[str, Point], set[str], str | None]:
    """(positions, pinned, problem) from the bytes of .agent-canvas.json; never raises.

    A damaged file gives empty positions and a plain-English problem; damaged entries are skipped.
    """
    damaged = ("The layout file .agent-canvas.json is damaged ({}); agents are placed automatically and "
               "the file is rewritten the next time you save a layout.")
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as e:
        return {}, set(), damaged.format(f"not valid JSON: {str(e).split(':')[0]}")
    if not isinstance(data, dict) or not isinstance(data.get("agents", {}), dict):
        return {}, set(), damaged.format("it is not a map of agents")
    positions: dict[str, Point] = {}
    pinned: set[str] = set()
    skipped = []
    for name, entry in (data.get("agents") or {}).items():
        if isinstance(entry, dict) and _number(entry.get("x")) and _number(entry.get("y")):
            positions[name] = (float(entry["x"]), float(entry["y"]))
            if entry.get("pinned") is True:
                pinned.add(name)
        else:
            skipped.append(name)
    problem = None
    if skipped:
        problem = damaged.format("no usable position for " + ", ".join(sorted(skipped)[:5])
                                 + (" and others" if len(skipped) > 5 else ""))
    return positions, pinned, problem


def sidecar_bytes(positions: dict[str, Point], pinned: set[str]) -> bytes:
    """The sidecar's bytes: sorted keys, indent 2, final newline (stable, so diffs stay small)."""
    agents = {}
    for name, (x, y) in positions.items():
        agents[name] = {"x": _plain(x), "y": _plain(y), "pinned": name in pinned}
    text = json.dumps({"version": 1, "agents": agents}, sort_keys=True, indent=2, ensure_ascii=False)
    return (text + "\n").encode("utf-8")


def _plain(v: float) -> float | int:
    return int(v) if float(v).is_integer() else float(v)


def read_sidecar(root: Path) -> tuple[bytes | None, dict[str, Point], set[str], str | None]:
    """(raw bytes or None, positions, pinned, problem) of the team at `root`; never raises."""
    path = root / SIDECAR
    if path.is_symlink() and leaves_folder(root, path):
        return None, {}, set(), (f"The layout file {SIDECAR} is a link to a file outside this team, so it "
                                 "is not read, and the layout is not saved through it.")
    try:
        raw = read_bytes(path, max_bytes=SIDECAR_MAX_BYTES)
    except UnreadableFile as e:
        if path.exists() or path.is_symlink():
            return None, {}, set(), f"The layout file {SIDECAR} cannot be read: {e}"
        return None, {}, set(), None
    positions, pinned, problem = parse_sidecar(raw)
    return raw, positions, pinned, problem
