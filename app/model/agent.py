"""One agent's frontmatter: the documented Claude Code fields plus `coordination`, as pydantic
models. They are the schema: `Agent.parse` validates with them and `agent-canvas schema` prints
their JSON Schema.

Reading is lenient on purpose. Real files put odd values in odd places (`tools: 5`,
`coordination: none`); such a value must never make the file unloadable. `Agent.parse` keeps
every key: a value of the wrong type is set aside as invalid (and reported by validation)
instead of raising, and unknown keys stay in `extra`. Types are strict: a value is never
coerced (`maxTurns: "5"` is reported, not read as 5).
"""

# No `from __future__ import annotations`: the models' annotations stay objects, so pydantic
# has no strings to evaluate (and no names to look up) when it builds them.
import os
import re
from typing import Annotated, Any, Literal, get_args

# The editor uses no pydantic plugins; without this pydantic looks for them in the metadata of
# every installed distribution when it builds the models: ~0.03 s of importing this module in
# the project's venv (median of 12 fresh interpreters), more in a crowded one. A value the user
# set is kept.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

# The colours Claude Code documents for the `color` key.
DOCUMENTED_COLORS: tuple[str, ...] = ("red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan")

# Model aliases Claude Code understands; full model ids match FULL_MODEL_ID.
KNOWN_MODELS: tuple[str, ...] = ("inherit", "sonnet", "opus", "haiku", "fable")
FULL_MODEL_ID = re.compile(r"^claude-[a-z0-9][a-z0-9.\-]*(\[[a-z0-9]+\])?$")

# Built-in Claude Code tool names (MCP tools look like mcp__server__tool and are always accepted).
CLAUDE_CODE_TOOLS: tuple[str, ...] = (
    "Read", "Write", "Edit", "MultiEdit", "Bash", "BashOutput", "KillShell", "Grep", "Glob", "LS",
    "WebFetch", "WebSearch", "TodoWrite", "NotebookEdit", "NotebookRead", "Task", "ExitPlanMode",
    "SlashCommand", "Skill", "AskUserQuestion",
)

# "manual" is another name for "default" (Claude Code 2.1.332).
PermissionMode = Literal["default", "acceptEdits", "bypassPermissions", "plan", "dontAsk", "manual"]
EffortLevel = Literal["low", "medium", "high", "xhigh", "max"]
IsolationMode = Literal["worktree", "remote"]
CacheTtl = Literal["5m", "1h"]
PERMISSION_MODES: tuple[str, ...] = get_args(PermissionMode)
EFFORT_LEVELS: tuple[str, ...] = get_args(EffortLevel)
ISOLATION_MODES: tuple[str, ...] = get_args(IsolationMode)
CACHE_TTLS: tuple[str, ...] = get_args(CacheTtl)
# Literal[a_tuple] is Literal of the tuple's items: the models below take their choices from these.

# Claude Code identifies a subagent by its name. Its documented style is lowercase letters, digits
# and hyphens; its loader accepts more (`powershell-5.1-expert`, `Bad_Name`), so the style is a
# note, and only what the loader or the file system refuses is an error.
NAME_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # matched with fullmatch
NAME_RULE = (
    "a name may use only lowercase letters (a-z), digits and single hyphens between them, "
    "like backend-specialist — that is how Claude Code identifies an agent"
)
# The file of an agent is named after it (`<name>.md`), so a name must also be a file name on
# Windows. 64 characters keeps `.claude/agents/<name>.md` far inside Windows' 260-character path
# limit under an ordinary project folder, and is more than any real agent name needs.
MAX_NAME_LENGTH = 64
_WINDOWS_DEVICE = re.compile(r"(?:con|prn|aux|nul|com[1-9]|lpt[1-9])(?:\..*)?", re.IGNORECASE | re.DOTALL)
_WINDOWS_FORBIDDEN = re.compile(r'[<>"/\\|?*]')
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


COORDINATION_KEYS: tuple[str, ...] = ("hands_off_to", "receives_from", "parallel_with")


