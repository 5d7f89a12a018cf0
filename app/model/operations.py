"""Every change to a team is one of these operations. `team.apply(op)` runs it and returns its inverse.

An operation works out all the new file texts first (through `app.io.writer.apply_edits`, so only
the lines of what changed differ) and only then changes the team, so an OperationError always
leaves the team as it was. The inverse of anything that changes files is a `RestoreFiles`: a
snapshot of the exact texts (and positions) before, which makes every undo byte-identical.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

import yaml

# app.io.writer is imported where an edit is made: it brings ruamel.yaml (~0.1 s), which opening
# a team and painting it never needs.
from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.model.agent import COORDINATION_KEYS, list_value, name_problem, split_names
from app.model.agent_file import AgentFile
from app.model.edit import Operation, OperationError, Point
from app.model.edit import TeamEdit as Team
from app.model.spawn import may_start_any, spawn_targets, with_target

__all__ = ["Operation", "OperationError"]  # re-exported: the GUI and the CLI import them from here


LIST_FIELDS = ("tools", "disallowedTools", "skills")
KIND_WORDS = {"handoff": "hand-off", "parallel": "parallel link"}


# -- helpers -------------------------------------------------------------------------------------

def _where(f: AgentFile) -> str:
    line = f" line {f.error.line}" if f.error is not None and f.error.line else ""
    return f"{f.path}{line}"


def _require(team: Team, name: str) -> AgentFile:
    f = team.agent(name)
    if f is None:
        raise OperationError(f"There is no agent named {name!r} in this team.")
    return f


def _editable(team: Team, f: AgentFile, why: str = "") -> AgentFile:
    if f.error is not None:
        who = f.name or f.path
        raise OperationError(
            f"{_where(f)}: the frontmatter of {who} is not valid YAML, so it cannot be changed{why} "
            f"({f.error.message}). Repair the file first.")
    if f.agent is None:
        raise OperationError(f"{f.path} has no frontmatter, so it is not an agent and cannot be changed.")
    lines = f.doc.frontmatter.count("\n") if f.doc is not None and f.doc.frontmatter else 0
    if lines > MAX_EDIT_LINES:
        raise OperationError(
            f"{f.path}: its settings block has {lines:,} lines, too many to change here without freezing. "
            "Edit it in a text editor.")
    return f


# Real agents have tens of frontmatter lines; the lossless round trip (ruamel.yaml) of 100,000 took
# 36 s per edit. Past this the editor refuses in words rather than freezing.
MAX_EDIT_LINES = 5_000


def _edit(f: AgentFile, text: str, edits: list) -> str:
    from app.io.writer import EditError, apply_edits

    try:
        return apply_edits(text, edits)
    except EditError as e:
        raise OperationError(f"{f.path}: {e}") from None


def _raw(f: AgentFile, path: tuple[str, ...]) -> Any:
    """The value at `path` in the parsed frontmatter as written (a string stays a string)."""
    node: Any = f.data or {}
    for key in path:
        if not isinstance(node, dict):
            return None
        node = node.get(key)
    return node


def _check_list(f: AgentFile, key: str) -> None:
    field_name = f"coordination.{key}"
    if field_name in f.invalid or "coordination" in f.invalid:
        raise OperationError(
            f"{f.path}: {field_name} of {f.name} is not a list of agent names, so it cannot be changed "
            "without losing what is written there. Correct it by hand first.")


def _names_in(f: AgentFile, key: str) -> list[str]:
    return f.agent.coordination_list(key) if f.agent is not None else []


def _list_edit(f: AgentFile, key: str, names: list[str]):
    from app.io.writer import SetValue

    path = ("coordination", key)
    return SetValue(path, list_value(_raw(f, path), names))


def _commit(team: Team, label: str, texts: Mapping[str, str | None],
            positions: Mapping[str, Point | None] | None = None,
            pinned: Mapping[str, bool] | None = None,
            renamed: Mapping[str, str] | None = None) -> RestoreFiles:
    """Make the change and return the snapshot that undoes it (a rename undone is a rename back)."""
    old_texts = team.set_texts(texts, renamed)
    old_pos, old_pin = team.set_layout(positions or {}, pinned or {})
    back = tuple((new, old) for old, new in (renamed or {}).items())
    return RestoreFiles(label, tuple(old_texts.items()), tuple(old_pos.items()), tuple(old_pin.items()), back)


def _field_path(name: str) -> tuple[str, ...]:
    parts = tuple(p.strip() for p in str(name).split("."))
    if not parts or not all(parts):
        raise OperationError(f"{name!r} is not a field name.")
    return parts


def _plain_value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_plain_value(v) for v in value]
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain_value(v) for k, v in value.items()}
    return value


def _check_new_name(team: Team, name: str) -> None:
    reason = name_problem(name)
    if reason:
        raise OperationError(f"{name!r} cannot be used as a name: {reason}.")
    if team.agent(name) is not None:
        raise OperationError(f"There is already an agent named {name}.")


def _free_path(team: Team, rel: str) -> bool:
    return not team.path_taken(rel) and not (team.root / rel).exists()


# -- the snapshot inverse -------------------------------------------------------------------------

@dataclass(frozen=True)
class RestoreFiles:
    """Put files (text, or absent = None), positions and pins back exactly as they were."""

    label: str
    files: tuple[tuple[str, str | None], ...] = ()
    positions: tuple[tuple[str, Point | None], ...] = ()
    pinned: tuple[tuple[str, bool], ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()  # (old name, new name) that restoring renames

    def apply(self, team: Team) -> RestoreFiles:
        return _commit(team, self.label, dict(self.files), dict(self.positions), dict(self.pinned),
                       dict(self.renamed))


# -- fields ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SetField:
    """Set one field ("model", "coordination.hands_off_to"…). None means remove the field; a list
    for a field written as "Read, Grep" stays a comma-separated string."""

    agent: str
    field: str
    value: Any

    @property
    def label(self) -> str:
        if self.field == "name":
            return f"Rename {self.agent} to {self.value}"
        return f"Change {self.field} of {self.agent}"

    def apply(self, team: Team) -> Operation:
        from app.io.writer import DeleteKey, SetValue

        if self.field == "name":
            if not isinstance(self.value, str):
                raise OperationError("A name must be text.")
            return RenameAgent(self.agent, self.value).apply(team)
        f = _editable(team, _require(team, self.agent))
        path = _field_path(self.field)
        value = _plain_value(self.value)
        edit: DeleteKey | SetValue
        if value is None:
            edit = DeleteKey(path)
        else:
            last = path[-1]
            is_list_field = (len(path) == 1 and last in LIST_FIELDS) or \
                (len(path) == 2 and path[0] == "coordination" and last in COORDINATION_KEYS)
            if is_list_field and isinstance(value, list):
                value = list_value(_raw(f, path), split_names(value))
            edit = SetValue(path, value)
        text = _edit(f, f.text, [edit])
        return _commit(team, self.label, {f.path: text})


@dataclass(frozen=True)
class UnsetField:
    agent: str
    field: str

    @property
    def label(self) -> str:
        return f"Remove {self.field} from {self.agent}"

    def apply(self, team: Team) -> Operation:
        from app.io.writer import DeleteKey

        if self.field == "name":
            raise OperationError("An agent cannot be left without a name; rename it instead.")
        f = _editable(team, _require(team, self.agent))
        text = _edit(f, f.text, [DeleteKey(_field_path(self.field))])
        return _commit(team, self.label, {f.path: text})


# -- relations ------------------------------------------------------------------------------------

def _sides(kind: str) -> tuple[str, str]:
    if kind == "handoff":
        return "hands_off_to", "receives_from"
    if kind == "parallel":
        return "parallel_with", "parallel_with"
    raise OperationError(f"{kind!r} is not a kind of link (use handoff, parallel, spawn or observer).")


SOURCE_ONLY = ("spawn", "observer")  # written in the source's file alone (see relations.py)


def _relation_texts(team: Team, plan, verb: str, change) -> dict[str, str]:
    """New texts for each (file, list key, other agent) of `plan`: `change(names, other)` gives the
    list's new names, or None when that side needs nothing. Refuses when a file cannot be edited."""
    texts: dict[str, str] = {}
    for f, key, other in plan:
        names = _names_in(f, key)
        new = change(names, other)
        if new is None:
            continue
        _editable(team, f, f" to {verb.format(other=other)} its {key}")
        _check_list(f, key)
        texts[f.path] = _edit(f, texts.get(f.path, f.text), [_list_edit(f, key, new)])
    return texts


