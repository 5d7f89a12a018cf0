"""Every documented key with a value of the wrong type gets a plain-English problem on its line;
none is set aside in silence."""

from __future__ import annotations

import pytest
from teamkit import agent_md

from app.model.agent import FIELDS

# One wrong value per key, as YAML text.
WRONG_YAML = {
    "tools": "tools: [[Read]]", "disallowedTools": "disallowedTools: 5", "model": "model: 4",
    "permissionMode": "permissionMode: sometimes", "maxTurns": "maxTurns: lots", "skills": "skills: {a: 1}",
    "mcpServers": "mcpServers: 3", "hooks": "hooks: run lint", "memory": "memory: 3", "background": "background: maybe",
    "effort": "effort: \"3\"", "isolation": "isolation: elsewhere", "initialPrompt": "initialPrompt: [x]",
    "color": "color: 7", "omitClaudeMd": "omitClaudeMd: later", "autoCompactWindow": "autoCompactWindow: 5000",
    "observer": "observer: [a, b, c, d, e]", "observerMessage": "observerMessage: [x]",
    "observeSubagents": "observeSubagents: 1", "observeToolResults": "observeToolResults: often",
    "experimental": "experimental: {cacheTtl: 2h}", "coordination": "coordination: none",
}


def test_every_documented_key_has_a_wrong_value_here():
    assert set(WRONG_YAML) == set(FIELDS) - {"name", "description"}


@pytest.mark.parametrize("key", sorted(WRONG_YAML))
def test_a_wrong_value_is_reported_in_words(make_team, key):
    team = make_team({"a.md": agent_md("a", extra=WRONG_YAML[key])})
    problems = [p for p in team.problems if p.code == "invalid-value"]
    assert [p.field for p in problems] == [key]
    assert problems[0].line == 4  # name, description, then the key
    assert problems[0].message.startswith(f"{key} of a should be ")
    assert problems[0].message.endswith("; it is ignored until it is corrected.")
