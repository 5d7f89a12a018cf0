"""Claude Code's fallback: files that are not strict YAML but that Claude Code loads.

The oracle is the rule as stated, applied by the small functions below (written for this test,
sharing nothing with app/io/reader.py) plus PyYAML's safe loader: strict YAML; else leading tabs made
spaces; else, on top of that, every top-level `key: value` line whose value contains ": " or
starts with one of {}[]*&#!|>%@` and is not already quoted is double-quoted.
"""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.io.repair import repair
from app.io.writer import DeleteKey, EditError, SetValue, apply_edits

FAILED = object()
SPECIAL = "{}[]*&#!|>%@`"


def _load(text: str):
    # PyYAML's libyaml safe loader, called directly: the pure-Python one refuses a tab after
    # "key:", which YAML (and libyaml) allow.
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError:
        return FAILED


def _spaces_for_leading_tabs(text: str) -> str:
    out = []
    for line in text.split("\n"):
        body = line.lstrip(" \t")
        lead = line[: len(line) - len(body)]
        out.append(lead.replace("\t", "  ") + body)
    return "\n".join(out)


def _is_simple_key(key: str) -> bool:
    return bool(key) and all(c in "_-" or ("a" <= c.lower() <= "z") for c in key)


def _quote_values(text: str) -> str:
    out = []
    for line in text.split("\n"):
        key, colon, rest = line.partition(":")
        value = rest.lstrip(" \t")
        if not (colon and _is_simple_key(key) and rest[:1] in (" ", "\t") and value):
            out.append(line)
            continue
        quoted = len(value) >= 2 and value[0] == value[-1] and value[0] in "'\""
        if not quoted and (": " in value or value[0] in SPECIAL):
            line = key + ': "' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        out.append(line)
    return "\n".join(out)


def claude_code_reads(text: str):
    """(data, lenient) as the rule reads `text`; data is FAILED when it cannot."""
    strict = _load(text)
    if strict is not FAILED:
        return strict, False
    spaced = _spaces_for_leading_tabs(text)
    for attempt in (spaced, _quote_values(spaced)):
        data = _load(attempt)
        if data is not FAILED:
            return data, True
    return FAILED, False


# ------------------------------------------------------------------ the rule, generated

KEYS = ["name", "description", "model", "tools", "color", "x_y", "when-to", "Memo"]
FIRST = list(SPECIAL) + ["'", '"', "-", "?", ",", "a", "U", " ", "\\"]
VALUE_CHARS = "ab :#'\"\\-,x*&!|>%@`[]{}nN5"


@st.composite
def top_level_line(draw, key):
    value = draw(st.sampled_from(FIRST)) + draw(st.text(alphabet=VALUE_CHARS, max_size=20))
    value = value.strip(" ") or "v"
    if draw(st.booleans()):
        value = "Use this: " + value  # the wizard's shape
    return f"{key}:{draw(st.sampled_from([' ', '  ', chr(9)]))}{value}"


@st.composite
def frontmatter(draw):
    keys = draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=5, unique=True))
    lines = [draw(top_level_line(k)) for k in keys]
    if draw(st.booleans()):  # a nested list, maybe indented with a tab
        indent = draw(st.sampled_from(["  ", "\t", " \t"]))
        lines.append("list_key:\n" + "\n".join(f"{indent}- {v}" for v in draw(
            st.lists(st.sampled_from(["Read", "Grep", "a: b", "'q'"]), min_size=1, max_size=3))))
    return "\n".join(lines) + "\n"


@settings(max_examples=500, deadline=None)
@given(frontmatter())
def test_the_reader_reads_what_claude_codes_rule_reads(text):
    expected, lenient = claude_code_reads(text)
    fm = read_frontmatter(text, 2)
    if expected is FAILED or not isinstance(expected, dict):
        assert fm.error is not None, (text, fm.data)
        return
    assert fm.error is None, (text, fm.error)
    assert fm.data == expected and fm.lenient == lenient, text
    # Strictly, only standard YAML is read.
    assert (read_frontmatter(text, 2, lenient=False).error is not None) == lenient


def test_a_wizard_description_reads_with_its_escapes_kept():
    text = ("name: reviewer\n"
            "description: Use this agent when code needs review. Examples:\\n\\n<example>\\nContext: a PR is"
            " open\\nuser: \"Review it\"\\n</example>\n"
            "model: sonnet\n")
    fm = read_frontmatter(text, 2)
    assert fm.error is None and fm.lenient
    assert fm.data["description"] == ("Use this agent when code needs review. Examples:\\n\\n<example>\\n"
                                      "Context: a PR is open\\nuser: \"Review it\"\\n</example>")
    assert fm.data["model"] == "sonnet"


@pytest.mark.parametrize("text", [
    "name: a\ncoordination:\n  note: Use: this\n",  # indented: the fallback leaves it
    "name: a\ndescription: first\n  continued: here\n",
    "name: a\nname: b\n",  # repeated keys stay an error
    "- a\n- b\n",
])
def test_what_the_fallback_cannot_read_stays_an_error(text):
    fm = read_frontmatter(text, 2)
    assert fm.error is not None and fm.data is None and not fm.lenient


# ------------------------------------------------------------------ editing wizard-style files

