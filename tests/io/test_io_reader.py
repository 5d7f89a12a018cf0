"""read_frontmatter: fast libyaml parse, plain-English problems with file line numbers, recovery."""

import tracemalloc

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.io.reader import COORDINATION_KEYS, MAX_EXPANDED_NODES, read_frontmatter, recover


def test_valid_mapping():
    fm = read_frontmatter("name: a\ntools: Read, Grep\ncoordination:\n  hands_off_to: [b, c]\n", 2)
    assert fm.error is None and fm.recovered == {}
    assert fm.data == {"name": "a", "tools": "Read, Grep", "coordination": {"hands_off_to": ["b", "c"]}}


@pytest.mark.parametrize("text", ["", "# only a comment\n", "\n\n"])
def test_empty_frontmatter_is_an_empty_mapping(text):
    fm = read_frontmatter(text, 2)
    assert fm.data == {} and fm.error is None


@pytest.mark.parametrize(("text", "kind"), [("- a\n- b\n", "list"), ("just words\n", "single value")])
def test_non_mapping_is_an_error(text, kind):
    fm = read_frontmatter(text, 2)
    assert fm.data is None
    assert fm.error.message == f'The frontmatter is a {kind}, not a set of "key: value" lines.'
    assert fm.error.line == 2


def test_unquoted_colon_names_the_file_line_and_recovers():
    text = "name: helper\ndescription: Use this: when things break\nmodel: opus\ntools: Read, Grep\ncolor: teal\n"
    fm = read_frontmatter(text, 2, lenient=False)  # strict YAML (Claude Code's fallback reads it)
    assert fm.data is None
    assert fm.error.line == 3  # line 2 of the frontmatter = line 3 of the file
    assert '"description"' in fm.error.message and "quotes" in fm.error.message
    assert fm.recovered == {"name": "helper", "description": "Use this: when things break", "model": "opus",
                            "tools": "Read, Grep", "color": "teal"}


def test_unquoted_colon_on_a_continuation_line_names_the_key_it_continues():
    fm = read_frontmatter("name: a\ndescription: first part\n  continued: here\nmodel: x\n", 2)
    assert fm.error.line == 4 and '"description"' in fm.error.message
    assert fm.recovered["description"] == "first part continued: here"


def test_duplicate_top_level_keys_are_an_error():
    fm = read_frontmatter("name: a\nmodel: sonnet\ndescription: d\nmodel: opus\n", 2)
    assert fm.data is None
    assert fm.error.line == 5
    assert fm.error.message == 'The key "model" appears twice, on lines 3 and 5. Keep only one of them.'
    assert fm.recovered["model"] == "opus"  # the value a YAML loader would have kept


def test_duplicate_check_sees_quoted_keys_and_ignores_nested_and_scalar_lookalikes():
    assert read_frontmatter('name: a\n"name": b\n', 2).error.line == 3
    ok = read_frontmatter("a:\n  name: x\nb:\n  name: y\nname: z\n", 2)
    assert ok.error is None
    # a column-0 "name:" inside a quoted multi-line value is not a key
    ok = read_frontmatter('name: a\ndescription: "first\nname: still the description"\n', 2)
    assert ok.error is None and ok.data["description"] == "first name: still the description"


def test_duplicate_keys_in_nested_mappings_and_list_items_are_errors_too():
    fm = read_frontmatter("name: a\ncoordination:\n  hands_off_to: [b]\n  receives_from: [c]\n  hands_off_to: [d]\n", 2)
    assert fm.error.message == ('The key "coordination.hands_off_to" appears twice, on lines 4 and 6. '
                                "Keep only one of them.")
    assert read_frontmatter("hooks:\n  - type: a\n    type: b\n", 2).error.line == 4
    assert read_frontmatter("m: {a: 1, a: 2}\n", 2).error.message.endswith("appears twice, on line 2. Keep only one of them.")
    # the same key in sibling mappings, and keys a << merge overrides, are fine
    assert read_frontmatter("hooks:\n  - type: a\n  - type: b\n", 2).error is None
    fm = read_frontmatter("base: &b {k: 1, j: 2}\nthis:\n  <<: *b\n  k: 3\n", 2)
    assert fm.error is None and fm.data["this"] == {"k": 3, "j": 2}


def test_tab_indentation_gets_a_plain_message():
    fm = read_frontmatter("name: a\ncoordination:\n\thands_off_to: [b]\n", 2, lenient=False)
    assert fm.error.line == 4
    assert "indented with a tab" in fm.error.message
    assert fm.recovered["coordination"] == {"hands_off_to": ["b"]}


def test_tabs_inside_values_are_fine():
    assert read_frontmatter("name: a\tb\n", 2).data == {"name": "a\tb"}