def _source_only_texts(team: Team, source: str, target: str, kind: str, add: bool) -> dict[str, str]:
    """The new text of the source's file for a spawn relation (its tools' Agent(...) entry, in
    the file's own style) or an observer (its `observer` list); refuses in words."""
    from app.io.writer import DeleteKey, SetValue

    s = _editable(team, _require(team, source))
    key = "tools" if kind == "spawn" else "observer"
    if key in s.invalid:
        raise OperationError(f"{s.path}: {key} of {source} is not in a form that can be changed without losing "
                             "what is written there. Correct it by hand first.")
    raw = _raw(s, (key,))
    edit: SetValue | DeleteKey
    if kind == "spawn":
        names = spawn_targets(raw)
        if add and may_start_any(raw):
            raise OperationError(f"{source} may already start any agent (it has every tool, or Agent without "
                                 "names). To limit whom it may start, list its tools and name the agents in "
                                 "Agent(...).")
        if add == (target in names):
            raise OperationError(f"{source} {'may already' if add else 'may not'} start {target}.")
        edit = SetValue(("tools",), with_target(raw, target, add))
    else:
        names = list(raw) if isinstance(raw, list) else []
        if add == (target in names):
            raise OperationError(f"{target} {'already observes' if add else 'does not observe'} {source}.")
        if add and len(names) >= 4:
            raise OperationError(f"{source} has four observers already; Claude Code starts at most four.")
        new = [*names, target] if add else [n for n in names if n != target]
        edit = SetValue((key,), new) if new else DeleteKey((key,))
    return {s.path: _edit(s, s.text, [edit])}


