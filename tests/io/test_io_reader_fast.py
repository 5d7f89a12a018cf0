"""The reader's shortcuts (remembered scalar tags, a direct constructor for plain trees) give
exactly what yaml.CSafeLoader gives: same values of the same types, same errors."""

from __future__ import annotations

import datetime

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from app.io.reader import _load, _Loader, _plain_frontmatter, read_frontmatter


def _typed(value):
    """A value with every type spelled out, so 1, 1.0 and True are not equal."""
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _safe(text: str):
    try:
        return ("ok", _typed(yaml.load(text, Loader=yaml.CSafeLoader)))
    except Exception as e:  # noqa: BLE001
        return ("error", type(e).__name__, str(e))


def _ours(text: str):
    try:
        return ("ok", _typed(_load(text, check_aliases=False)[0]))
    except Exception as e:  # noqa: BLE001
        return ("error", type(e).__name__, str(e))


def _generic_repeated(text: str) -> bool:
    """The repeated-key flag as the plain constructor (no shortcut) sets it."""
    loader = _Loader(text)
    try:
        loader.get_single_data()
        return loader.repeated_keys
    finally:
        loader.dispose()


# Scalars that YAML 1.1 resolves to every type, and strings that look like them.
WORDS = ["name", "a-b", "yes", "No", "on", "OFF", "y", "n", "~", "null", "Null", "true", "False", "1", "-2",
         "0x1F", "0o17", "017", "1_000", "3.5", ".5", "1e3", ".inf", "-.Inf", ".NaN", "2024-01-02",
         "2024-02-30", "2001-12-14t21:59:43.10-05:00", "1:20", "190:20:30", "<<", "=", "é", "",
         "'quoted'", '"dq \\t"', "a: b", "- x", "[a, b]", "{a: 1}", "!!str 5", "!!int '7'", "!!binary aGk=",
         "!!set {a, b}", "!!omap [a: 1]", "!custom x", "|\n  block\n", ">-\n  folded\n  text\n", "*nope",
         "! 5", "! true", "&anc v", "#c", "a #c", "x\ty", "? complex"]

scalar = st.sampled_from(WORDS)
key = st.sampled_from(["name", "model", "tools", "1", "true", "~", "<<", "dup", "dup", "'q'", "[k]"])


def _block(depth: int) -> st.SearchStrategy[str]:
    item = scalar.map(lambda v: f" {v}")
    if depth > 0:
        item = st.one_of(item, st.lists(scalar, max_size=4).map(lambda vs: " [" + ", ".join(vs) + "]"),
                         _block(depth - 1).map(lambda b: "\n" + "\n".join("  " + ln for ln in b.split("\n"))))
    line = st.tuples(key, item).map(lambda kv: f"{kv[0]}:{kv[1]}")
    seq = st.lists(scalar, min_size=1, max_size=3).map(lambda vs: "\n".join(f"- {v}" for v in vs))
    return st.one_of(st.lists(line, min_size=1, max_size=5).map("\n".join), seq)


@settings(max_examples=600, deadline=None)
@given(text=_block(2))
def test_generated_yaml_loads_as_the_safe_loader_loads_it(text):
    ours = _ours(text)
    assert ours == _safe(text)
    if ours[0] == "ok":
        assert _load(text, check_aliases=False)[1] == _generic_repeated(text)


@settings(max_examples=300, deadline=None)
@given(values=st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=12),
              st.dates(), st.datetimes(timezones=st.just(datetime.timezone.utc)), st.binary(max_size=6)),
    lambda children: st.one_of(st.lists(children, max_size=4),
                               st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.booleans()),
                                               children, max_size=4)),
    max_leaves=12), flow=st.sampled_from([None, True, False]))
def test_dumped_values_load_as_the_safe_loader_loads_them(values, flow):
    text = yaml.safe_dump({"v": values}, default_flow_style=flow, allow_unicode=True)
    assert _ours(text) == _safe(text)


@pytest.mark.parametrize("text", [
    "a: 1\na: 2\n", "a:\n  b: 1\n  b: 2\n", "<<: {a: 1}\na: 2\n", "x: !!python/object:os.system x\n",
    "a: [1, [2, {b: c}]]\n", "", "# only a comment\n", "- a\n- b\n", "just text\n", "a: 2024-02-30\n",
    "--- a\n--- b\n", "? [a]\n: b\n", "a: &x 1\nb: *x\n",
])
def test_edge_cases_match(text):
    assert _ours(text) == _safe(text)
    assert read_frontmatter(text, 2) == read_frontmatter(text, 2)  # the tag memory changes nothing


