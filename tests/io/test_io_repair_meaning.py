"""repair() quotes text YAML rejects, and refuses what quoting would change the meaning of;
apply_edits keeps anchors (`&name`) that no alias uses.

The oracle is libyaml (yaml.safe_load / yaml.parse), independent of the writer's ruamel side.
"""

from __future__ import annotations

import pytest
import yaml

from app.io.document import parse_document
from app.io.repair import repair
from app.io.writer import EditError, SetValue, apply_edits


def _nine(item: str) -> str:
    return "[" + ", ".join([item] * 9) + "]"


# Five lines that expand to 9**5 = 59,049 values: over the reader's limit, on the last line.
ALIAS_BOMB = ("---\nname: bomb\n"
              f"a: &a {_nine('lol')}\nb: &b {_nine('*a')}\nc: &c {_nine('*b')}\n"
              f"d: &d {_nine('*c')}\ne: &e {_nine('*d')}\n---\nBody\n")


@pytest.mark.parametrize(("text", "words"), [
    (ALIAS_BOMB, "alias bomb"),
    ("---\nname: a\nloop: &s [*s]\n---\nBody\n", "refers to itself"),
    # Indented: Claude Code's fallback leaves these tags alone. (At the top level it reads such a
    # line as text, and so does Repair: test_io_lenient.py.)
    ("---\nname: a\nhooks:\n  run: !!python/object/apply:os.system ['echo hi']\n---\nBody\n", "YAML tag"),
    ("---\nname: a\nhooks:\n  run: !!python/name:os.system\n---\nBody\n", "YAML tag"),
    ("---\nname: a\nmodel: opus\nhooks:\n  run: !!python/object:collections.OrderedDict {}\n---\nBody\n",
     "YAML tag"),
], ids=["alias-bomb", "self-reference", "python-apply", "python-name", "python-object"])
def test_repair_refuses_what_quoting_would_turn_into_plain_text(text, words):
    with pytest.raises(EditError) as e:
        repair(text)
    message = str(e.value)
    assert message.startswith("This frontmatter cannot be repaired automatically (line ")
    assert words in message and "fix the line by hand" in message


@pytest.mark.parametrize("value", ["*star", "!red", "Use this: when *things* break"])
def test_repair_still_quotes_text_that_only_looks_like_yaml_syntax(value):
    fixed = repair(f"---\nname: a\ndescription: {value}\n---\nBody\n")
    assert yaml.safe_load(parse_document(fixed).frontmatter) == {"name": "a", "description": value}


def _anchors(text: str) -> set[str]:
    doc = parse_document(text)
    return {e.anchor for e in yaml.parse(doc.frontmatter, Loader=yaml.SafeLoader)
            if getattr(e, "anchor", None) and not isinstance(e, yaml.AliasEvent)}


@pytest.mark.parametrize(("text", "path", "value", "new_line"), [
    ("---\nname: a\ntools: &t [Read, Grep]\n---\nBody\n", ("tools",), ["Read", "Grep", "Glob"],
     "tools: &t [Read, Grep, Glob]\n"),
    ("---\nname: a\ncoordination: &c\n  hands_off_to: [b]\n---\nBody\n", ("coordination", "hands_off_to"),
     ["b", "c"], "  hands_off_to: [b, c]\n"),
    ("---\nname: a\nbase: &b x\ntools: [Read, Grep]\n---\nBody\n", ("tools",), ["Read"], "tools: [Read]\n"),
    ("---\nname: a\ntools:\n  - &r Read\n  - Grep\n---\nBody\n", ("tools",), ["Read", "Glob"], "  - Glob\n"),
], ids=["anchored-list", "anchored-mapping", "unrelated-scalar", "anchored-item"])
def test_a_list_edit_keeps_an_unused_anchor(text, path, value, new_line):
    out = apply_edits(text, [SetValue(path, value)])
    assert _anchors(out) == _anchors(text)
    assert new_line in out
    data = yaml.safe_load(parse_document(out).frontmatter)
    node = data
    for key in path:
        node = node[key]
    assert node == value
    # Only the edited line differs.
    changed = [ln for ln in out.splitlines() if ln not in text.splitlines()]
    assert changed == [new_line.rstrip("\n")]