@dataclass(frozen=True)
class Link:
    """A hand-off from source to target (or a parallel link), declared on both sides unless
    one_sided, in which case only the source's file changes."""

    source: str
    target: str
    kind: str = "handoff"
    one_sided: bool = False

    @property
    def label(self) -> str:
        if self.kind == "parallel":
            return f"Link {self.source} and {self.target} in parallel"
        if self.kind == "spawn":
            return f"Let {self.source} start {self.target}"
        if self.kind == "observer":
            return f"Make {self.target} an observer of {self.source}"
        return f"Add hand-off from {self.source} to {self.target}"

    def apply(self, team: Team) -> Operation:
        if self.kind in SOURCE_ONLY:
            if self.source == self.target:
                raise OperationError(f"{self.source} cannot be linked to itself.")
            _require(team, self.target)
            return _commit(team, self.label, _source_only_texts(team, self.source, self.target, self.kind, True))
        mine, theirs = _sides(self.kind)
        if self.source == self.target:
            raise OperationError(f"{self.source} cannot be linked to itself.")
        s = _editable(team, _require(team, self.source))
        t = _require(team, self.target)
        plan = [(s, mine, self.target)]
        if not self.one_sided:
            plan.append((t, theirs, self.source))
        texts = _relation_texts(team, plan, "add {other} to", lambda names, other: (
            None if other in names else [*names, other]))
        if not texts:
            what = "works in parallel with" if self.kind == "parallel" else "hands work to"
            raise OperationError(f"{self.source} already {what} {self.target}.")
        return _commit(team, self.label, texts)