def _billion_laughs(levels=9, width=10):
    lines = ["l0: &l0 [" + ", ".join(["lol"] * width) + "]"]
    for i in range(1, levels):
        lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * width) + "]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_refused_within_bounded_memory():
    tracemalloc.start()
    try:
        fm = read_frontmatter(_billion_laughs(), 2)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert fm.data is None and "alias bomb" in fm.error.message
    assert peak < 5_000_000  # a billion values never materialise


def test_self_referencing_alias_is_refused():
    fm = read_frontmatter("a: &a [x, *a]\n", 2)
    assert fm.data is None and "refers to itself" in fm.error.message


def test_honest_aliases_still_load():
    fm = read_frontmatter("base: &b {type: command, command: lint}\nother: *b\nnote: R&D **bold**\n", 2)
    assert fm.error is None and fm.data["other"] == {"type": "command", "command": "lint"}
    small = _billion_laughs(levels=3, width=10)  # 111 values: allowed
    assert read_frontmatter(small, 2).error is None
    assert MAX_EXPANDED_NODES >= 1000


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('name: "unclosed\ndescription: x\n', 2, "never closed"),
        ("tools: [Read, Grep\nname: x\n", 2, "not closed properly"),
        ("name: a\nmodel: *nothing\n", 3, "never defined"),
        ("name: a\njust words here\nmodel: x\n", None, "not"),
        ("name: a\nbad: !!python/object:os.system x\n", 3, "YAML tag"),
        ("a: " + "[" * 3000 + "]" * 3000 + "\n", 2, "nested too deeply"),
    ],
)
def test_other_invalid_yaml_is_reported_in_words(text, line, words):
    fm = read_frontmatter(text, 2, lenient=False)  # some of these Claude Code's fallback reads
    assert fm.data is None
    assert words in fm.error.message
    if line is not None:
        assert fm.error.line == line
    assert "Traceback" not in fm.error.message


def test_recovery_of_lists_block_scalars_and_comments():
    text = (
        "name: a: b\n"
        "description: |\n  first line\n  second: line\n"
        "model: sonnet  # the cheap one\n"
        "tools:\n  - Read\n  - 'Grep'\n"
        "coordination:\n"
        "  hands_off_to:\n    - b\n    - c\n"
        "  receives_from: [d, \"e\"]\n"
        "  parallel_with: f, g\n"
        "color: \"red\"\n"
    )
    got = recover(text)
    assert got == {
        "name": "a: b",
        "description": "first line\nsecond: line",
        "model": "sonnet",
        "tools": ["Read", "Grep"],
        "coordination": {"hands_off_to": ["b", "c"], "receives_from": ["d", "e"], "parallel_with": ["f", "g"]},
        "color": "red",
    }


def test_recovery_joins_a_plain_value_continued_on_indented_lines():
    assert recover("description: Use when: a\n  and b\nname: x\n") == {"description": "Use when: a and b",
                                                                       "name": "x"}


# ------------------------------------------------------------------ corpus


def test_valid_corpus_reads_like_pyyaml_safe_load(valid_corpus):
    assert len(valid_corpus) >= 380
    for c in valid_corpus:
        assert c.fm.data == (yaml.safe_load(c.doc.frontmatter) or {}), c.id
        assert isinstance(c.fm.data.get("name"), str), c.id


def test_invalid_corpus_files_are_detected_with_line_and_recovered(invalid_corpus):
    assert len(invalid_corpus) >= 5
    checked_lists = 0
    for c in invalid_corpus:
        fm = c.fm
        assert fm.data is None, c.id
        lines = c.text.splitlines()
        bad = lines[fm.error.line - 1]
        assert bad.startswith("description: ") and bad.count(": ") >= 2, c.id
        assert '"description"' in fm.error.message, c.id
        name_line = next(ln for ln in lines[1:] if ln.startswith("name:"))
        assert fm.recovered["name"] == name_line.split(":", 1)[1].strip(), c.id
        assert fm.recovered["description"] == bad.split(": ", 1)[1].strip(), c.id
        # everything the line scan found is what a fixed file would say
        fixed = yaml.safe_load(c.doc.frontmatter.replace(bad + "\n", "description: >-\n  " + bad[13:] + "\n"))
        for key in ("name", "model", "tools", "color"):
            if key in fixed:
                assert fm.recovered[key] == fixed[key], (c.id, key)
        for key, value in (fixed.get("coordination") or {}).items():
            if key in COORDINATION_KEYS:
                assert fm.recovered["coordination"][key] == value, (c.id, key)
                checked_lists += 1
    assert checked_lists >= 2  # the corpus has an invalid file with coordination lists