def loader_refusal(name: object) -> str | None:
    """Why Claude Code's loader skips an agent with this name, in words; None when it loads it."""
    if not isinstance(name, str) or not name.strip():
        return "the name is empty"
    if ":" in name:
        return 'a name may not contain ":"'
    if name.startswith("-"):
        return 'a name may not start with "-"'
    return None


def name_problem(name: object) -> str | None:
    """Why `name` cannot be an agent's name (Claude Code skips it, or Windows cannot name its
    file after it), in words; None when it can. See also name_style_problem."""
    refusal = loader_refusal(name)
    if refusal is not None or not isinstance(name, str):
        return refusal
    if _CONTROL.search(name):
        return "a name may not contain line breaks, tabs or other control characters"
    forbidden = _WINDOWS_FORBIDDEN.search(name)
    if forbidden:
        return f'a name may not contain "{forbidden.group()}": Windows cannot create a file with it in its name'
    if _WINDOWS_DEVICE.fullmatch(name):
        return ("CON, PRN, AUX, NUL, COM1 to COM9 and LPT1 to LPT9 are device names on Windows, "
                "which cannot create a file with such a name")
    if name.endswith((".", " ")):
        return "a name may not end with a dot or a space: Windows cannot create such a file"
    if len(name) > MAX_NAME_LENGTH:
        return f"a name may have at most {MAX_NAME_LENGTH} characters (this one has {len(name)})"
    return None


def name_style_problem(name: object) -> str | None:
    """NAME_RULE when a usable name is outside the documented style; None otherwise."""
    if not isinstance(name, str) or name_problem(name) is not None or NAME_PATTERN.fullmatch(name):
        return None
    return NAME_RULE


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


def _names_as_written(value: Any) -> Any:
    """A coordination list as names: a list of text as the file has it (the common case), else
    through split_names (a comma string, a list with numbers); its ValueError makes the list
    invalid."""
    if type(value) is list and all(type(v) is str for v in value):
        return value
    return split_names(value)


# What a coordination list accepts; json_schema_input_type tells the JSON Schema what
# _names_as_written reads (a comma string, a list of scalars), not just the list it returns.
Names = Annotated[list[str], BeforeValidator(
    _names_as_written, json_schema_input_type=str | list[str | float | bool | None] | None)]
TextOrNames = str | list[str]

# Strict: a value of another type is set aside as invalid, never coerced (pydantic's lax mode
# would read `maxTurns: "5"` as 5 and `background: "yes"` as True). Unknown keys are kept.
_CONFIG = ConfigDict(extra="allow", strict=True, protected_namespaces=())


def _field(title: str, description: str) -> Any:
    """A documented key: absent or empty (None) unless the file gives a value of its type."""
    return Field(None, title=title, description=description)


class Coordination(BaseModel):
    """Who an agent hands work to, receives work from, and works alongside.

    Each list also accepts a comma-separated string (`hands_off_to: a, b`); other keys in the
    block are kept in `extra`."""

    model_config = ConfigDict(
        **_CONFIG, title="Coordination",
        json_schema_extra={"description": "How this agent works with the others of its team. Agent Canvas "
                                          "reads and draws it; Claude Code ignores it."})

    hands_off_to: Names = Field(default_factory=list, title="Hands off to",
                                description="The agents this one hands its finished work to.")
    receives_from: Names = Field(default_factory=list, title="Receives from",
                                 description="The agents this one receives work from.")
    parallel_with: Names = Field(default_factory=list, title="Works in parallel with",
                                 description="The agents this one works alongside at the same time.")

    @classmethod
    def parse(cls, block: dict) -> tuple["Coordination", dict[str, Any]]:
        """(Coordination, invalid) from a mapping; `invalid` maps "coordination.<key>" to each
        list that holds something other than names."""
        return _validate(cls, block, "coordination.")

    @property
    def extra(self) -> dict[str, Any]:
        """Keys of the block other than the three lists (kept and written back untouched)."""
        return dict(self.model_extra or {})

    def __repr__(self) -> str:
        return (f"Coordination(hands_off_to={self.hands_off_to!r}, receives_from={self.receives_from!r}, "
                f"parallel_with={self.parallel_with!r})")


