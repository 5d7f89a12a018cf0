"""The rules of an agent's frontmatter that need no schema library: names, models, colours,
tools, and how lists of names are read and written in a file's own style.

The schema itself (pydantic models) is app/model/agent_schema.py. It is kept apart because
importing pydantic and building the models costs ~0.2 s, and the editor paints a team's cards
from its files (app/model/sketch.py) before it needs them.
"""

import re
from typing import Any, Literal, get_args

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


def names_as_written(value: Any) -> Any:
    """A coordination list as names: a list of text as the file has it (the common case), else
    through split_names (a comma string, a list with numbers); its ValueError makes the list
    invalid."""
    if type(value) is list and all(type(v) is str for v in value):
        return value
    return split_names(value)


# The documented keys, in the order the schema declares them (agent_schema.py: a test checks
# the two agree).
FIELDS: tuple[str, ...] = (
    "name", "description", "tools", "disallowedTools", "model", "permissionMode", "maxTurns", "skills",
    "mcpServers", "hooks", "memory", "background", "effort", "isolation", "initialPrompt", "color",
    "omitClaudeMd", "autoCompactWindow", "observer", "observerMessage", "observeSubagents",
    "observeToolResults", "experimental", "coordination",
)
