"""What a save will write, in plain words: "backend-specialist: model sonnet → opus; hand-off to
test-engineer added — 2 files; 1 file moved to the trash". Each changed file's frontmatter on
disk is compared with the one about to be written (fields changed, relations added or removed);
new files, deleted files and renamed agents are named as such.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from app.io.document import UnreadableFile, decode, parse_document
from app.io.reader import read_frontmatter
from app.model.agent import COORDINATION_KEYS, split_names
from app.model.disk import Step, moved_away

if TYPE_CHECKING:
    from app.model.team import Team

RELATION_WORDS = {"hands_off_to": "hand-off to", "receives_from": "receives from",
                  "parallel_with": "parallel with"}
SHORT_VALUE = 40  # characters: longer values are said to have changed, not quoted


@dataclass(frozen=True)
class FileChange:
    path: str
    before: str | None   # text on disk; None: a new file
    after: str | None    # text to be written; None: removed
    line: str            # the plain-words line for this file


@dataclass
class SaveSummary:
    changes: list[FileChange] = field(default_factory=list)
    written: int = 0     # files written (new or changed)
    trashed: int = 0     # files moved to the trash
    layout: bool = False  # card positions are saved too

    @property
    def empty(self) -> bool:
        return not self.changes

    def lines(self) -> list[str]:
        return [c.line for c in self.changes]

    def totals(self) -> str:
        parts = []
        if self.written:
            parts.append(f"{self.written} file{'s' if self.written != 1 else ''}")
        if self.trashed:
            parts.append(f"{self.trashed} file{'s' if self.trashed != 1 else ''} moved to the trash")
        if self.layout:
            parts.append("card positions")
        return "; ".join(parts) or "nothing"

    def headline(self) -> str:
        """One sentence over the list: "Save writes 2 files and moves 1 to the trash."."""
        what = []
        if self.written:
            what.append(f"writes {self.written} file{'s' if self.written != 1 else ''}")
        if self.trashed:
            what.append(f"moves {self.trashed} file{'s' if self.trashed != 1 else ''} to the trash")
        sentence = f"Save {' and '.join(what)}." if what else "Save writes nothing."
        return sentence + (" Card positions are saved too." if self.layout else "")

    def text(self) -> str:
        return "\n".join([*self.lines(), f"— {self.totals()}"])


def _parsed(text: str | None) -> tuple[dict, str]:
    """(frontmatter mapping, body) of a file's text; ({}, "") when there is nothing to read."""
    if text is None:
        return {}, ""
    doc = parse_document(text)
    fm = read_frontmatter(doc.frontmatter or "", doc.frontmatter_line)
    data = fm.data if isinstance(fm.data, dict) else (fm.recovered or {})
    return data, doc.body


def _shown(value: Any) -> str:
    if isinstance(value, list):
        value = ", ".join(str(v) for v in value)
    text = str(value)
    return text if len(text) <= SHORT_VALUE and "\n" not in text else ""


def _names(data: dict, key: str) -> list[str]:
    block = data.get("coordination")
    return split_names(block.get(key)) if isinstance(block, dict) else []


def differences(before: dict, after: dict, body_before: str = "", body_after: str = "",
                renames: dict[str, str] | None = None) -> list[str]:
    """Field and relation changes between two frontmatters, in words. `renames` (old → new
    name): a reference that followed a rename is said so, not as one removed and one added."""
    renames = renames or {}
    out: list[str] = []
    if before.get("name") != after.get("name"):
        out.append(f"renamed from {before.get('name')}")
    for key in [*before, *(k for k in after if k not in before)]:
        if key in ("name", "coordination"):
            continue
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if key not in after:
            out.append(f"{key} removed")
        elif key not in before:
            shown = _shown(new)
            out.append(f"{key} set to {shown}" if shown else f"{key} added")
        else:
            a, b = _shown(old), _shown(new)
            out.append(f"{key} {a} → {b}" if a and b else f"{key} changed")
    for key in COORDINATION_KEYS:
        old_names, new_names = _names(before, key), _names(after, key)
        words = RELATION_WORDS[key]
        followed = {o for o in old_names if o not in new_names and renames.get(o) in new_names}
        out += [f"{words} {o} now says {renames[o]}" for o in old_names if o in followed]
        out += [f"{words} {n} added" for n in new_names
                if n not in old_names and n not in {renames[o] for o in followed}]
        out += [f"{words} {n} removed" for n in old_names if n not in new_names and n not in followed]
    old_block, new_block = before.get("coordination"), after.get("coordination")
    if isinstance(old_block, dict) and isinstance(new_block, dict):
        for key in sorted(set(old_block) | set(new_block)):
            if key not in COORDINATION_KEYS and old_block.get(key) != new_block.get(key):
                out.append(f"coordination.{key} changed")
    if body_before != body_after:
        out.append("instructions changed")
    return out


