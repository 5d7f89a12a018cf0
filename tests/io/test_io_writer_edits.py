"""apply_edits: only the lines of what changed differ; everything else survives byte for byte."""

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.io import writer
from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.io.writer import DeleteKey, EditError, SetValue, apply_edits

# What the corpus lacks: comments, blank lines, block lists, | and >, nested hooks/mcpServers,
# quoting styles, a body with --- rules and no final newline.
RICH = """---
# Agent for reviews
name: reviewer   # short name
description: "Reviews code: carefully"

model: sonnet
tools:
  - Read
  - Grep
disallowedTools: [Bash, Write]
initialPrompt: |
  Start by reading
  the diff.
note: >
  folded text
  continues here
hooks:
  PreToolUse:
    - matcher: Bash
      hooks:
        - type: command
          command: ./check.sh
mcpServers:
  github:
    command: npx
    args: ["-y", "@modelcontextprotocol/server-github"]
coordination:
  hands_off_to: [tester, docs]
  receives_from:
    - planner
# trailing comment
---
Body text
---
More body, no final newline"""

FLAT = "---\nname: flat\ndescription: 'It''s flat'\ntools: Read, Grep\n---\n\nBody\n"


def variant(text: str, kind: str) -> str:
    if kind == "crlf":
        return text.replace("\n", "\r\n")
    if kind == "bom+crlf":
        return "\ufeff" + text.replace("\n", "\r\n")
    return text


VARIANTS = ["lf", "crlf", "bom+crlf"]


def data_of(text: str) -> dict:
    doc = parse_document(text)
    fm = read_frontmatter(doc.frontmatter, doc.frontmatter_line)
    assert fm.error is None, fm.error
    return fm.data


def check(text: str, edits, changes):
    """Apply, then assert: body, BOM and line endings kept, data exactly as expected. Returns the diff."""
    out = apply_edits(text, edits)
    before, after = parse_document(text), parse_document(out)
    assert after.body == before.body
    assert after.bom == before.bom
    if before.newline == "\r\n":
        assert out.count("\n") == out.count("\r\n")
    expected = writer._expected(data_of(text), edits)
    assert data_of(out) == expected
    return changes(text, out)


@pytest.mark.parametrize("kind", VARIANTS)
def test_setting_model_changes_one_line(kind, changes):
    nl = "\r\n" if "crlf" in kind else "\n"
    diff = check(variant(RICH, kind), [SetValue(("model",), "opus")], changes)
    assert diff == [("replace", [f"model: sonnet{nl}"], [f"model: opus{nl}"])]


@pytest.mark.parametrize("kind", VARIANTS)
def test_flow_list_changes_in_place(kind, changes):
    nl = "\r\n" if "crlf" in kind else "\n"
    diff = check(variant(RICH, kind), [SetValue(("disallowedTools",), ["Bash", "Write", "Edit"])], changes)
    assert diff == [("replace", [f"disallowedTools: [Bash, Write]{nl}"], [f"disallowedTools: [Bash, Write, Edit]{nl}"])]
    diff = check(variant(RICH, kind), [SetValue(("coordination", "hands_off_to"), ["docs"])], changes)
    assert diff == [("replace", [f"  hands_off_to: [tester, docs]{nl}"], [f"  hands_off_to: [docs]{nl}"])]


@pytest.mark.parametrize("kind", VARIANTS)
def test_block_list_gains_or_loses_one_line(kind, changes):
    nl = "\r\n" if "crlf" in kind else "\n"
    text = variant(RICH, kind)
    assert check(text, [SetValue(("tools",), ["Read", "Grep", "Edit"])], changes) == [
        ("insert", [], [f"  - Edit{nl}"])]
    assert check(text, [SetValue(("tools",), ["Grep"])], changes) == [("delete", [f"  - Read{nl}"], [])]
    assert check(text, [SetValue(("coordination", "receives_from"), ["planner", "architect"])], changes) == [
        ("insert", [], [f"    - architect{nl}"])]


