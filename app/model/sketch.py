"""A first look at an agent, read straight from its parsed frontmatter before the schema
(app/model/agent_schema.py, pydantic) has loaded: the few values the editor's first picture
needs — name, description, model, colour, tools and the coordination lists.

Opening a team paints its cards and relations from sketches; the files are checked against the
schema a moment later (`Team.check`), as an IDE's linter runs after a file is shown, and anything
that reads an agent in full (`AgentFile.agent`) checks that file first. Where a value has the
wrong type the sketch shows nothing for it, as the checked agent does; the sketch never decides
anything the checked agent would decide differently for a valid file (tests/model/test_sketch.py
compares the two on every corpus file).
"""

from __future__ import annotations

from typing import Any

from app.model.spawn import tool_entries


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _names(value: Any) -> list[str]:
    """A coordination list as the schema reads the two common spellings: a list of names, or a
    comma-separated line. Anything odder waits for the check."""
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return []


class CoordinationSketch:
    __slots__ = ("hands_off_to", "parallel_with", "receives_from")

    def __init__(self, block: dict) -> None:
        self.hands_off_to = _names(block.get("hands_off_to"))
        self.receives_from = _names(block.get("receives_from"))
        self.parallel_with = _names(block.get("parallel_with"))


class AgentSketch:
    __slots__ = ("color", "coordination", "description", "model", "name", "observer", "tools")

    def __init__(self, data: dict) -> None:
        self.name = _text(data.get("name"))
        self.description = _text(data.get("description"))
        self.model = _text(data.get("model"))
        self.color = _text(data.get("color"))
        tools = data.get("tools")
        self.tools = tools if isinstance(tools, str) or (
            isinstance(tools, list) and all(isinstance(t, str) for t in tools)) else None
        observer = data.get("observer")
        self.observer = observer if isinstance(observer, list) and len(observer) <= 4 and all(
            isinstance(o, str) for o in observer) else None
        block = data.get("coordination")
        self.coordination = CoordinationSketch(block) if isinstance(block, dict) else None

    def tool_names(self) -> list[str] | None:
        if self.tools is None:
            return None
        return tool_entries(self.tools)

    def coordination_list(self, key: str) -> list[str]:
        return list(getattr(self.coordination, key)) if self.coordination is not None else []
