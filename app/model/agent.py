"""One agent's frontmatter: the documented Claude Code fields plus `coordination`.

Reading is lenient on purpose. Real files put odd values in odd places (`tools: 5`,
`coordination: none`); such a value must never make the file unloadable. `Agent.parse` keeps
every key: a value of the wrong type is set aside as invalid (and reported by validation)
instead of raising, and unknown keys stay in `extra`.
"""

from __future__ import annotations

import re
from typing import Any

# The colours Claude Code documents for the `color` key.
DOCUMENTED_COLORS: tuple[str, ...] = ("red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan")

# Model aliases Claude Code understands; full model ids match FULL_MODEL_ID.
KNOWN_MODELS: tuple[str, ...] = ("inherit", "sonnet", "opus", "haiku")
FULL_MODEL_ID = re.compile(r"^claude-[a-z0-9][a-z0-9.\-]*(\[[a-z0-9]+\])?$")

# Built-in Claude Code tool names (MCP tools look like mcp__server__tool and are always accepted).
CLAUDE_CODE_TOOLS: tuple[str, ...] = (
    "Read", "Write", "Edit", "MultiEdit", "Bash", "BashOutput", "KillShell", "Grep", "Glob", "LS",
    "WebFetch", "WebSearch", "TodoWrite", "NotebookEdit", "NotebookRead", "Task", "ExitPlanMode",
    "SlashCommand", "Skill", "AskUserQuestion",
)

PERMISSION_MODES: tuple[str, ...] = ("default", "acceptEdits", "bypassPermissions", "plan", "dontAsk")

# Claude Code identifies a subagent by its name: lowercase letters, digits and hyphens.
NAME_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
NAME_RULE = (
    "a name may use only lowercase letters (a-z), digits and single hyphens between them, "
    "like backend-specialist — that is how Claude Code identifies an agent"
)

COORDINATION_KEYS: tuple[str, ...] = ("hands_off_to", "receives_from", "parallel_with")

_NOT_A_FIELD = object()
_NOT_TEXT = object()


def name_problem(name: object) -> str | None:
    """Why `name` is not a valid agent name, in words; None when it is valid."""
    if not isinstance(name, str) or not name.strip():
        return "the name is empty"
    if not NAME_PATTERN.match(name):
        return NAME_RULE
    return None


def is_known_model(model: object) -> bool:
    return isinstance(model, str) and (model in KNOWN_MODELS or bool(FULL_MODEL_ID.match(model)))


def split_names(value: Any) -> list[str]:
    """A comma-separated string or a list → a list of names (blank items dropped)."""
    if value is None:
        return []
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            if item is None:
                continue
            if isinstance(item, (dict, list, tuple)):
                raise ValueError("a list of names may only hold names")  # noqa: TRY004 (callers catch ValueError)
            text = str(item).strip()
            if text:
                out.append(text)
        return out
    raise ValueError("expected a list of names or a comma-separated string")


def list_value(original: Any, names: list[str] | None) -> Any:
    """`names` written in the style of `original`: a comma string stays a string, else a list.

    None means "remove the key". An empty list is always `[]` (an empty string reads as no value).
    """
    if names is None:
        return None
    names = list(names)
    if isinstance(original, str) and names:
        return ", ".join(names)
    return names


def tools_value(original: Any, names: list[str] | None) -> Any:
    """The value to store for `tools` given the current value: keeps "Read, Grep" a string and a
    list a list; None → unset (the agent inherits all tools)."""
    return list_value(original, names)


def _is_text(value: Any) -> bool:
    return isinstance(value, str)


def _is_whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_flag(value: Any) -> bool:
    return isinstance(value, bool)


def _is_text_or_names(value: Any) -> bool:
    return isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))


def _is_mapping(value: Any) -> bool:
    return isinstance(value, dict) and all(isinstance(k, str) for k in value)


def _is_mapping_or_list(value: Any) -> bool:
    return isinstance(value, list) or _is_mapping(value)


def _is_memory(value: Any) -> bool:
    return isinstance(value, (str, bool)) or _is_mapping(value)


# The documented fields and the values each accepts (None, an empty value in YAML, always is).
# A value of another type is set aside as invalid, never coerced: `maxTurns: "5"` is reported,
# not silently read as 5. tests/model/test_agent.py checks these rules against a pydantic model
# in strict mode, field by field, on generated values and on every corpus file.
FIELD_CHECKS: dict[str, Any] = {
    "name": _is_text,
    "description": _is_text,
    "tools": _is_text_or_names,
    "disallowedTools": _is_text_or_names,
    "model": _is_text,
    "permissionMode": _is_text,
    "maxTurns": _is_whole_number,
    "skills": _is_text_or_names,
    "mcpServers": _is_mapping_or_list,
    "hooks": _is_mapping,
    "memory": _is_memory,
    "background": _is_flag,
    "effort": _is_text,
    "isolation": _is_text,
    "initialPrompt": _is_text,
    "color": _is_text,
    "coordination": None,  # its own rules: see Coordination.parse
}
FIELDS: tuple[str, ...] = tuple(FIELD_CHECKS)