class Experimental(BaseModel):
    """The `experimental:` block; keys other than cacheTtl are kept in `model_extra`."""

    model_config = ConfigDict(
        **_CONFIG, title="Experimental",
        json_schema_extra={"description": "Settings Claude Code is still trying out."})

    cacheTtl: CacheTtl | None = _field(
        "Prompt cache lifetime", "How long the agent's prompt stays cached: 5m (minutes) or 1h (an hour).")


class Agent(BaseModel):
    """The frontmatter of one agent file: each documented field as an attribute (None when the
    key is absent, empty or invalid), unknown keys kept in `extra`."""

    model_config = ConfigDict(
        **_CONFIG, title="Claude Code agent",
        json_schema_extra={"description": "The frontmatter of a Claude Code subagent file (the block between "
                                          "the --- lines), with Agent Canvas's coordination block. Keys not "
                                          "listed here are allowed and kept."})

    name: str | None = _field(
        "Name", "How Claude Code identifies the agent: lowercase letters, digits and single hyphens, "
        "like backend-specialist.")
    description: str | None = _field(
        "Description", "What the agent does and when to use it; Claude Code reads it to decide when to "
        "hand a task to the agent.")
    tools: TextOrNames | None = _field(
        "Tools", "The tools the agent may use, as a list or a comma-separated line. Leave it out and the "
        "agent has every tool; an empty list gives it none.")
    disallowedTools: TextOrNames | None = _field(
        "Disallowed tools", "Tools taken away from the agent, as a list or a comma-separated line.")
    # Any text: a model Claude Code does not know is kept and reported (unknown-model), not set aside.
    model: str | None = _field(
        "Model", "The model the agent runs on: sonnet, opus, haiku, fable, inherit (the same as the main "
        "conversation) or a full model id such as claude-opus-5.")
    permissionMode: PermissionMode | None = _field(
        "Permission mode", "How the agent asks before acting: default (or manual, the same), acceptEdits, "
        "bypassPermissions, plan or dontAsk.")
    maxTurns: int | None = _field("Most turns", "The most turns the agent may take before it stops.")
    skills: TextOrNames | None = _field(
        "Skills", "Skills loaded into the agent when it starts, as a list or a comma-separated line.")
    mcpServers: dict[str, Any] | list[Any] | None = _field(
        "MCP servers", "The MCP servers the agent may use: names of configured servers, or their settings.")
    hooks: dict[str, Any] | None = _field("Hooks", "Commands run at moments of the agent's work, by event.")
    memory: str | bool | dict[str, Any] | None = _field(
        "Memory", "Memory the agent keeps between runs: a scope such as user or project, true or false, "
        "or its settings.")
    background: bool | None = _field("In the background", "true to always run the agent in the background.")
    effort: EffortLevel | int | None = _field(
        "Effort", "How hard the model thinks: low, medium, high, xhigh or max, or a number.")
    isolation: IsolationMode | None = _field(
        "Isolation", "Where the agent works: worktree gives it its own git worktree, remote a remote machine.")
    initialPrompt: str | None = _field(
        "Initial prompt", "Sent as the first message when the agent runs as the main conversation.")
    color: str | None = _field(
        "Colour", "The agent's colour in Claude Code: red, blue, green, yellow, purple, orange, pink or cyan.")
    omitClaudeMd: bool | None = _field(
        "Without CLAUDE.md", "true to start the agent without the project's CLAUDE.md instructions.")
    autoCompactWindow: Annotated[int, Field(ge=100_000)] | None = _field(
        "Compact at", "The conversation's size in tokens at which it is compacted; at least 100000.")
    observer: Annotated[list[str], Field(max_length=4)] | None = _field(
        "Observers", "Up to 4 agents, by name, that watch this agent's work as it goes.")
    observerMessage: str | None = _field(
        "Message to observers", "What the observing agents are told about the work they watch.")
    observeSubagents: bool | None = _field(
        "Observe subagents", "true to let the observers also watch the subagents this agent starts.")
    observeToolResults: bool | None = _field(
        "Observe tool results", "true to show the observers the results of this agent's tool calls.")
    experimental: Experimental | None = _field(
        "Experimental", "Settings Claude Code is still trying out, such as cacheTtl.")
    coordination: Coordination | None = _field(
        "Coordination", "Agent Canvas's record of how this agent works with the others: the agents it "
        "hands work to, receives work from and works alongside.")

    @classmethod
    def from_data(cls, data: dict | None) -> "Agent":
        """Build an Agent from parsed frontmatter without ever raising on a value's type."""
        return cls.parse(data)[0]

    @classmethod
    def parse(cls, data: dict | None) -> tuple["Agent", dict[str, Any]]:
        """(Agent, invalid) from parsed frontmatter; never raises on a value's type.

        `invalid` maps each key whose value had the wrong type ("maxTurns",
        "coordination.hands_off_to"…) to the value as written; validation reports them and the
        Agent leaves them out. Keys that are not text (`1: x`) are ignored; the caller's mapping
        is never changed.
        """
        return _validate(cls, data or {})

    @property
    def extra(self) -> dict[str, Any]:
        """Keys that are not documented fields (kept and written back untouched)."""
        return dict(self.model_extra or {})

    @property
    def fields_set(self) -> frozenset[str]:
        """The documented keys the file has, including those with an empty or invalid value
        (`_validate` sets an invalid value aside as None, so pydantic counts its key as set)."""
        return frozenset(self.model_fields_set & _FIELD_SET)

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


