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
    fm = read_frontmatter(text, 2)
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
    fm = read_frontmatter("name: a\ncoordination:\n\thands_off_to: [b]\n", 2)
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
    fm = read_frontmatter(text, 2)
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