def test_adding_to_an_empty_flow_list_stays_on_its_line(changes):
    text = "---\nname: a\ndescription: d\ntools: []\ncoordination:\n  hands_off_to: []\n---\nbody\n"
    assert check(text, [SetValue(("coordination", "hands_off_to"), ["b"])], changes) == [
        ("replace", ["  hands_off_to: []\n"], ["  hands_off_to: [b]\n"])]
    assert check(text, [SetValue(("tools",), ["Read"])], changes) == [
        ("replace", ["tools: []\n"], ["tools: [Read]\n"])]


def test_new_key_goes_at_the_end_of_the_frontmatter_before_trailing_comments(changes):
    out = apply_edits(RICH, [SetValue(("maxTurns",), 5)])
    assert changes(RICH, out) == [("insert", [], ["maxTurns: 5\n"])]
    lines = out.splitlines()
    assert lines[lines.index("maxTurns: 5") - 1] == "    - planner"
    assert lines[lines.index("maxTurns: 5") + 1] == "# trailing comment"


def test_new_key_in_an_existing_mapping_goes_at_its_end(changes):
    out = apply_edits(RICH, [SetValue(("coordination", "parallel_with"), ["security"])])
    diff = changes(RICH, out)
    assert len(diff) == 1 and diff[0][0] == "insert"
    assert "".join(diff[0][2]) in ("  parallel_with: [security]\n", "  parallel_with:\n    - security\n")
    assert data_of(out)["coordination"]["parallel_with"] == ["security"]


def test_missing_parent_mapping_is_created_in_the_files_list_style(changes):
    diff = check(FLAT, [SetValue(("coordination", "hands_off_to"), ["tester"])], changes)
    assert diff == [("insert", [], ["coordination:\n", "  hands_off_to: [tester]\n"])]
    blocky = "---\nname: b\ntools:\n- Read\n- Grep\n---\n"
    diff = check(blocky, [SetValue(("coordination", "hands_off_to"), ["tester"])], changes)
    assert diff == [("insert", [], ["coordination:\n", "  hands_off_to:\n", "  - tester\n"])]


def test_first_key_of_an_empty_frontmatter_goes_below_its_comment():
    assert apply_edits("---\n# team lead\n---\n", [SetValue(("name",), "x")]) == "---\n# team lead\nname: x\n---\n"
    assert apply_edits("---\n---\n", [SetValue(("name",), "x")]) == "---\nname: x\n---\n"


def test_null_parent_is_replaced_by_a_mapping(changes):
    text = "---\nname: a\ncoordination:\nmodel: x\n---\n"
    check(text, [SetValue(("coordination", "hands_off_to"), ["b"])], changes)


@pytest.mark.parametrize("kind", VARIANTS)
def test_delete_key_removes_just_its_lines(kind, changes):
    nl = "\r\n" if "crlf" in kind else "\n"
    text = variant(RICH, kind)
    assert check(text, [DeleteKey(("model",))], changes) == [("delete", [f"model: sonnet{nl}"], [])]
    hooks = ["hooks:", "  PreToolUse:", "    - matcher: Bash", "      hooks:", "        - type: command",
             "          command: ./check.sh"]
    assert check(text, [DeleteKey(("hooks",))], changes) == [("delete", [h + nl for h in hooks], [])]
    assert check(text, [DeleteKey(("coordination", "receives_from"))], changes) == [
        ("delete", [f"  receives_from:{nl}", f"    - planner{nl}"], [])]
    # the comment above "name" and the blank line after "description" stay
    out = apply_edits(text, [DeleteKey(("name",)), DeleteKey(("description",))])
    assert out.startswith(("\ufeff" if "bom" in kind else "") + f"---{nl}# Agent for reviews{nl}{nl}model: sonnet")
    assert apply_edits(text, [DeleteKey(("nope",)), DeleteKey(("nope", "deeper"))]) is text


def test_deleting_the_last_key_keeps_the_trailing_comment(changes):
    diff = check(RICH, [DeleteKey(("coordination",))], changes)
    assert diff == [("delete", ["coordination:\n", "  hands_off_to: [tester, docs]\n", "  receives_from:\n",
                                "    - planner\n"], [])]


