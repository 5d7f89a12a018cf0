"""The Agent: documented fields, extra keys, lenient values, the three states of tools. Its type
rules (pydantic models in strict mode) are checked against an independent oracle — a plain table
of isinstance tests, one per field — on generated values and on every corpus file."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.model.agent import (
    CLAUDE_CODE_TOOLS,
    DOCUMENTED_COLORS,
    FIELDS,
    is_known_model,
    list_value,
    name_problem,
    name_style_problem,
    split_names,
    tools_value,
)
from app.model.agent_schema import Agent, Coordination


def test_documented_fields_are_modelled():
    fields = set(FIELDS)
    for key in ("name", "description", "tools", "disallowedTools", "model", "permissionMode", "maxTurns",
                "skills", "mcpServers", "hooks", "memory", "background", "effort", "isolation",
                "initialPrompt", "color", "omitClaudeMd", "autoCompactWindow", "observer", "observerMessage",
                "observeSubagents", "observeToolResults", "experimental", "coordination"):
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
    assert agent.coordination.extra == {"note": 1}
    assert Coordination.parse({"hands_off_to": "x,y"})[0].hands_off_to == ["x", "y"]


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


def test_non_string_keys_are_ignored_alongside_wrong_values():
    """The path that sets values aside drops keys that are not text at both levels and keeps the rest."""
    data = {"name": "a", 1: "x", None: "y", 2.5: "z", "maxTurns": "5", "custom": 1,
            "coordination": {2: "z", "hands_off_to": [[1]], "parallel_with": ["b"], "note": 3}}
    agent, invalid = Agent.parse(data)
    assert invalid == {"maxTurns": "5", "coordination.hands_off_to": [[1]]}
    assert agent.name == "a" and agent.extra == {"custom": 1}
    assert agent.parallel_with == ["b"] and agent.hands_off_to == []
    assert agent.coordination.extra == {"note": 3}
    assert agent.fields_set == {"name", "maxTurns", "coordination"}


def test_fields_set_counts_empty_and_invalid_keys_but_not_extra_ones():
    agent, _ = Agent.parse({"name": "a", "tools": None, "maxTurns": "5", "custom": 1})
    assert agent.fields_set == {"name", "tools", "maxTurns"}
    assert Agent.parse({"custom": 1})[0].fields_set == frozenset()
    assert Agent().fields_set == frozenset() and Agent().name is None


def test_extra_keys_named_like_attributes_stay_extra():
    """An unknown key may share its name with an attribute or a method; it is kept in `extra` and
    never hides them."""
    data = {"name": "a", "tools": "Read", "hands_off_to": ["x"], "extra": 1, "fields_set": 2,
            "tool_names": 3, "model_config": 4, "model_fields": 5, "parse": 6}
    agent, invalid = Agent.parse(data)
    assert invalid == {}
    assert agent.extra == {k: v for k, v in data.items() if k not in ("name", "tools")}
    assert agent.hands_off_to == [] and agent.tool_names() == ["Read"]
    assert agent.fields_set == {"name", "tools"}


def test_agents_compare_by_their_values():
    data = {"name": "a", "custom": 1, "coordination": {"hands_off_to": "b, c"}}
    assert Agent.parse(data)[0] == Agent.parse(dict(data))[0]
    assert Agent.parse(data)[0] != Agent.parse({**data, "custom": 2})[0]
    assert Agent.parse(data)[0] == Agent.parse({**data, "coordination": {"hands_off_to": ["b", "c"]}})[0]


@pytest.mark.parametrize("name", ["backend-specialist", "a", "agent2", "x-1-y"])
def test_valid_names(name):
    assert name_problem(name) is None
    assert name_style_problem(name) is None


# Claude Code loads these: outside the documented style, a note, not a refusal.
@pytest.mark.parametrize("name", ["Backend", "back_end", "back end", "x-", "a--b", "dotnet-4.8"])
def test_names_outside_the_style_are_usable_and_say_why(name):
    assert name_problem(name) is None
    assert "lowercase" in name_style_problem(name)


@pytest.mark.parametrize("name", ["-x", "a:b", "", None, 5])
def test_invalid_names_say_why(name):
    reason = name_problem(name)
    assert reason
    assert '":"' in reason or '"-"' in reason or "empty" in reason
    assert name_style_problem(name) is None


def test_known_models():
    for model in ("inherit", "sonnet", "opus", "haiku", "fable", "claude-sonnet-4-5", "claude-opus-4-1-20250805",
                  "claude-opus-5"):
        assert is_known_model(model)
    for model in ("Fable", "gpt-4", "", None, "Claude-Sonnet"):
        assert not is_known_model(model)


def test_newer_keys_claude_code_reads():
    """Claude Code 2.1.332's newer keys, each with its type; `effort: 3` is a valid effort now."""
    good = {"omitClaudeMd": True, "autoCompactWindow": 150_000, "observer": ["a", "b", "c", "d"],
            "observerMessage": "watch", "observeSubagents": False, "observeToolResults": True,
            "experimental": {"cacheTtl": "1h", "later": 1}, "isolation": "remote", "effort": 3,
            "permissionMode": "manual", "model": "fable"}
    agent, invalid = Agent.parse(good)
    assert invalid == {}
    assert {key: getattr(agent, key) for key in good if key != "experimental"} == \
        {key: value for key, value in good.items() if key != "experimental"}
    assert agent.experimental.cacheTtl == "1h" and agent.experimental.model_extra == {"later": 1}
    assert Agent.parse({"effort": "xhigh"})[1] == {}
    bad = {"omitClaudeMd": "yes", "autoCompactWindow": 99_999, "observer": ["a", "b", "c", "d", "e"],
           "observerMessage": 1, "observeSubagents": "no", "observeToolResults": 1,
           "experimental": {"cacheTtl": "2h"}, "isolation": "elsewhere", "effort": "3",
           "permissionMode": "sometimes"}
    agent, invalid = Agent.parse({"name": "a", **bad})
    assert invalid == bad and agent.name == "a"
    assert all(getattr(agent, key) is None for key in bad)