FIELDS: tuple[str, ...] = tuple(Agent.model_fields)

# pydantic writes draft 2020-12; saying so lets validators and editors pick the right rules.
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def frontmatter_schema() -> dict[str, Any]:
    """The JSON Schema of an agent file's frontmatter, made from the models above: for editors'
    YAML language servers (`# yaml-language-server: $schema=...`) and `agent-canvas schema`."""
    schema = Agent.model_json_schema()
    for model in (schema, *schema.get("$defs", {}).values()):
        for field in model.get("properties", {}).values():
            if "default" in field and field["default"] is None:
                del field["default"]  # None only means "not given"; an editor would offer to type null
    return {"$schema": JSON_SCHEMA_DIALECT, **schema}


_FIELD_SET = frozenset(FIELDS)
_NESTED = "coordination"  # the field that is a block of its own: its lists are set aside one by one


def _text_keys(data: dict) -> dict:
    return {key: value for key, value in data.items() if type(key) is str}


def _validate(model: type[BaseModel], data: dict, prefix: str = "") -> tuple[Any, dict[str, Any]]:
    """(model instance, invalid) from `data`: one validation when every value has its type (the
    common case). Otherwise keys that are not text are dropped, and each value pydantic's errors
    point at is set aside in `invalid` (under "<prefix><key>", or "coordination.<list>" inside the
    block) and replaced by None — the key stays present, as `fields_set` reports it — before the
    result is validated again."""
    try:
        return model.model_validate(data), {}
    except ValidationError as error:
        failed = error
    cleaned = _text_keys(data)
    if _NESTED in model.model_fields and type(cleaned.get(_NESTED)) is dict:
        cleaned[_NESTED] = _text_keys(cleaned[_NESTED])
    invalid: dict[str, Any] = {}
    first = True
    while True:
        found = 0
        for problem in failed.errors(include_url=False, include_context=False, include_input=False):
            key, *inside = problem["loc"]
            nested = key == _NESTED and bool(inside)
            if problem["type"] == "invalid_key" and (nested or not inside):
                continue  # a key that is not text (its loc is its repr): dropped above
            where = f"{prefix}{key}.{inside[0]}" if nested else f"{prefix}{key}"
            if where in invalid:  # a union reports each of its types: the same key comes twice
                continue
            found += 1
            if nested:
                invalid[where] = data[key][inside[0]]
                cleaned[key] = {**cleaned[key], inside[0]: None}
            else:
                invalid[where] = data[key]
                cleaned[key] = None
        if not found and not first:  # nothing new to set aside: a rule this function does not know
            raise failed
        first = False
        try:
            return model.model_validate(cleaned), invalid
        except ValidationError as error:
            failed = error