def test_nested_hook_edit_changes_one_line(changes):
    hooks = data_of(RICH)["hooks"]
    hooks["PreToolUse"][0]["hooks"][0]["command"] = "./lint.sh"
    diff = check(RICH, [SetValue(("hooks",), hooks)], changes)
    assert diff == [("replace", ["          command: ./check.sh\n"], ["          command: ./lint.sh\n"])]


def test_quoting_and_block_styles_are_kept(changes):
    diff = check(RICH, [SetValue(("description",), "Reviews: everything")], changes)
    assert diff == [("replace", ['description: "Reviews code: carefully"\n'], ['description: "Reviews: everything"\n'])]
    diff = check(FLAT, [SetValue(("description",), "Still flat")], changes)
    assert diff == [("replace", ["description: 'It''s flat'\n"], ["description: 'Still flat'\n"])]
    diff = check(RICH, [SetValue(("initialPrompt",), "Start by reading\nthe tests.\n")], changes)
    assert diff == [("replace", ["  the diff.\n"], ["  the tests.\n"])]


def test_comment_after_a_value_survives_a_change():
    out = apply_edits(RICH, [SetValue(("name",), "critic")])
    line = next(ln for ln in out.splitlines() if ln.startswith("name:"))
    assert line.startswith("name: critic") and line.endswith("# short name")


def test_missing_final_newline_and_body_survive():
    out = apply_edits(RICH, [SetValue(("model",), "haiku")])
    assert out.endswith("---\nMore body, no final newline")


def test_unchanged_edit_returns_the_same_text():
    assert apply_edits(RICH, [SetValue(("model",), "sonnet")]) is RICH
    assert apply_edits(RICH, []) is RICH


NEEDS_CARE = ["yes", "No", "on", "null", "~", "123", "0o17", "1_000", "1.5", ".inf", "2024-01-01", "a: b",
              "#hash", "- dash", "[x]", "{x}", "", " lead", "trail ", "it's", 'say "hi"', "*star", "&amp",
              "!bang", "%pct", "@at", "`tick", "multi\nline", "multi\nline\n", "tab\there", "unicode é ✓",
              "back\\slash", "colon:nospace", "---", "...", "? q", "?q", "| pipe", "> gt", "x #not comment",
              "\u2028", "0\x07", "C\x97A", "del\x7f", "nul\x00"]


@pytest.mark.parametrize("value", NEEDS_CARE)
def test_strings_read_back_exactly(value):
    for text in (RICH, FLAT):
        out = apply_edits(text, [SetValue(("description",), value), SetValue(("newkey",), value)])
        assert data_of(out)["description"] == value
        assert data_of(out)["newkey"] == value


@pytest.mark.parametrize("value", [True, False, None, 0, 7, 2.5, [], ["a", "b: c"], {"x": [1, 2]}, [{"a": 1}]])
def test_other_values_read_back_exactly(value, changes):
    out = apply_edits(FLAT, [SetValue(("extra",), value)])
    assert data_of(out)["extra"] == value
    assert all(tag == "insert" for tag, _, _ in changes(FLAT, out))


def test_tools_string_becomes_list_and_back(changes):
    out = apply_edits(FLAT, [SetValue(("tools",), ["Read", "Grep"])])
    assert changes(FLAT, out) == [("replace", ["tools: Read, Grep\n"], ["tools: [Read, Grep]\n"])]
    assert apply_edits(out, [SetValue(("tools",), "Read, Grep")]) == FLAT
    assert data_of(apply_edits(FLAT, [SetValue(("tools",), [])]))["tools"] == []


def test_invalid_yaml_is_refused_with_its_line():
    # Claude Code's fallback quotes top-level lines only: this one stays invalid.
    text = "---\nname: a\ncoordination:\n  note: Use this: when\n---\nbody\n"
    with pytest.raises(EditError, match=r"line 4"):
        apply_edits(text, [SetValue(("model",), "opus")])


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("no frontmatter here\n", "no frontmatter"),
        ("---\nname: a\n", "never closed"),
        ("---\nname: a\nname: b\n---\n", "appears twice"),
        ("---\n- a\n---\n", "not a set of"),
    ],
)
def test_files_that_cannot_be_edited_are_refused_in_words(text, words):
    with pytest.raises(EditError, match=words):
        apply_edits(text, [SetValue(("model",), "opus")])