@dataclass(frozen=True)
class Unlink:
    """Remove every declaration of the relation (both sides unless one_sided: then only the
    source's own list)."""

    source: str
    target: str
    kind: str = "handoff"
    one_sided: bool = False

    @property
    def label(self) -> str:
        if self.kind == "parallel":
            return f"Unlink {self.source} and {self.target}"
        if self.kind == "spawn":
            return f"Stop {self.source} from starting {self.target}"
        if self.kind == "observer":
            return f"Remove {self.target} as an observer of {self.source}"
        return f"Remove hand-off from {self.source} to {self.target}"

    def apply(self, team: Team) -> Operation:
        if self.kind in SOURCE_ONLY:
            return _commit(team, self.label, _source_only_texts(team, self.source, self.target, self.kind, False))
        mine, theirs = _sides(self.kind)
        s, t = team.agent(self.source), team.agent(self.target)
        if s is None and t is None:
            raise OperationError(f"There is no agent named {self.source!r} or {self.target!r} in this team.")
        plan = [(s, mine, self.target)]
        if not self.one_sided:
            plan.append((t, theirs, self.source))
        texts = _relation_texts(team, [p for p in plan if p[0] is not None], "remove {other} from",
                                lambda names, other: [n for n in names if n != other] if other in names else None)
        if not texts:
            what = "work in parallel with" if self.kind == "parallel" else "hand work to"
            raise OperationError(f"{self.source} does not {what} {self.target}.")
        return _commit(team, self.label, texts)


# -- agents ---------------------------------------------------------------------------------------

def _reference_edits(team: Team, old: str, new: str | None, skip: str | None = None) -> dict[str, str]:
    """New texts of every file that names `old` in its coordination: renamed to `new`, or removed
    (new=None). Refuses when such a file cannot be edited."""
    texts: dict[str, str] = {}
    for path, f in team.files.items():
        if path == skip or f.agent is None or f.agent.coordination is None:
            continue
        edits = []
        for key in COORDINATION_KEYS:
            names = _names_in(f, key)
            if old not in names:
                continue
            _editable(team, f, f" to update its reference to {old}")
            _check_list(f, key)
            if new is None:
                updated = [n for n in names if n != old]
            else:
                updated = []
                for n in names:  # rename in place, without listing `new` twice
                    n = new if n == old else n
                    if n not in updated:
                        updated.append(n)
            edits.append(_list_edit(f, key, updated))
        if edits:
            texts[path] = _edit(f, f.text, edits)
    return texts


@dataclass(frozen=True)
class RenameAgent:
    """Rename an agent; every reference in every file follows, and the file is renamed when its
    name matched the file's name."""

    old: str
    new: str

    @property
    def label(self) -> str:
        return f"Rename {self.old} to {self.new}"

    def apply(self, team: Team) -> Operation:
        from app.io.writer import SetValue

        f = _editable(team, _require(team, self.old))
        if self.new == self.old:
            raise OperationError(f"{self.old} already has that name.")
        _check_new_name(team, self.new)
        texts: dict[str, str | None] = dict(_reference_edits(team, self.old, self.new, skip=f.path))
        own = [SetValue(("name",), self.new)]
        for key in COORDINATION_KEYS:  # an agent that lists itself keeps listing itself
            names = _names_in(f, key)
            if self.old in names:
                _check_list(f, key)
                own.append(_list_edit(f, key, [self.new if n == self.old else n for n in names]))
        new_text = _edit(f, f.text, own)
        path = f.path
        if f.stem == self.old:
            folder = posixpath.dirname(f.path)
            path = posixpath.join(folder, f"{self.new}.md") if folder else f"{self.new}.md"
            if not _free_path(team, path):
                raise OperationError(f"Cannot rename the file {f.path} to {path}: a file with that name "
                                     "already exists.")
            texts[f.path] = None
        texts[path] = new_text
        positions: dict[str, Point | None] = {}
        pinned: dict[str, bool] = {}
        if self.old in team.positions:
            positions = {self.old: None, self.new: team.positions[self.old]}
        if self.old in team.pinned:
            pinned = {self.old: False, self.new: True}
        return _commit(team, self.label, texts, positions, pinned, {self.old: self.new})


TEMPLATES: dict[str, dict[str, str]] = {
    "blank": {
        "description": "Describe what this agent does and when Claude should use it.",
        "body": "You are {name}. Describe here how you work, step by step, and what you hand back.\n",
    },
    "specialist": {
        "description": "Specialist for one area of the code base. Use when a task falls in that area.",
        "body": ("## Purpose\n\nYou are {name}, a specialist. State the area you own.\n\n"
                 "## How you work\n\n1. Read the relevant code first.\n2. Make the smallest change "
                 "that solves the task.\n3. Say what you changed and what to check.\n"),
    },
    "reviewer": {
        "description": "Reviews changes for correctness, clarity and risk. Use after code is written.",
        "body": ("## Purpose\n\nYou are {name}. You review changes; you do not write features.\n\n"
                 "## Checklist\n\n- Does it do what the task asked?\n- Is anything unsafe or "
                 "untested?\n- Is it as simple as it can be?\n"),
    },
}


