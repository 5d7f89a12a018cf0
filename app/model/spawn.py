"""The agents an agent may start, as Claude Code reads them from its `tools`.

`tools: Read, Grep, Agent(worker, researcher)` lets the agent start only worker and researcher
when it runs as the main session (`Task(...)` is the older spelling); a plain `Agent` lets it
start any agent. Commas inside the parentheses belong to the entry, so a tools line is split at
the commas outside them.
"""

from __future__ import annotations

import re
from typing import Any

SPAWN_TOOLS = ("Agent", "Task")
_ENTRY = re.compile(r"\s*(Agent|Task)\s*\((.*)\)\s*", re.DOTALL)


def tool_entries(value: Any) -> list[str]:
    """The entries of a tools value: a list as it is (text items), a line split at the commas
    that are not inside parentheses; blank entries dropped."""
    if value is None:
        return []
    if isinstance(value, list):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    if not isinstance(value, str):
        return []
    if "(" not in value:  # the common line: no entry with parentheses, a plain split will do
        return [e.strip() for e in value.split(",") if e.strip()]
    out, depth, start = [], 0, 0
    for i, ch in enumerate(value):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            out.append(value[start:i])
            start = i + 1
    out.append(value[start:])
    return [e.strip() for e in out if e.strip()]


def spawn_targets(tools: Any) -> list[str]:
    """The agents named in the Agent(...)/Task(...) entries of `tools`, in order, once each."""
    names: list[str] = []
    for entry in tool_entries(tools):
        m = _ENTRY.fullmatch(entry)
        if m:
            for name in m.group(2).split(","):
                name = name.strip()
                if name and name not in names:
                    names.append(name)
    return names


def may_start_any(tools: Any) -> bool:
    """No tools key (every tool), or a plain Agent/Task entry: the agent may start any agent."""
    return tools is None or any(entry in SPAWN_TOOLS for entry in tool_entries(tools))


def with_target(tools: Any, name: str, add: bool) -> Any:
    """`tools` with `name` added to (or removed from) its Agent(...) entry, in the value's own
    style: a line stays a line, a list stays a list. Adding goes into the first such entry, or
    appends `Agent(name)` when there is none; removing takes the name out of every entry and drops
    an entry left empty."""
    entries = tool_entries(tools)
    out: list[str] = []
    done = False
    for entry in entries:
        m = _ENTRY.fullmatch(entry)
        if m and not (add and done):
            names = [n.strip() for n in m.group(2).split(",") if n.strip()]
            if add and name not in names:
                names.append(name)
            if not add:
                names = [n for n in names if n != name]
            done = True
            if names:
                out.append(f"{m.group(1)}({', '.join(names)})")
            continue
        out.append(entry)
    if add and not done:
        out.append(f"Agent({name})")
    if isinstance(tools, str):
        return ", ".join(out)
    return out