def save_summary(team: Team) -> SaveSummary:
    """What `team.save()` would write now, file by file, in words."""
    summary = SaveSummary(layout=team.layout_dirty())
    removed = team.removed_files()
    new_files = {p: f for p, f in team.files.items() if f.disk is None}
    moved = moved_away([*(Step(p, f.text.encode("utf-8"), None) for p, f in new_files.items()),
                        *(Step(p, None, data) for p, data in removed.items())])
    renamed_from: dict[str, str] = {}  # new path → old path
    for gone_path in moved:
        old_data, old_body = _parsed(_decoded(removed[gone_path]))
        for p, f in new_files.items():
            new_data, new_body = _parsed(f.text)
            if p not in renamed_from and (new_data.get("description"), new_body) == \
                    (old_data.get("description"), old_body):
                renamed_from[p] = gone_path
                break
    def on_disk(path: str, disk: bytes | None) -> str | None:
        """The text this file replaces: its own on disk, or the renamed agent's old file."""
        if path in renamed_from:
            return _decoded(removed[renamed_from[path]])
        return None if disk is None else _decoded(disk)

    renames: dict[str, str] = {}  # old agent name → new, for every agent renamed in this save
    for path, f in team.files.items():
        if f.dirty and f.name:
            base = on_disk(path, f.disk)
            old_name = _parsed(base)[0].get("name") if base is not None else None
            if isinstance(old_name, str) and old_name != f.name:
                renames[old_name] = f.name
    for path, f in team.files.items():
        if not f.dirty:
            continue
        old_path = renamed_from.get(path)
        before_text = on_disk(path, f.disk)
        if f.disk is not None and before_text == f.text:
            continue
        summary.written += 1
        after, body_after = _parsed(f.text)
        name = after.get("name") if isinstance(after.get("name"), str) else path
        if before_text is None:
            line = f"{name}: new agent ({path})"
        else:
            before, body_before = _parsed(before_text)
            said = differences(before, after, body_before, body_after, renames)
            if old_path and said and said[0].startswith("renamed from"):
                said[0] += f" ({old_path} → {path})"
            line = f"{name}: {'; '.join(said) if said else 'formatting only'}"
        summary.changes.append(FileChange(path, before_text, f.text, line))
    for path, data in sorted(removed.items()):
        if path in moved:
            continue
        summary.trashed += 1
        gone_text = _decoded(data)
        gone, _ = _parsed(gone_text)
        name = gone.get("name") if isinstance(gone.get("name"), str) else path
        summary.changes.append(FileChange(path, gone_text, None,
                                          f"{name}: deleted ({path} goes to the trash)"))
    return summary


def _decoded(data: bytes) -> str:
    try:
        return decode(data)
    except UnreadableFile:
        return data.decode("utf-8", "replace")


def saved_message(summary: SaveSummary) -> str:
    """The status bar's line after a save."""
    if summary.empty:
        return "Saved the card positions" if summary.layout else "Saved"
    names = [c.line.split(":", 1)[0] for c in summary.changes]
    shown = ", ".join(names[:4]) + (f" and {len(names) - 4} more" if len(names) > 4 else "")
    return f"Saved {shown} — {summary.totals()}"