def _scalar(text: str) -> str:
    """`text` as a YAML scalar: plain when that reads back the same, else double-quoted."""
    if text and text == text.strip() and "\n" not in text:
        try:
            if yaml.safe_load(f"k: {text}") == {"k": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)


def agent_text(name: str, description: str = "", template: str | None = None) -> str:
    """The text of a new agent file."""
    starter = TEMPLATES.get(template or "blank")
    if starter is None:
        raise OperationError(f"There is no template called {template!r} (choose {', '.join(TEMPLATES)}).")
    description = (description or "").strip() or starter["description"]
    return (f"---\nname: {name}\ndescription: {_scalar(description)}\nmodel: inherit\n---\n\n"
            + starter["body"].format(name=name))


@dataclass(frozen=True)
class AddAgent:
    """A new agent in `<name>.md` at the top of the team folder, from a template."""

    name: str
    description: str = ""
    template: str | None = None
    position: Point | None = None

    @property
    def label(self) -> str:
        return f"Add agent {self.name}"

    def apply(self, team: Team) -> Operation:
        _check_new_name(team, self.name)
        path = f"{self.name}.md"
        if not _free_path(team, path):
            raise OperationError(f"A file called {path} already exists in the team folder.")
        text = agent_text(self.name, self.description, self.template)
        positions = {self.name: self.position} if self.position is not None else {}
        return _commit(team, self.label, {path: text}, positions)


@dataclass(frozen=True)
class RemoveAgent:
    """Delete the agent's file (on save); references to it in other files go too."""

    name: str

    @property
    def label(self) -> str:
        return f"Delete agent {self.name}"

    def apply(self, team: Team) -> Operation:
        f = _require(team, self.name)
        texts: dict[str, str | None] = {}
        if len(team.files_named(self.name)) == 1:  # another file still answers to the name
            texts.update(_reference_edits(team, self.name, None, skip=f.path))
        texts[f.path] = None
        positions = {self.name: None} if self.name in team.positions else {}
        pinned = {self.name: False} if self.name in team.pinned else {}
        return _commit(team, self.label, texts, positions, pinned)


@dataclass(frozen=True)
class DuplicateAgent:
    """A copy of the agent's file under a new name (`<name>-copy`, `<name>-copy-2`…)."""

    name: str
    new_name: str | None = None

    @property
    def label(self) -> str:
        return f"Duplicate {self.name}"

    def apply(self, team: Team) -> Operation:
        from app.io.writer import SetValue

        f = _editable(team, _require(team, self.name))
        folder = posixpath.dirname(f.path)

        def path_for(n: str) -> str:
            return posixpath.join(folder, f"{n}.md") if folder else f"{n}.md"

        new = self.new_name
        if new is None:
            new, i = f"{self.name}-copy", 1
            while team.agent(new) is not None or not _free_path(team, path_for(new)):
                i += 1
                new = f"{self.name}-copy-{i}"
        _check_new_name(team, new)
        path = path_for(new)
        if not _free_path(team, path):
            raise OperationError(f"A file called {path} already exists.")
        text = _edit(f, f.text, [SetValue(("name",), new)])
        positions: dict[str, Point | None] = {}
        if self.name in team.positions:
            x, y = team.positions[self.name]
            positions[new] = (x + 32.0, y + 32.0)
        return _commit(team, self.label, {path: text}, positions)


# -- body and repair (added for the property and problems panels) --------------------------------