@pytest.mark.parametrize("char", list("@`%!*&|>?,]}"))
def test_reserved_first_characters_give_a_message_not_a_crash(char):
    fm = read_frontmatter(f"name: a\ndescription: {char}x here: y\n", 2)
    if fm.error is not None:
        assert fm.error.line in (3, 4) and fm.error.message
        assert fm.recovered["name"] == "a"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=":-[]{}#&*!|>'\"%@`,? \n\tab0.~\\", max_size=80))
def test_any_text_gives_data_or_a_problem_never_an_exception(text):
    fm = read_frontmatter(text, 2)
    assert (fm.data is None) == (fm.error is not None)
    if fm.error is not None:
        assert isinstance(fm.error.message, str) and fm.error.message
        assert fm.error.line is None or 2 <= fm.error.line <= text.count("\n") + 3
    else:
        assert isinstance(fm.data, dict)


# ------------------------------------------------------------------ the same data as libyaml
# The oracle is PyYAML's own C safe loader, called directly; values are compared with their types
# spelled out, so 1, 1.0 and True are not equal.


def _typed(value):
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _oracle(text: str):
    try:
        return ("ok", _typed(yaml.load(text, Loader=yaml.CSafeLoader)))
    except Exception as e:  # noqa: BLE001
        return ("error", type(e).__name__)


def _agrees_with_the_oracle(text: str) -> None:
    fm = read_frontmatter(text, 2, lenient=False)  # strict YAML; Claude Code's fallback: test_io_lenient
    expected = _oracle(text)
    if fm.error is None:
        assert expected[0] == "ok" and _typed(fm.data) == _typed(yaml.load(text, Loader=yaml.CSafeLoader) or {})
    elif expected[0] == "ok":  # libyaml reads it, and we refuse it for one of our reasons only
        assert ("appears twice" in fm.error.message or "not a set of" in fm.error.message
                or "alias" in fm.error.message), (text, fm.error)


def test_every_corpus_file_reads_as_libyaml_reads_it(corpus_files):
    for cf in corpus_files:
        if cf.doc.frontmatter is None:
            continue
        expected = _oracle(cf.doc.frontmatter)
        if cf.fm.error is None:
            assert expected[0] == "ok" and _typed(cf.fm.data) == expected[1], cf.id
        else:
            assert expected[0] == "error", cf.id  # the corpus has no duplicate keys or bombs


# Scalars that YAML 1.1 resolves to every type, and strings that look like them.
WORDS = ["name", "a-b", "yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "true", "False", "1", "-2",
         "0x1F", "0o17", "017", "1_000", "3.5", ".5", "1e3", ".inf", "-.Inf", ".NaN", "2024-01-02",
         "2024-02-30", "2001-12-14t21:59:43.10-05:00", "1:20", "190:20:30", "<<", "=", "é", "",
         "'quoted'", '"dq \\t"', "a: b", "- x", "[a, b]", "{a: 1}", "!!str 5", "!!int '7'", "!!binary aGk=",
         "!!set {a, b}", "!!omap [a: 1]", "!custom x", "|\n  block\n", ">-\n  folded\n  text\n", "*nope",
         "! 5", "! true", "&anc v", "#c", "a #c", "x\ty", "? complex"]
_KEYS = ["name", "model", "tools", "1", "true", "~", "<<", "dup", "dup", "'q'", "[k]"]


def _block(depth: int) -> st.SearchStrategy[str]:
    scalar = st.sampled_from(WORDS)
    item = scalar.map(lambda v: f" {v}")
    if depth > 0:
        item = st.one_of(item, st.lists(scalar, max_size=4).map(lambda vs: " [" + ", ".join(vs) + "]"),
                         _block(depth - 1).map(lambda b: "\n" + "\n".join("  " + ln for ln in b.split("\n"))))
    line = st.tuples(st.sampled_from(_KEYS), item).map(lambda kv: f"{kv[0]}:{kv[1]}")
    seq = st.lists(scalar, min_size=1, max_size=3).map(lambda vs: "\n".join(f"- {v}" for v in vs))
    return st.one_of(st.lists(line, min_size=1, max_size=5).map("\n".join), seq)


@settings(max_examples=400, deadline=None)
@given(text=_block(2))
def test_generated_yaml_reads_as_libyaml_reads_it(text):
    _agrees_with_the_oracle(text)


@pytest.mark.parametrize("text", [
    "a: [1, [2, {b: c}]]\n", "a: 2024-02-30\n", "--- a\n--- b\n", "? [a]\n: b\n", "a: &x 1\nb: *x\n",
    "<<: {a: 1}\na: 2\n", "a: ! 5\nb: ! true\n", "a: 5\nb: true\n", "a: '5'\nb: \"true\"\n",
    "name: x\ntools: Read, Grep\ncoordination:\n  hands_off_to: [b-1, c]\n  receives_from: []\n",
])
def test_edge_cases_read_as_libyaml_reads_them(text):
    _agrees_with_the_oracle(text)