def test_a_non_specific_tag_does_not_change_how_the_same_text_reads_later():
    # "! 5" is the string "5", a plain 5 is the number: remembering tags must keep them apart.
    for text in ("a: ! 5\nb: ! true\n", "a: 5\nb: true\n", "a: '5'\nb: \"true\"\n", "a: 5\nb: true\n"):
        assert _ours(text) == _safe(text)


def test_every_corpus_file_reads_as_the_safe_loader_reads_it(corpus_files):
    for cf in corpus_files:
        if cf.doc.frontmatter is None:
            continue
        assert _ours(cf.doc.frontmatter) == _safe(cf.doc.frontmatter), cf.id
        if cf.fm.error is None:
            assert _typed(cf.fm.data) == _safe(cf.doc.frontmatter)[1], cf.id


# The plain-frontmatter shortcut: whatever it accepts must read exactly as libyaml reads it, and
# it must accept the common shape (else it is no shortcut).

PIECES = ["name", "a-b", "tools", "hands_off_to", "yes", "On", "null", "NULL", "true", "1", "1.5", "1e3", "0x1F",
          "2024-01-02", "1:20", "12_000", "Read, Grep", "Use it (when needed).", "x/y+z", "a  b", "a ", " a",
          "a #c", "a:b", "a: b", "é", "k" * 1100, "-a", "a-", ".5", "+1", "_x", "x_", "Ok.", "", "[a]", "a,b", "~", "<<"]
piece = st.sampled_from(PIECES)
flow = st.lists(piece, max_size=4).map(lambda xs: "[" + ", ".join(xs) + "]")
value = st.one_of(piece, flow, st.lists(piece, max_size=3).map(lambda xs: "[" + ",".join(xs) + "]"))
pair = st.tuples(piece, st.sampled_from([": ", ":", ":  "]), value).map("".join)
child = pair.map(lambda p: "  " + p)
top_line = st.one_of(pair, st.tuples(piece, st.lists(child, max_size=3)).map(
    lambda kc: "\n".join([kc[0] + ":", *kc[1]])), child, st.sampled_from(["", "# c", "    a: b", "\ta: b"]))
frontmatter = st.lists(top_line, min_size=1, max_size=6).map(lambda ls: "\n".join(ls) + "\n")


@settings(max_examples=1500, deadline=None)
@given(text=frontmatter)
def test_plain_shortcut_reads_as_libyaml(text):
    fast = _plain_frontmatter(text)
    if fast is not None:
        assert ("ok", _typed(fast)) == _safe(text)
        assert not _generic_repeated(text)
    assert _ours(text) == _safe(text)


def test_plain_shortcut_takes_the_usual_shape():
    text = ("name: api-designer-00002\ndescription: Expert api designer, for rate limiting (REST/gRPC).\n"
            "tools: Write, TodoWrite\nmodel: sonnet\ncolor: green\ncoordination:\n"
            "  hands_off_to: [db-00051, test-00052]\n  receives_from: []\n  parallel_with: [ui-9]\n")
    assert _plain_frontmatter(text) == yaml.load(text, Loader=yaml.CSafeLoader)
    for other in ("model: yes\n", "model: 1.5\n", "a: b\na: c\n", "a:\n", "a:\nb: c\n", "a: b\n  c: d\n",
                  "a:\n    b: c\n", "a: [b, on]\n", "name: x # c\n", "no: x\n", "a: b", "a: b\n\n",
                  "k" * 1100 + ": v\n"):
        assert _plain_frontmatter(other) is None, other


def test_corpus_frontmatter_through_the_shortcut(corpus_files):
    taken = 0
    for cf in corpus_files:
        if cf.doc.frontmatter is None:
            continue
        fast = _plain_frontmatter(cf.doc.frontmatter)
        if fast is not None:
            taken += 1
            assert ("ok", _typed(fast)) == _safe(cf.doc.frontmatter), cf.id
    assert taken > 0  # about half of the real files are in the plain subset
