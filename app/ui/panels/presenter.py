"""What the property panel shows and what its edits do, without Qt.

`agent_state(team, name)` is everything the panel displays for one agent: values, which parts are
read-only, the notes under fields (an unknown model, a missing description…) and the relation
lists with their one-sided marks. The intents (`change`, `rename`, `add_relation`,
`remove_relation`, `declare_both`) turn what the user did into the one model operation it means,
or None when it changes nothing. The panel (properties.py) only moves values between these and
its widgets, so the rules here are tested with plain pytest (tests/ui/test_presenter.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from app.io.document import parse_document
from app.model.agent import (
    FIELDS,
    PERMISSION_MODES,
    is_known_model,
    list_value,
    name_problem,
    split_names,
    tools_value,
)
from app.model.agent_file import AgentFile
from app.model.edit import Operation
from app.model.fixes import FIELD_WORDS
from app.model.operations import Link, RenameAgent, SetBody, SetField, Unlink, UnsetField
from app.model.relations import Kind, RelationKey
from app.model.spawn import may_start_any, spawn_targets
from app.model.team import Team
from app.model.validation import duplicate_message

Level = Literal["ok", "info", "warning", "error"]
MISSING: Any = object()  # the field is not in the file (unlike a field set to null)


# -- the relation lists ---------------------------------------------------------------------------
@dataclass(frozen=True)
class RelationField:
    """One coordination list of an agent and the relation each of its names stands for."""

    key: str        # "hands_off_to": the list in the file's coordination block
    label: str      # what the panel calls it
    kind: Kind
    outgoing: bool  # the agent is the relation's source (hands off / is listed first)
    words: str      # how a message names the list

    @property
    def path(self) -> str:
        return f"coordination.{self.key}"

    def relation(self, me: str, other: str) -> RelationKey:
        """The relation `other` in this list of `me` stands for (parallel ones are sorted)."""
        if self.kind == "parallel":
            first, second = sorted((me, other))
            return (self.kind, first, second)
        return (self.kind, me, other) if self.outgoing else (self.kind, other, me)

    def op(self, cls: type[Link | Unlink], me: str, other: str) -> Link | Unlink:
        source, target = (me, other) if self.outgoing else (other, me)
        return cls(source, target, self.kind)


# The words are the quick fixes' (the Problems panel's labels), so both panels name a list alike.
RELATIONS: tuple[RelationField, ...] = (
    RelationField("hands_off_to", "Hands off to", "handoff", True, FIELD_WORDS["hands_off_to"]),
    RelationField("receives_from", "Receives from", "handoff", False, FIELD_WORDS["receives_from"]),
    RelationField("parallel_with", "Parallel with", "parallel", True, FIELD_WORDS["parallel_with"]),
)
RELATION_BY_KEY = {r.key: r for r in RELATIONS}


@dataclass(frozen=True)
class StartField(RelationField):
    """A list only the source's file holds, which Claude Code enforces: the agents it may start
    (the names in `Agent(...)` / `Task(...)` of its tools) or its observers (`observer:`)."""

    file_key: str = ""  # where the file keeps it: "tools" or "observer"

    @property
    def path(self) -> str:
        return self.key  # the panel's own list (field.may_start, field.observer), not the file key


STARTS: tuple[StartField, ...] = (
    StartField("may_start", "May start", "spawn", True, "agents it may start", "tools"),
    StartField("observer", "Observers", "observer", True, "observers", "observer"),
)
START_BY_KEY = {s.key: s for s in STARTS}
LIST_BY_KEY: dict[str, RelationField] = {**RELATION_BY_KEY, **START_BY_KEY}
MAX_OBSERVERS = 4  # Claude Code starts at most four


def relation_field(relation: RelationKey, agent: str) -> RelationField | None:
    """The list of `agent` in which `relation` appears (its own side of it)."""
    kind, source, target = relation
    if agent not in (source, target):
        return None
    if kind in ("spawn", "observer"):  # only the source's file says it
        return START_BY_KEY["may_start" if kind == "spawn" else "observer"] if agent == source else None
    if kind == "parallel":
        return RELATION_BY_KEY["parallel_with"]
    return RELATION_BY_KEY["hands_off_to" if agent == source else "receives_from"]


@dataclass(frozen=True)
class Note:
    text: str = ""
    level: Level = "info"


NO_NOTE = Note()


@dataclass(frozen=True)
class RelationEntry:
    name: str
    short: str  # shown after the name: "not declared back", "no such agent"…
    note: str   # the tooltip
    level: Level
    mark: Literal["", "one-sided", "unknown", "itself"] = ""  # what the entry's menu offers


# -- the fields -----------------------------------------------------------------------------------
# The documented fields shown under "Advanced".
ADVANCED_CHOICES: dict[str, tuple[str, ...]] = {
    "permissionMode": PERMISSION_MODES,
    "memory": ("user", "project", "local"),
    "effort": ("low", "medium", "high", "max"),
    "isolation": ("worktree",),
}
ADVANCED_LISTS = ("skills", "disallowedTools")
READ_ONLY_FIELDS = ("mcpServers", "hooks")
ADVANCED_FIELDS = (
    "permissionMode", "maxTurns", "skills", "disallowedTools", "memory", "background", "effort",
    "isolation", "initialPrompt", "mcpServers", "hooks",
)
# Fields whose edits arrive while typing: consecutive edits are one undo step (until the user
# leaves the field).
MERGED = ("description", "initialPrompt", "body", "maxTurns")


def summary(value: Any, limit: int = 80) -> str:
    """A short read-only description of a value the form does not edit."""
    if isinstance(value, dict):
        keys = ", ".join(str(k) for k in list(value)[:6])
        more = "…" if len(value) > 6 else ""
        text = f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}: {keys}{more}"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(summary(v, 30) for v in value) or "(empty list)"
    elif value is None:
        text = "(no value)"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def same_body(shown: str, body: str) -> bool:
    """The editor's text stands for `body`: SetBody keeps the file's final newline as it was, so
    a text that differs only by that newline is the same body (and must not reset the cursor)."""
    return shown == body or shown + "\n" == body or shown == body + "\n"


def body_of(af: AgentFile) -> str:
    doc = parse_document(af.text)
    return (doc.body if doc.frontmatter is not None else af.text).replace("\r\n", "\n")


def current(af: AgentFile | None, name: str) -> Any:
    """The value of top-level field `name` as the file has it (a value set aside as invalid
    included), or MISSING."""
    if af is None or af.agent is None:
        return MISSING
    agent = af.agent
    if name in af.invalid:
        return af.invalid[name]
    if name in FIELDS:
        value = getattr(agent, name)
        return MISSING if value is None and name not in agent.fields_set else value
    return agent.extra.get(name, MISSING)


def model_note(model: str | None) -> Note:
    if not model:
        return Note("Not set: Claude Code uses its default model for subagents.", "info")
    if is_known_model(model):
        return NO_NOTE
    return Note(f"“{model}” is not a model Claude Code knows (inherit, sonnet, opus, haiku or a "
                "claude-… id). It is kept as written.", "warning")


# -- the view state -------------------------------------------------------------------------------
@dataclass(frozen=True)
class AgentState:
    name: str
    path: str
    title: str
    file_label: str
    editable: bool
    banner: str | None  # why the settings are read-only (invalid YAML), or None
    values: Mapping[str, Any]      # field → value as shown (MISSING: not in the file)
    notes: Mapping[str, Note]      # field → the note under it
    invalid: frozenset[str]        # fields whose value in the file is not valid there
    relations: Mapping[str, tuple[RelationEntry, ...]]  # "hands_off_to" → its entries
    completions: Mapping[str, tuple[str, ...]]          # names that could be added to each list
    extra: tuple[tuple[str, str], ...]  # settings Claude Code does not define: (key, summary)
    body: str
    tools: list[str] | None = field(default=None)  # None: all tools
    overridden: str = ""  # a definition in another scope wins over this one: says whose, in words

    def note(self, name: str) -> Note:
        return self.notes.get(name, NO_NOTE)


def agent_state(team: Team, name: str, overridden_by: str | None = None) -> AgentState | None:
    """What the panel shows for agent `name`; `overridden_by`: the file of a definition in another
    scope that Claude Code uses instead (Controller.overridden)."""
    af = team.agent(name)
    if af is None:
        return None
    agent = af.agent
    values: dict[str, Any] = {}
    notes: dict[str, Note] = {}
    values["name"] = af.name or ""
    twins = [other.path for other in team.files_named(name) if other.path != af.path]
    if twins:
        notes["name"] = Note(duplicate_message(name, af.path, twins), "error")
    desc = agent.description if agent is not None else None
    values["description"] = shown_description(af)
    if not desc:
        notes["description"] = Note("Claude Code needs a description to know when to use this agent.", "error")
    model = agent.model if agent is not None else None
    values["model"] = model or ""
    notes["model"] = model_note(model)
    values["color"] = agent.color if agent is not None else None
    for f in ADVANCED_FIELDS:
        value = values[f] = current(af, f)
        if f in af.invalid:
            notes[f] = Note(f"The file has “{summary(value)}”, which is not a valid value here. "
                            "It is kept as written until you change it.", "warning")
        elif f in ADVANCED_CHOICES and value is not MISSING and value is not None and not isinstance(value, str):
            notes[f] = Note("Kept as written; type a new value to replace it.", "info")
    extra = dict(agent.extra) if agent is not None else {}
    extra.pop("coordination", None)
    if extra:
        notes["extra"] = Note("Not Claude Code settings; kept exactly as written when you save.", "info")
    relations, completions = _relation_lists(team, af)
    _start_lists(team, af, relations, completions, notes)
    banner = None
    if af.error is not None:
        message = af.error.message
        if af.error.line and "line" not in message.lower():
            message = f"Line {af.error.line}: {message}"
        banner = ("The settings of this file are not valid YAML, so they are shown read-only and "
                  f"nothing in the file is changed.\n\n{message}\n\n"
                  "Repair puts the values YAML rejects in quotes; nothing else changes.")
    return AgentState(
        name=name, path=af.path, title=af.name or af.path,
        file_label=af.path + ("   •  unsaved changes" if af.dirty else ""),
        editable=bool(af.editable), banner=banner, values=values, notes=notes,
        invalid=frozenset(af.invalid), relations=relations, completions=completions,
        extra=tuple((str(k), summary(v, 200)) for k, v in extra.items()), body=body_of(af),
        tools=agent.tool_names() if agent is not None else None,
        overridden=(f"Overridden by {overridden_by}: Claude Code uses that definition of {name}, "
                    "not this one." if overridden_by else ""),
    )


# Claude Code's /agents wizard writes a description on one plain line, its line breaks as
# backslash-n escapes (which YAML keeps as the two characters in a plain scalar). The panel shows
# them as line breaks; the file keeps the escapes until the user edits the text, which is then
# written as typed (real line breaks).
_DESCRIPTION_STYLE = re.compile(r"^description[ \t]*:[ \t]*(\S?)", re.MULTILINE)
_OTHER_BACKSLASH = re.compile(r"\\(?!n)")


def escapes_line_breaks(af: AgentFile) -> bool:
    """Whether the description is a plain one-line scalar whose "\\n" escapes stand for line breaks
    (not a quoted or block value, and no other backslash: `C:\\new\\folder` is a path)."""
    desc = af.agent.description if af.agent is not None else None
    if not isinstance(desc, str) or "\n" in desc or "\\n" not in desc or _OTHER_BACKSLASH.search(desc):
        return False
    frontmatter = af.doc.frontmatter if af.doc is not None else None
    style = _DESCRIPTION_STYLE.search(frontmatter or "")
    return style is not None and style.group(1) not in ("'", '"', "|", ">", "")


def shown_description(af: AgentFile) -> str:
    """The description as the panel shows it: wizard-style escapes as line breaks."""
    desc = af.agent.description if af.agent is not None else None
    if not isinstance(desc, str):
        return ""
    return desc.replace("\\n", "\n") if escapes_line_breaks(af) else desc


def _relation_lists(team: Team, af: AgentFile) -> tuple[dict[str, tuple[RelationEntry, ...]],
                                                       dict[str, tuple[str, ...]]]:
    me = af.name or ""
    names = team.names()
    known = set(names)
    agent = af.agent
    declared = {r.key: (agent.coordination_list(r.key) if agent is not None else []) for r in RELATIONS}
    entries: dict[str, dict[str, RelationEntry]] = {r.key: {} for r in RELATIONS}
    for rel in team.relations():
        if me not in (rel.source, rel.target) or rel.source == rel.target or rel.kind in ("spawn", "observer"):
            continue  # those two are the May start and Observers lists (_start_lists)
        here = relation_field(rel.key, me)
        assert here is not None
        other = rel.target if rel.source == me else rel.source
        back = RELATION_BY_KEY["parallel_with" if rel.kind == "parallel"
                               else "receives_from" if here.outgoing else "hands_off_to"]
        if me not in rel.declared_by:
            entry = RelationEntry(other, "only in their file",
                                  f"Declared only in {other}'s file; {me}'s file does not list {other}.",
                                  "warning", "one-sided")
        elif other not in rel.declared_by:
            entry = RelationEntry(other, "not declared back",
                                  f"{other} does not list {me} in its {back.words}. "
                                  "Use the problems panel to declare both sides.", "warning", "one-sided")
        else:
            entry = RelationEntry(other, "", "", "ok")
        entries[here.key][other] = entry
    for key, listed in declared.items():
        for other in listed:
            if other == me:
                entries[key].setdefault(other, RelationEntry(
                    other, "itself", "An agent cannot refer to itself.", "warning", "itself"))
            elif other not in known:
                entries[key].setdefault(other, RelationEntry(
                    other, "no such agent", f"There is no agent named {other} in this team.", "error", "unknown"))
    lists: dict[str, tuple[RelationEntry, ...]] = {}
    completions: dict[str, tuple[str, ...]] = {}
    for key, found in entries.items():
        order = declared[key] + sorted(n for n in found if n not in declared[key])
        lists[key] = tuple(found[n] for n in order if n in found)
        completions[key] = tuple(n for n in names if n != me and n not in found)
    return lists, completions


def _start_lists(team: Team, af: AgentFile, lists: dict[str, tuple[RelationEntry, ...]],
                 completions: dict[str, tuple[str, ...]], notes: dict[str, Note]) -> None:
    """The May start and Observers lists: names as the file writes them, the unknown and the
    agent itself marked; a note when the list cannot be edited here."""
    me = af.name or ""
    names = team.names()
    tools = current(af, "tools")
    tools = None if tools is MISSING else tools
    observers = current(af, "observer")
    declared = {
        "may_start": spawn_targets(tools) if "tools" not in af.invalid else [],
        "observer": [str(o) for o in observers] if isinstance(observers, list) and "observer" not in af.invalid
        else [],
    }
    for key, listed in declared.items():
        entries = []
        for other in listed:
            if other == me:
                entries.append(RelationEntry(other, "itself", "An agent cannot start or observe itself.",
                                             "warning", "itself"))
            elif team.agent(other) is None:
                entries.append(RelationEntry(other, "no such agent",
                                             f"There is no agent named {other} in this team.", "error", "unknown"))
            else:
                entries.append(RelationEntry(other, "", "", "ok"))
        lists[key] = tuple(entries)
        completions[key] = tuple(n for n in names if n != me and n not in listed)
    if "tools" in af.invalid:
        notes["may_start"] = Note("Its tools are not in a form this list can read; correct them first.", "warning")
    elif may_start_any(tools):
        how = "it has every tool" if tools is None else "its tools include Agent without names"
        notes["may_start"] = Note(f"May start any agent: {how}. To limit it to a few, list its tools and "
                                  "name the agents in Agent(…).", "info")
        completions["may_start"] = ()
    elif not declared["may_start"]:
        notes["may_start"] = Note("None: its tools do not include Agent. Adding one here adds Agent(…) to "
                                  "its tools.", "info")
    if "observer" in af.invalid:
        notes["observer"] = Note("Its observer setting is not a list of names; correct it first.", "warning")
    elif len(declared["observer"]) >= MAX_OBSERVERS:
        notes["observer"] = Note("Claude Code starts at most four observers.", "info")
        completions["observer"] = ()


# -- intents --------------------------------------------------------------------------------------
def change(team: Team, name: str, field_name: str, raw: Any) -> Operation | None:
    """The operation for the user's input `raw` in field `field_name` of agent `name` (what the
    editor reads: text, a number, a flag, a list of tool names…), or None when the file would not
    change."""
    af = team.agent(name)
    if af is None or af.agent is None:
        return None
    if field_name == "body":
        doc = parse_document(af.text)
        if doc.frontmatter is not None and same_body(raw, doc.body.replace("\r\n", "\n")):
            return None
        return SetBody(name, raw)
    was = current(af, field_name)
    original = None if was is MISSING else was
    if field_name == "description":
        if escapes_line_breaks(af) and raw == shown_description(af):
            return None  # shown with line breaks, unchanged: the escapes stay
        value: Any = raw
    elif field_name == "model":
        value = raw.strip() or None
    elif field_name in ADVANCED_CHOICES:
        value = raw.strip() or None
        if was is not MISSING and not isinstance(was, str) and raw.strip() == summary(was, 200):
            return None  # a kept non-text value shown as text: unchanged
    elif field_name == "initialPrompt":
        value = raw or None
    elif field_name == "maxTurns":
        value = raw or None  # 0 is "Not set"
    elif field_name == "tools":
        value = tools_value(original, raw)
    elif field_name in ADVANCED_LISTS:
        names = split_names(raw)
        if original is not None and split_names(original) == names:
            return None
        value = list_value(original, names) if names else None
    else:  # color, background: the value itself
        value = raw
    return set_value(name, field_name, was, value)


def set_value(name: str, field_name: str, was: Any, value: Any) -> Operation | None:
    """Set (value) or unset (None) a top-level field, unless that changes nothing."""
    if value is None:
        return None if was is MISSING else UnsetField(name, field_name)
    if was is not MISSING and was == value and type(was) is type(value):
        return None
    return SetField(name, field_name, value)


def name_reason(team: Team, name: str, text: str) -> str | None:
    """Why `text` cannot be the new name of agent `name`, in a sentence; None if it can."""
    if text == name:
        return None
    problem = name_problem(text)
    if problem:
        return problem[0].upper() + problem[1:] + "."
    if team.agent(text) is not None:
        return f"Another agent is already called {text}."
    return None


def rename(team: Team, name: str, text: str) -> RenameAgent | None:
    new = text.strip()
    if new == name or name_reason(team, name, new):
        return None
    return RenameAgent(name, new)


def add_relation(team: Team, me: str, key: str, other: str) -> Operation | str:
    """Link `me` and `other` through list `key` (on both sides for a coordination list), or the
    reason it cannot be done."""
    start = START_BY_KEY.get(key)
    if other == me:
        return "An agent cannot start or observe itself." if start else \
            "An agent cannot hand off to or work alongside itself."
    if team.agent(other) is None:
        return f"There is no agent named {other} in this team."
    if start is not None:
        af = team.agent(me)
        state = agent_state(team, me) if af is not None else None
        if state is not None and not state.completions[key] and state.note(key).text:
            return state.note(key).text  # it may start any agent already, or has four observers
        if state is not None and other in (e.name for e in state.relations[key]):
            return f"{other} is already in the list."
    return LIST_BY_KEY[key].op(Link, me, other)


def declare_both(team: Team, me: str, key: str, other: str) -> Operation | None:
    """Declare a one-sided relation on both sides (the side already declared stays as is)."""
    if team.agent(me) is None or team.agent(other) is None or key in START_BY_KEY:
        return None
    return RELATION_BY_KEY[key].op(Link, me, other)


def remove_relation(team: Team, me: str, key: str, other: str) -> Operation | None:
    """Take `other` out of list `key`: the relation from both files, or (a name of no agent, or of
    itself) just that entry from this file's list."""
    af = team.agent(me)
    if af is None or af.agent is None:
        return None
    if key in START_BY_KEY:  # the source's file alone, in its own style (Agent or Task, line or list)
        return START_BY_KEY[key].op(Unlink, me, other)
    if team.agent(other) is None or other == me:
        remaining = [n for n in af.agent.coordination_list(key) if n != other]
        return SetField(me, f"coordination.{key}", remaining)
    return RELATION_BY_KEY[key].op(Unlink, me, other)