def test_setting_below_a_scalar_is_refused():
    with pytest.raises(EditError, match='"name" is not a group of fields'):
        apply_edits(FLAT, [SetValue(("name", "first"), "x")])
    with pytest.raises(EditError):
        apply_edits(FLAT, [SetValue((), "x")])


def test_damaged_result_is_never_returned(monkeypatch):
    real = writer._merge

    def lossy(original, baseline, edited, move_insertions):
        return [ln for ln in real(original, baseline, edited, move_insertions) if not ln.startswith("name:")]

    monkeypatch.setattr(writer, "_merge", lossy)
    with pytest.raises(EditError, match="left as it was"):
        apply_edits(RICH, [SetValue(("model",), "opus")])


def test_ruamel_normalisations_never_reach_unchanged_lines(changes):
    text = "---\nname: a\ntools: [ Read,Grep ]\nempty: ~\nlong: plain text\n  continued here\nmodel: x\n---\n"
    diff = check(text, [SetValue(("model",), "y")], changes)
    assert diff == [("replace", ["model: x\n"], ["model: y\n"])]


def test_mixed_line_endings_keep_each_lines_ending(changes):
    text = "---\r\nname: a\nmodel: x\r\n---\r\nbody\n"
    out = apply_edits(text, [SetValue(("model",), "y"), SetValue(("color",), "red")])
    assert out == "---\r\nname: a\nmodel: y\r\ncolor: red\r\n---\r\nbody\n"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    value=st.one_of(
        st.text(st.characters(blacklist_categories=("Cs",)), max_size=40),
        st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12), max_size=4),
        st.integers(),
        st.booleans(),
    ),
    key=st.sampled_from([("model",), ("description",), ("tools",), ("coordination", "hands_off_to"), ("zz",),
                         ("initialPrompt",), ("note",)]),
)
def test_any_value_reads_back_exactly_or_is_refused(value, key):
    try:
        out = apply_edits(RICH, [SetValue(key, value)])
    except EditError:
        return  # refused: the caller keeps the old text
    doc = parse_document(out)
    assert doc.body == parse_document(RICH).body
    got = yaml.load(doc.frontmatter, Loader=yaml.CSafeLoader)
    node = got
    for k in key:
        node = node[k]
    assert node == value


def test_a_null_written_out_that_gains_children_is_rewritten_with_them(changes):
    text = "---\ntools:\n- Read\nx:\n  model: null\ny: 1\n---\n"
    diff = check(text, [SetValue(("x", "model"), ["a", "b"])], changes)
    assert diff == [("replace", ["  model: null\n"], ["  model:\n", "  - a\n", "  - b\n"])]


def test_unusual_list_layouts_are_kept(changes):
    text = "---\ntools:\n-   - a\n    - b\n-   c\nname: x\n---\n"
    assert check(text, [SetValue(("name",), "y")], changes) == [("replace", ["name: x\n"], ["name: y\n"])]
    assert check(text, [SetValue(("tools",), [["a", "b"], "c", "d"])], changes) == [("insert", [], ["-   d\n"])]


def test_pyyaml_style_indent_four_layout(changes):
    text = "---\ncoordination:\n    tools:\n        y: 1\ny:\n- null\n-   - -173\n    - 9\nname: n\n---\n"
    diff = check(text, [SetValue(("coordination", "model"), "opus")], changes)
    assert diff == [("insert", [], ["    model: opus\n"])]
    check(text, [SetValue(("name",), {"x": None}), SetValue(("y",), [None, [-173, 9], 3])], changes)
    out = apply_edits(text, [SetValue(("name",), {"x": None}), SetValue(("y",), [None, [-173, 9], 3])])
    assert out.endswith("-   - -173\n    - 9\n- 3\nname:\n    x:\n---\n")