def test_values_are_not_coerced():
    """A value of another type is reported, never silently converted (pydantic's lax mode would
    read `maxTurns: "5"` as 5 and `background: "yes"` as True)."""
    agent, invalid = Agent.parse({"name": "a", "maxTurns": "5", "background": "yes", "model": 4,
                                  "hooks": {1: "x"}, "tools": ("Read",)})
    assert invalid == {"maxTurns": "5", "background": "yes", "model": 4, "hooks": {1: "x"}, "tools": ("Read",)}
    assert (agent.maxTurns, agent.background, agent.model, agent.hooks, agent.tools) == (None, None, None, None, None)
    ok, invalid = Agent.parse({"maxTurns": 5, "background": False, "memory": {"scope": "project"},
                               "mcpServers": ["x"], "tools": None})
    assert invalid == {}
    assert (ok.maxTurns, ok.background, ok.memory, ok.mcpServers, ok.tools) == (5, False, {"scope": "project"}, ["x"], None)
    assert "tools" in ok.fields_set and "name" not in ok.fields_set  # present but empty ≠ absent


# The oracle: each documented field's rule as a plain type test (None, an empty value in YAML,
# is always accepted). Written without pydantic, so a mistake in the models' annotations or in
# how Agent.parse reads pydantic's errors shows up here.
def _text(v: Any) -> bool:
    return isinstance(v, str)


def _names(v: Any) -> bool:
    return isinstance(v, str) or (isinstance(v, list) and all(isinstance(x, str) for x in v))


def _mapping(v: Any) -> bool:
    return isinstance(v, dict) and all(isinstance(k, str) for k in v)


def _flag(v: Any) -> bool:
    return isinstance(v, bool)


def _whole(v: Any) -> bool:
    return isinstance(v, int) and not isinstance(v, bool)


def _one_of(*words: str) -> Any:
    return lambda v: isinstance(v, str) and v in words


ORACLE: dict[str, Any] = {
    "name": _text,
    "description": _text,
    "tools": _names,
    "disallowedTools": _names,
    "model": _text,
    "permissionMode": _one_of("default", "acceptEdits", "bypassPermissions", "plan", "dontAsk", "manual"),
    "maxTurns": _whole,
    "skills": _names,
    "mcpServers": lambda v: isinstance(v, list) or _mapping(v),
    "hooks": _mapping,
    "memory": lambda v: isinstance(v, (str, bool)) or _mapping(v),
    "background": _flag,
    "effort": lambda v: _one_of("low", "medium", "high", "xhigh", "max")(v) or _whole(v),
    "isolation": _one_of("worktree", "remote"),
    "initialPrompt": _text,
    "color": _text,
    "omitClaudeMd": _flag,
    "autoCompactWindow": lambda v: _whole(v) and v >= 100_000,
    "observer": lambda v: isinstance(v, list) and len(v) <= 4 and all(isinstance(x, str) for x in v),
    "observerMessage": _text,
    "observeSubagents": _flag,
    "observeToolResults": _flag,
    "experimental": lambda v: _mapping(v) and v.get("cacheTtl") in (None, "5m", "1h"),
    "coordination": None,  # its own rules: test_name_lists_in_coordination_follow_the_oracle_or_read_commas
}


