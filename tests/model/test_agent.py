"""The pydantic Agent: documented fields, extra keys, lenient values, the three states of tools."""

from __future__ import annotations

import pytest

from app.model.agent import (
    CLAUDE_CODE_TOOLS,
    DOCUMENTED_COLORS,
    Agent,
    Coordination,
    is_known_model,
    list_value,
    name_problem,
    tools_value,
)


def test_documented_fields_are_modelled():
    fields = set(Agent.model_fields)
    for key in ("name", "description", "tools", "disallowedTools", "model", "permissionMode", "maxTurns",
                "skills", "mcpServers", "hooks", "memory", "background", "effort", "isolation",
                "initialPrompt", "color", "coordination"):
        assert key in fields
    assert set(DOCUMENTED_COLORS) == {"red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan"}
    assert {"Read", "Write", "Edit", "MultiEdit", "Bash", "Grep", "Glob", "LS", "WebFetch", "WebSearch",
            "TodoWrite", "NotebookEdit", "Task"} <= set(CLAUDE_CODE_TOOLS)


def test_tools_three_states():
    absent = Agent.from_data({"name": "a"})
    empty = Agent.from_data({"name": "a", "tools": []})
    listed = Agent.from_data({"name": "a", "tools": ["Read", "Grep"]})
    comma = Agent.from_data({"name": "a", "tools": "Read, Grep"})
    assert absent.tool_names() is None
    assert empty.tool_names() == []
    assert listed.tool_names() == ["Read", "Grep"]
    assert comma.tool_names() == ["Read", "Grep"]
    assert comma.tools == "Read, Grep"  # kept as written


def test_tools_value_keeps_the_style():
    assert tools_value("Read, Grep", ["Read", "Grep", "Bash"]) == "Read, Grep, Bash"
    assert tools_value(["Read"], ["Read", "Bash"]) == ["Read", "Bash"]
    assert tools_value(None, ["Read"]) == ["Read"]
    assert tools_value("Read", []) == []
    assert tools_value("Read", None) is None
    assert list_value("a, b", ["a"]) == "a"


def test_coordination_accepts_comma_strings_and_keeps_extra_keys():
    agent = Agent.from_data({
        "name": "a",
        "coordination": {"hands_off_to": "b, c", "receives_from": None, "parallel_with": ["d"], "note": 1},
    })
    assert agent.hands_off_to == ["b", "c"]
    assert agent.receives_from == []
    assert agent.parallel_with == ["d"]
    assert agent.coordination.model_extra == {"note": 1}
    assert Coordination.model_validate({"hands_off_to": "x,y"}).hands_off_to == ["x", "y"]


def test_extra_keys_are_kept():
    agent = Agent.from_data({"name": "a", "script_integration": {"run": ["x"]}, "custom": 3})
    assert agent.extra == {"script_integration": {"run": ["x"]}, "custom": 3}


def test_wrong_types_never_raise_and_are_set_aside():
    data = {"name": "a", "description": "d", "maxTurns": "lots", "tools": ["Read", 3], "background": [1],
            "coordination": {"hands_off_to": [{"x": 1}], "receives_from": ["b"]}}
    before = repr(data)
    agent, invalid = Agent.parse(data)
    assert repr(data) == before  # the caller's mapping is untouched
    assert agent.name == "a" and agent.description == "d"
    assert agent.maxTurns is None and agent.tools is None
    assert agent.receives_from == ["b"]  # the good list of the block survives
    assert set(invalid) == {"maxTurns", "tools", "background", "coordination.hands_off_to"}


def test_coordination_that_is_not_a_mapping():
    agent, invalid = Agent.parse({"name": "a", "coordination": "none"})
    assert agent.coordination is None
    assert invalid == {"coordination": "none"}


def test_non_string_keys_are_ignored():
    agent, invalid = Agent.parse({"name": "a", 1: "x"})
    assert agent.name == "a" and invalid == {}


@pytest.mark.parametrize("name", ["backend-specialist", "a", "agent2", "x-1-y"])
def test_valid_names(name):
    assert name_problem(name) is None


@pytest.mark.parametrize("name", ["Backend", "back_end", "back end", "-x", "x-", "a--b", "dotnet-4.8", "", None, 5])
def test_invalid_names_say_why(name):
    reason = name_problem(name)
    assert reason
    assert "lowercase" in reason or "empty" in reason


def test_known_models():
    for model in ("inherit", "sonnet", "opus", "haiku", "claude-sonnet-4-5", "claude-opus-4-1-20250805"):
        assert is_known_model(model)
    for model in ("fable", "gpt-4", "", None, "Claude-Sonnet"):
        assert not is_known_model(model)