class Coordination:
    """Who an agent hands work to, receives work from, and works alongside.

    Each list also accepts a comma-separated string (`hands_off_to: a, b`); other keys in the
    block are kept in `extra`."""

    __slots__ = ("_extra", "hands_off_to", "parallel_with", "receives_from")

    def __init__(self, hands_off_to: list[str] | None = None, receives_from: list[str] | None = None,
                 parallel_with: list[str] | None = None, extra: dict[str, Any] | None = None) -> None:
        self.hands_off_to = hands_off_to or []
        self.receives_from = receives_from or []
        self.parallel_with = parallel_with or []
        self._extra = extra or {}

    @classmethod
    def parse(cls, block: dict) -> tuple[Coordination, dict[str, Any]]:
        """(Coordination, invalid) from a mapping; `invalid` maps "coordination.<key>" to each
        list that holds something other than names."""
        lists: dict[str, list[str]] = {}
        extra: dict[str, Any] = {}
        invalid: dict[str, Any] = {}
        for key, value in block.items():
            if key in COORDINATION_KEYS:
                if type(value) is list and all(type(v) is str for v in value):
                    lists[key] = value  # the common case, as the file has it
                    continue
                try:
                    lists[key] = split_names(value)
                except ValueError:
                    invalid[f"coordination.{key}"] = value
            elif isinstance(key, str):
                extra[key] = value
        return cls(**lists, extra=extra), invalid

    @property
    def extra(self) -> dict[str, Any]:
        """Keys of the block other than the three lists (kept and written back untouched)."""
        return dict(self._extra)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Coordination) and all(
            getattr(self, key) == getattr(other, key) for key in self.__slots__
        )

    def __repr__(self) -> str:
        return (f"Coordination(hands_off_to={self.hands_off_to!r}, receives_from={self.receives_from!r}, "
                f"parallel_with={self.parallel_with!r})")


class Agent:
    """The frontmatter of one agent file: each documented field as an attribute (None when the
    key is absent, empty or invalid), unknown keys kept in `extra`.

    A plain class, not a pydantic model: the checks are type tests, and importing pydantic and
    building its models cost about 0.12 s of the editor's 0.6 s start-up budget."""

    __slots__ = (*FIELDS, "_extra", "_present")

    name: str | None
    description: str | None
    tools: str | list[str] | None
    disallowedTools: str | list[str] | None
    model: str | None
    permissionMode: str | None
    maxTurns: int | None
    skills: str | list[str] | None
    mcpServers: dict[str, Any] | list[Any] | None
    hooks: dict[str, Any] | None
    memory: str | bool | dict[str, Any] | None
    background: bool | None
    effort: str | None
    isolation: str | None
    initialPrompt: str | None
    color: str | None
    coordination: Coordination | None

    def __init__(self) -> None:
        """An empty Agent: every field None. Files make theirs through `parse`."""
        for key in FIELDS:
            setattr(self, key, None)
        self._extra: dict[str, Any] = {}
        self._present: frozenset[str] = frozenset()

    @classmethod
    def from_data(cls, data: dict | None) -> Agent:
        """Build an Agent from parsed frontmatter without ever raising on a value's type."""
        return cls.parse(data)[0]

    @classmethod
    def parse(cls, data: dict | None) -> tuple[Agent, dict[str, Any]]:
        """(Agent, invalid) from parsed frontmatter; never raises on a value's type.

        `invalid` maps each key whose value had the wrong type ("maxTurns",
        "coordination.hands_off_to"…) to the value as written; validation reports them and the
        Agent leaves them out. Keys that are not text (`1: x`) are ignored; the caller's mapping
        is never changed.
        """
        agent = cls()
        extra: dict[str, Any] = {}
        invalid: dict[str, Any] = {}
        present: list[str] = []
        for key, value in (data or {}).items():
            check = FIELD_CHECKS.get(key, _NOT_A_FIELD) if type(key) is str else _NOT_TEXT
            if check is _NOT_A_FIELD:
                extra[key] = value
                continue
            if check is _NOT_TEXT:
                continue
            present.append(key)
            if value is None:
                continue
            if key == "coordination":
                if isinstance(value, dict):
                    value, bad = Coordination.parse(value)
                    invalid.update(bad)
                else:
                    invalid[key] = value
                    continue
            elif not check(value):
                invalid[key] = value
                continue
            setattr(agent, key, value)
        agent._extra = extra
        agent._present = frozenset(present)
        return agent, invalid

    @property
    def extra(self) -> dict[str, Any]:
        """Keys that are not documented fields (kept and written back untouched)."""
        return dict(self._extra)

    @property
    def fields_set(self) -> frozenset[str]:
        """The documented keys the file has, including those with an empty or invalid value."""
        return self._present

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Agent) and all(
            getattr(self, key) == getattr(other, key) for key in self.__slots__
        )

    def __repr__(self) -> str:
        shown = ", ".join(f"{key}={getattr(self, key)!r}" for key in FIELDS if getattr(self, key) is not None)
        return f"Agent({shown})"

    def tool_names(self) -> list[str] | None:
        """The agent's tools as names; None when the key is absent (the agent has all tools)."""
        if self.tools is None:
            return None
        return split_names(self.tools)

    def coordination_list(self, key: str) -> list[str]:
        if self.coordination is None:
            return []
        return list(getattr(self.coordination, key, []) or [])

    @property
    def hands_off_to(self) -> list[str]:
        return self.coordination_list("hands_off_to")

    @property
    def receives_from(self) -> list[str]:
        return self.coordination_list("receives_from")

    @property
    def parallel_with(self) -> list[str]:
        return self.coordination_list("parallel_with")