def test_the_oracle_has_the_same_fields():
    assert tuple(ORACLE) == FIELDS


def _oracle_accepts(key: str, value: Any) -> bool:
    return value is None or ORACLE[key](value)


def _check_field(key: str, value: Any) -> None:
    agent, invalid = Agent.parse({key: value})
    accepted = key not in invalid
    assert accepted == _oracle_accepts(key, value), (key, value)
    assert key in agent.fields_set  # present, whatever its value
    if accepted:
        read = getattr(agent, key)
        if key == "experimental" and read is not None:  # a block of its own: compare what it holds
            read = read.model_dump(exclude_unset=True)
        assert read == value
        assert invalid == {}
    else:
        assert getattr(agent, key) is None
        assert invalid == {key: value}


_TRICKY = [None, True, False, 0, 1, 5, -3, 5.0, 0.5, 99_999, 100_000, 10**20, "", "5", "yes", "true", "Read, Grep",
           b"x", "low", "xhigh", "Max", "worktree", "remote", "plan", "manual", "acceptedits", ["a", "b", "c", "d"],
           ["a", "b", "c", "d", "e"], {"cacheTtl": "5m"}, {"cacheTtl": "1h", "x": 1}, {"cacheTtl": "2h"},
           {"cacheTtl": None}, {"cacheTtl": 5},
           __import__("datetime").date(2026, 1, 2), [], ["a"], ["a", 1], ["a", None], [["a"]], ("a",), {"a"},
           {}, {"a": 1}, {1: "a"}, {"a": {"b": [1]}}]


@pytest.mark.parametrize("key", [k for k in FIELDS if k != "coordination"])
def test_every_field_against_the_oracle_on_tricky_values(key):
    for value in _TRICKY:
        _check_field(key, value)


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=5),
                     st.binary(max_size=3), st.dates())
_yamlish = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.one_of(st.text(max_size=3), st.integers()), inner, max_size=3)),
    max_leaves=6,
)


@settings(max_examples=400, deadline=None)
@given(key=st.sampled_from([k for k in FIELDS if k != "coordination"]), value=_yamlish)
def test_field_rules_match_the_oracle(key, value):
    _check_field(key, value)


@settings(max_examples=200, deadline=None)
@given(value=st.one_of(st.lists(st.text(max_size=4), max_size=3), _yamlish))
def test_name_lists_in_coordination_follow_the_oracle_or_read_commas(value):
    """A coordination list of text is read as is; otherwise a comma string or a list of scalars
    is read as names (split_names), and anything else is invalid."""
    agent, invalid = Agent.parse({"coordination": {"hands_off_to": value}})
    if isinstance(value, list) and all(type(v) is str for v in value):
        expected = value
    else:
        try:
            expected = split_names(value)
        except ValueError:
            assert invalid == {"coordination.hands_off_to": value}
            assert agent.hands_off_to == []
            return
    assert invalid == {}
    assert agent.hands_off_to == expected


def test_every_corpus_file_reads_as_the_oracle_reads_it(corpus):
    """Every documented field of every corpus file: accepted exactly when the oracle accepts it,
    with the same value; other keys kept in `extra`."""
    checked = 0
    for path in corpus:
        doc = parse_document(path.read_bytes().decode("utf-8", errors="replace"))
        if doc.frontmatter is None:
            continue
        fm = read_frontmatter(doc.frontmatter, doc.frontmatter_line)
        data = fm.data if fm.error is None else fm.recovered
        agent, _invalid = Agent.parse(data)
        for key, value in (data or {}).items():
            if not isinstance(key, str):
                continue
            if key not in FIELDS:
                assert agent.extra[key] == value
            elif key != "coordination":
                _check_field(key, value)
                checked += 1
    assert checked > 1000