WIZARD = (
    "---\r\n"
    "name: test-runner\r\n"
    "description: Use this agent after code changes. Examples:\\n\\n<example>\\nContext: the user"
    " fixed a bug\\nassistant: \"I will run the tests\"\\n</example>\r\n"
    "tools: Read, Bash\r\n"
    "color: blue\r\n"
    "note: see: the wiki\r\n"
    "---\r\n"
    "\r\n"
    "You run tests.\r\n"
)


def _read(text: str):
    doc = parse_document(text)
    return read_frontmatter(doc.frontmatter, doc.frontmatter_line)


def _changed_lines(before: str, after: str) -> list[tuple[str, str]]:
    a, b = before.split("\n"), after.split("\n")
    assert len(a) == len(b)
    return [(x, y) for x, y in zip(a, b) if x != y]


def test_an_edit_of_a_wizard_file_changes_only_its_line_and_keeps_the_unquoted_ones():
    before = _read(WIZARD)
    assert before.lenient
    new = apply_edits(WIZARD, [SetValue(("color",), "green")])
    assert _changed_lines(WIZARD, new) == [("color: blue\r", "color: green\r")]
    after = _read(new)
    assert after.lenient and after.data == {**before.data, "color": "green"}


def test_new_and_removed_keys_in_a_wizard_file_leave_the_other_lines_alone():
    new = apply_edits(WIZARD, [SetValue(("model",), "opus"), DeleteKey(("tools",))])
    kept = [ln for ln in WIZARD.split("\r\n") if not ln.startswith("tools:")]
    assert new.split("\r\n") == kept[:5] + ["model: opus"] + kept[5:]
    assert _read(new).data == {**{k: v for k, v in _read(WIZARD).data.items() if k != "tools"}, "model": "opus"}


def test_editing_the_unquoted_value_itself_writes_it_in_standard_yaml():
    new = apply_edits(WIZARD, [SetValue(("note",), "see: the other wiki")])
    [(old, line)] = _changed_lines(WIZARD, new)
    assert old == "note: see: the wiki\r"
    assert yaml.safe_load(line) == {"note": "see: the other wiki"}
    assert _read(new).data["note"] == "see: the other wiki"
    assert "description: Use this agent after code changes. Examples:\\n" in new  # still unquoted


def test_a_tab_indented_list_is_edited_in_place():
    text = "---\nname: a\ndescription: d\ntools:\n\t- Read\n\t- Grep\n---\nBody\n"
    assert _read(text).lenient
    new = apply_edits(text, [SetValue(("tools",), ["Read", "Grep", "Bash"])])
    assert new.startswith("---\nname: a\ndescription: d\ntools:\n\t- Read\n\t- Grep\n")
    assert _read(new).data["tools"] == ["Read", "Grep", "Bash"]


def test_an_edit_that_cannot_keep_the_lenient_lines_is_refused_with_the_file_unchanged(monkeypatch):
    # If the merged result ever read back differently, the edit is refused, never half-written.
    from app.io import writer

    monkeypatch.setattr(writer, "_verify", lambda *a, **k: "simulated mismatch" if k.get("lenient") else None)
    with pytest.raises(EditError, match="Repair makes it standard YAML"):
        apply_edits(WIZARD, [SetValue(("color",), "green")])


# ------------------------------------------------------------------ repair

def test_repair_makes_a_wizard_file_standard_yaml_with_claude_codes_meaning():
    fixed = repair(WIZARD)
    doc = parse_document(fixed)
    strict = read_frontmatter(doc.frontmatter, doc.frontmatter_line, lenient=False)
    assert strict.error is None and strict.data == _read(WIZARD).data
    assert doc.body == parse_document(WIZARD).body
    assert len(_changed_lines(WIZARD, fixed)) == 2  # the description and the note
    assert repair(fixed) == fixed


def test_repair_of_tab_indentation_gives_the_fallbacks_own_text():
    text = "---\nname: a\ndescription: d\ntools:\n\t- Read\n---\nBody\n"
    fixed = repair(text)
    assert fixed == "---\nname: a\ndescription: d\ntools:\n  - Read\n---\nBody\n"


def test_a_top_level_tag_claude_code_reads_as_text_is_repaired_as_that_text():
    text = "---\nname: a\nhook: !!python/name:os.system\n---\nBody\n"
    assert _read(text).data["hook"] == "!!python/name:os.system"
    fixed = repair(text)
    assert yaml.safe_load(parse_document(fixed).frontmatter) == {"name": "a", "hook": "!!python/name:os.system"}


# ------------------------------------------------------------------ the corpus


def test_every_corpus_file_claude_codes_rule_reads_is_read_and_editable(corpus_files):
    read_leniently = 0
    for c in corpus_files:
        if c.doc.frontmatter is None:
            continue
        expected, lenient = claude_code_reads(c.doc.frontmatter)
        fm = read_frontmatter(c.doc.frontmatter, c.doc.frontmatter_line)
        if expected is FAILED:
            assert fm.error is not None, c.id
            continue
        assert fm.error is None and fm.data == (expected or {}) and fm.lenient == lenient, c.id
        if lenient:
            read_leniently += 1
            new = apply_edits(c.text, [SetValue(("color",), "cyan")])
            assert _read(new).data == {**fm.data, "color": "cyan"}, c.id
    assert read_leniently >= 5  # the corpus has wizard-style files
