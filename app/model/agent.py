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
