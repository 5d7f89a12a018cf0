"""One agent's frontmatter as a pydantic model: the documented Claude Code fields plus `coordination`.

Reading is lenient on purpose. Real files put odd values in odd places (`tools: 5`,
`coordination: none`); such a value must never make the file unloadable. `Agent.from_data` keeps
every key: a value of the wrong type is set aside in `invalid_fields` (and reported by validation)
instead of raising, and unknown keys stay as pydantic "extra" fields.
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

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
                raise ValueError("a list of names may only hold names")  # noqa: TRY004 (pydantic wants ValueError)
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


class Coordination(BaseModel):
    """Who an agent hands work to, receives work from, and works alongside."""

    model_config = ConfigDict(extra="allow")

    hands_off_to: list[str] = []
    receives_from: list[str] = []
    parallel_with: list[str] = []

    @model_validator(mode="before")
    @classmethod
    def _names(cls, data: Any) -> Any:
        # One call per block (cheap at load): only comma strings and odd items need work.
        if isinstance(data, dict):
            for key in COORDINATION_KEYS:
                value = data.get(key)
                if value is not None and not (
                    type(value) is list and all(type(v) is str for v in value)
                ):
                    data = {**data, key: split_names(value)}
                elif value is None and key in data:
                    data = {**data, key: []}
        return data


class Agent(BaseModel):
    """The frontmatter of one agent file. Unknown keys are kept (`model_extra`)."""

    model_config = ConfigDict(extra="allow", protected_namespaces=())

    name: str | None = None
    description: str | None = None
    tools: str | list[str] | None = None
    disallowedTools: str | list[str] | None = None
    model: str | None = None
    permissionMode: str | None = None
    maxTurns: int | None = None
    skills: str | list[str] | None = None
    mcpServers: dict[str, Any] | list[Any] | None = None
    hooks: dict[str, Any] | None = None
    memory: str | bool | dict[str, Any] | None = None
    background: bool | None = None
    effort: str | None = None
    isolation: str | None = None
    initialPrompt: str | None = None
    color: str | None = None
    coordination: Coordination | None = None

    @classmethod
    def from_data(cls, data: dict | None) -> Agent:
        """Build an Agent from parsed frontmatter without ever raising on a value's type."""
        return cls.parse(data)[0]

    @classmethod
    def parse(cls, data: dict | None) -> tuple[Agent, dict[str, Any]]:
        """(Agent, invalid) from parsed frontmatter; never raises on a value's type.

        `invalid` maps each key whose value had the wrong type ("maxTurns",
        "coordination.hands_off_to"…) to the value as written; validation reports them and the
        Agent leaves them out. (Kept outside the model: a private attribute doubles the cost of
        building an Agent, which matters when a team of 10,000 opens.)
        """
        data = data or {}
        if not all(type(k) is str for k in data):
            data = {k: v for k, v in data.items() if isinstance(k, str)}
        try:
            return cls.model_validate(data), {}
        except ValidationError as exc:
            bad = {err["loc"][0] for err in exc.errors() if err.get("loc")}
        data = dict(data)  # never change the caller's mapping
        invalid = {k: data.pop(k) for k in list(data) if k in bad}
        coordination = invalid.get("coordination")
        if isinstance(coordination, dict):
            # Keep the good lists of a coordination block with one bad list.
            kept = {}
            for key, value in coordination.items():
                try:
                    kept[key] = split_names(value) if key in COORDINATION_KEYS else value
                except ValueError:
                    invalid[f"coordination.{key}"] = value
            del invalid["coordination"]
            data["coordination"] = kept
        try:
            agent = cls.model_validate(data)
        except ValidationError:  # every failing key was removed above; belt and braces
            agent = cls.model_validate({k: v for k, v in data.items() if k in ("name", "description")
                                        and isinstance(v, str)})
        return agent, invalid

    @property
    def extra(self) -> dict[str, Any]:
        """Keys that are not documented fields (kept and written back untouched)."""
        return dict(self.model_extra or {})

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
