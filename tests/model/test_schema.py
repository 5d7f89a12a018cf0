"""The JSON Schema of the frontmatter (`agent-canvas schema`): valid JSON Schema, described in
words, and in agreement with Agent.parse — a corpus file passes it exactly when no value of a
documented key has the wrong type. jsonschema and check-jsonschema are independent validators."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest
from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for
from teamkit import SAMPLE as SAMPLE_TEAM

from app.cli import run
from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.model.agent import COORDINATION_KEYS, FIELDS
from app.model.agent_schema import Agent, frontmatter_schema

# Wrong types that a YAML file can hold, one per rule (each a (key, value) set into a frontmatter).
WRONG = [
    ("maxTurns", "5"), ("maxTurns", True), ("background", "yes"), ("tools", [1]), ("tools", 5),
    ("model", 4), ("hooks", ["x"]), ("memory", 3), ("mcpServers", "x"), ("name", ["a"]),
    ("coordination", "none"), ("coordination", {"hands_off_to": [{"x": 1}]}),
    ("coordination", {"parallel_with": [["a"]]}),
    ("effort", "3"), ("effort", "extreme"), ("isolation", "elsewhere"), ("permissionMode", "sometimes"),
    ("autoCompactWindow", 5000), ("observer", ["a", "b", "c", "d", "e"]), ("observer", "a"),
    ("experimental", {"cacheTtl": "2h"}), ("experimental", "x"), ("omitClaudeMd", "yes"),
    ("observeToolResults", 1),
]


def _frontmatter(text: str) -> dict | None:
    doc = parse_document(text)
    if doc.frontmatter is None:
        return None
    fm = read_frontmatter(doc.frontmatter, doc.frontmatter_line)
    return fm.data if fm.error is None else None


@pytest.fixture(scope="module")
def validator() -> Draft202012Validator:
    schema = frontmatter_schema()
    Draft202012Validator.check_schema(schema)  # raises on a schema that is not valid JSON Schema
    return Draft202012Validator(schema)


def test_the_schema_is_valid_json_schema_of_the_dialect_it_names():
    schema = frontmatter_schema()
    assert validator_for(schema) is Draft202012Validator
    Draft202012Validator.check_schema(schema)


def test_every_field_is_described_in_words_and_extra_keys_are_allowed():
    schema = frontmatter_schema()
    assert tuple(schema["properties"]) == FIELDS
    coordination = schema["$defs"]["Coordination"]
    assert tuple(coordination["properties"]) == COORDINATION_KEYS
    assert schema["additionalProperties"] is True and coordination["additionalProperties"] is True
    assert {"$ref": "#/$defs/Coordination"} in schema["properties"]["coordination"]["anyOf"]
    assert set(schema["$defs"]) == {"Coordination", "Experimental"}
    for block in (schema, *schema["$defs"].values()):
        assert block["description"].endswith(".")
        for key, field in block["properties"].items():
            assert field["title"] and field["title"] != key, key  # words, not the key again
            assert len(field["description"].split()) >= 5 and field["description"].endswith("."), key
            assert field.get("default", "not null") is not None, key  # no `null` offered to type


def test_corpus_frontmatters_pass_exactly_when_no_value_has_the_wrong_type(corpus, validator):
    checked = wrong = 0
    for path in corpus:
        data = _frontmatter(path.read_bytes().decode("utf-8", errors="replace"))
        if data is None or not all(isinstance(k, str) for k in data):
            continue
        _agent, invalid = Agent.parse(data)
        assert validator.is_valid(data) == (not invalid), (path, invalid)
        for key, value in WRONG:
            bad = {**data, key: value}
            assert Agent.parse(bad)[1], (key, value)
            assert not validator.is_valid(bad), (path, key, value)
            wrong += 1
        checked += 1
    assert checked > 300 and wrong > 300 * len(WRONG)


def test_what_the_reader_accepts_the_schema_accepts(validator):
    """Values Agent.parse takes as they are (comma strings, lists of scalars as names, empty keys)."""
    data = {"name": "a", "description": "d", "tools": "Read, Grep", "skills": [], "memory": False,
            "maxTurns": 5, "hooks": {}, "mcpServers": [{"x": 1}], "color": None, "custom": [1, {"a": 2}],
            "effort": 3, "isolation": "worktree", "permissionMode": "manual", "autoCompactWindow": 100_000,
            "observer": ["a", "b", "c", "d"], "experimental": {"cacheTtl": "5m", "other": True},
            "coordination": {"hands_off_to": "b, c", "receives_from": ["d", 3, None], "note": 1}}
    assert Agent.parse(data)[1] == {}
    assert validator.is_valid(data)


def test_check_jsonschema_validates_the_sample_team_with_the_printed_schema(tmp_path):
    """The schema as `agent-canvas schema -o` writes it, used by check-jsonschema (as an editor's
    YAML language server would use it) on the sample team's frontmatters and on a wrong one."""
    schema = tmp_path / "agent.schema.json"
    assert run(["schema", "-o", str(schema)], io.StringIO()) == 0
    files = []
    for path in sorted(SAMPLE_TEAM.glob("*.md")):
        doc = parse_document(path.read_text(encoding="utf-8"))
        target = tmp_path / f"{path.stem}.yaml"
        target.write_text(doc.frontmatter, encoding="utf-8")
        files.append(str(target))
    assert len(files) >= 10
    assert _check_jsonschema("--check-metaschema", str(schema)).returncode == 0
    good = _check_jsonschema("--schemafile", str(schema), *files)
    assert good.returncode == 0, good.stdout + good.stderr
    wrong = tmp_path / "wrong.yaml"
    wrong.write_text("name: a\ndescription: d\nmaxTurns: \"5\"\nbackground: yes please\n", encoding="utf-8")
    bad = _check_jsonschema("--schemafile", str(schema), str(wrong))
    assert bad.returncode == 1 and "maxTurns" in bad.stdout + bad.stderr


def _check_jsonschema(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "check_jsonschema", *args], capture_output=True, text=True,
                          check=False)


def test_schema_command_prints_the_schema():
    out = io.StringIO()
    assert run(["schema"], out) == 0
    assert json.loads(out.getvalue()) == frontmatter_schema()


def test_schema_command_writes_a_file_and_replaces_an_older_one(tmp_path):
    target = tmp_path / "agent.schema.json"
    target.write_text("{}\n", encoding="utf-8")
    out = io.StringIO()
    assert run(["schema", "-o", str(target)], out) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == frontmatter_schema()
    assert out.getvalue() == f"Wrote {target}.\n"


@pytest.mark.parametrize("exists", [True, False])
def test_schema_command_refuses_to_write_over_an_agent_file(tmp_path, capsys, exists):
    target = tmp_path / "backend-specialist.MD"
    original = b"---\nname: backend-specialist\ndescription: d\n---\nBody.\n"
    if exists:
        target.write_bytes(original)
    assert run(["schema", "-o", str(target)], io.StringIO()) == 1
    assert (target.read_bytes() == original) if exists else not target.exists()
    assert "Markdown file" in capsys.readouterr().err