@dataclass(frozen=True)
class SetBody:
    """Replace the body (the instructions after the frontmatter). The frontmatter and fences keep
    their exact bytes; `text` ("\\n" lines) is written in the file's line endings, and the file
    keeps ending with a newline, or without one, as it did."""

    agent: str
    text: str

    @property
    def label(self) -> str:
        return f"Edit the instructions of {self.agent}"

    def apply(self, team: Team) -> Operation:

        f = _editable(team, _require(team, self.agent), " (its instructions too, until it is repaired)")
        doc = parse_document(f.text)
        if doc.frontmatter is None:
            raise OperationError(f"{f.path} has no frontmatter, so it is not an agent.")
        nl = doc.newline
        body = self.text.replace("\r\n", "\n")
        old_body = doc.body
        if old_body.endswith("\n") and body and not body.endswith("\n"):
            body += "\n"
        elif not old_body.endswith("\n") and old_body and body.endswith("\n"):
            body = body[:-1]
        if nl != "\n":
            body = body.replace("\n", nl)
        head = f.text[: doc.body_start]
        if body and not head.endswith("\n"):
            head += nl  # the closing fence ended the file; the body starts on the next line
        return _commit(team, self.label, {f.path: head + body})


@dataclass(frozen=True)
class RepairFile:
    """Rewrite the invalid YAML frontmatter of one file as valid YAML with the same meaning; the
    body is untouched."""

    path: str

    @property
    def label(self) -> str:
        return f"Repair {self.path}"

    def apply(self, team: Team) -> Operation:
        from app.io.repair import repair
        from app.io.writer import EditError

        f = team.files.get(self.path)
        if f is None:
            raise OperationError(f"There is no file {self.path} in this team.")
        if f.error is None and not f.lenient:
            raise OperationError(f"{self.path} is already valid; nothing to repair.")
        try:
            text = repair(f.text)
        except (EditError, ValueError) as e:
            raise OperationError(f"{self.path} cannot be repaired automatically: {e}") from None
        doc = parse_document(text)
        check = read_frontmatter(doc.frontmatter or "", doc.frontmatter_line, lenient=False)
        if doc.frontmatter is None or check.error is not None:
            reason = check.error.message if check.error else "the frontmatter was lost"
            raise OperationError(f"{self.path} cannot be repaired automatically ({reason}).")
        return _commit(team, self.label, {f.path: text})


# -- layout ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MoveAgents:
    """New canvas positions; None forgets an agent's position (it is then laid out again)."""

    positions: dict[str, Point | None] = field(default_factory=dict)
    touches_files: ClassVar[bool] = False  # layout only: a team opened unchecked stays so

    @property
    def label(self) -> str:
        names = sorted(self.positions)
        return f"Move {names[0]}" if len(names) == 1 else f"Move {len(names)} agents"

    def apply(self, team: Team) -> Operation:
        unknown = sorted(n for n in self.positions if team.agent(n) is None and n not in team.positions)
        if unknown:
            raise OperationError(f"There is no agent named {unknown[0]!r} in this team.")
        for n, pos in self.positions.items():
            if pos is not None and not (len(pos) == 2 and all(isinstance(v, (int, float)) for v in pos)):
                raise OperationError(f"The position of {n} must be two numbers.")
        old_pos, _ = team.set_layout(dict(self.positions), {})
        return MoveAgents(old_pos)


@dataclass(frozen=True)
class SetPinned:
    """Pin agents where they are (automatic layout leaves them alone), or unpin them."""

    names: tuple[str, ...]
    pinned: bool = True
    touches_files: ClassVar[bool] = False

    @property
    def label(self) -> str:
        verb = "Pin" if self.pinned else "Unpin"
        names = list(self.names)
        return f"{verb} {names[0]}" if len(names) == 1 else f"{verb} {len(names)} agents"

    def apply(self, team: Team) -> Operation:
        names = tuple(self.names)
        unknown = sorted(n for n in names if team.agent(n) is None)
        if unknown:
            raise OperationError(f"There is no agent named {unknown[0]!r} in this team.")
        _, old = team.set_layout({}, dict.fromkeys(names, self.pinned))
        return RestoreFiles(self.label, (), (), tuple(old.items()))


@dataclass(frozen=True)
class Batch:
    """Several operations as one undo step; all or nothing."""

    label: str
    ops: tuple = ()

    def apply(self, team: Team) -> Operation:
        inverses: list[Operation] = []
        try:
            for op in self.ops:
                inverses.append(op.apply(team))
        except Exception:
            for inverse in reversed(inverses):
                inverse.apply(team)
            raise
        return Batch(self.label, tuple(reversed(inverses)))
