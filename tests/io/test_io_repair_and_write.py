"""repair() on synthetic invalid frontmatter, and atomic_write's promises."""

import copy
import errno
import os
import stat

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from app.io import atomic
from app.io.atomic import WriteConflict, WriteError, atomic_write
from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.io.repair import repair
from app.io.writer import EditError, SetValue, apply_edits


def _data(text):
    doc = parse_document(text)
    fm = read_frontmatter(doc.frontmatter, doc.frontmatter_line)
    assert fm.error is None, fm.error
    return fm.data


# ------------------------------------------------------------------ repair


def test_repair_quotes_only_the_offending_line_and_keeps_crlf_bom_and_body():
    text = "\ufeff---\r\nname: a\r\ndescription: Use this: when it's late # note\r\nmodel: opus\r\n---\r\nbody: x\r\n"
    fixed = repair(text)
    # Claude Code's fallback quotes the whole value, " # note" included: Repair keeps that meaning.
    assert fixed == ("\ufeff---\r\nname: a\r\ndescription: 'Use this: when it''s late # note'\r\nmodel: opus\r\n"
                     "---\r\nbody: x\r\n")
    assert _data(fixed)["description"] == "Use this: when it's late # note"


def test_repair_handles_several_lines_nested_keys_and_continuations():
    text = (
        "---\n"
        "name: fixer: deluxe\n"
        "description: Use when: a\n"
        "  and also: b\n"
        "coordination:\n"
        "  note: see: docs\n"
        "  hands_off_to: [x]\n"
        "---\n"
    )
    data = _data(repair(text))
    assert data == {"name": "fixer: deluxe", "description": "Use when: a and also: b",
                    "coordination": {"note": "see: docs", "hands_off_to": ["x"]}}
    unchanged = [ln for ln in repair(text).splitlines() if ln in text.splitlines()]
    assert "  hands_off_to: [x]" in unchanged and "coordination:" in unchanged


@pytest.mark.parametrize(
    ("frontmatter", "expected"),
    [
        ("description: first part\n  continued: here\nmodel: x\n",
         {"description": "first part continued: here", "model": "x"}),
        ("description: a\n  b\n    c: d\nmodel: x\n", {"description": "a b c: d", "model": "x"}),
        ("coordination:\n  note: see\n  x: a: b\n", {"coordination": {"note": "see", "x": "a: b"}}),
        ("hooks:\n  - command: echo a: b\n    type: x\n", {"hooks": [{"command": "echo a: b", "type": "x"}]}),
        ("hooks:\n  - command: echo a\n      more: b\n    type: x\n",
         {"hooks": [{"command": "echo a more: b", "type": "x"}]}),
    ],
)
def test_repair_finds_the_value_a_bad_line_belongs_to(frontmatter, expected):
    text = f"---\n{frontmatter}---\nbody\n"
    assert _data(repair(text)) == expected


def test_repair_returns_valid_text_unchanged():
    text = "---\nname: a\n---\n"
    assert repair(text) is text


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("---\nname: a\n\tmodel: b\n---\n", "tab"),
        ("---\nname: a\nname: b\n---\n", "appears twice"),
        ("no frontmatter\n", "no frontmatter"),
    ],
)
def test_repair_refuses_what_it_cannot_fix_safely(text, words):
    with pytest.raises(EditError, match=words):
        repair(text)


# ------------------------------------------------------------------ atomic_write


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_replaces_and_keeps_the_mode(tmp_path):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")
    os.chmod(f, 0o640)
    atomic_write(f, b"new", expected=b"old")
    assert f.read_bytes() == b"new"
    assert stat.S_IMODE(f.stat().st_mode) == 0o640
    assert _leftovers(tmp_path) == []


def test_new_file_must_not_exist(tmp_path):
    f = tmp_path / "new.md"
    atomic_write(f, b"hello", expected=None)
    assert f.read_bytes() == b"hello"
    assert stat.S_IMODE(f.stat().st_mode) == 0o666 & ~atomic._umask()
    with pytest.raises(WriteConflict, match="already exists"):
        atomic_write(f, b"other", expected=None)
    assert f.read_bytes() == b"hello"
    assert _leftovers(tmp_path) == []


def test_conflicts_are_refused_and_nothing_is_written(tmp_path):
    f = tmp_path / "a.md"
    f.write_bytes(b"changed by someone else")
    with pytest.raises(WriteConflict, match="changed by another program"):
        atomic_write(f, b"mine", expected=b"what I read")
    assert f.read_bytes() == b"changed by someone else"
    f.unlink()
    with pytest.raises(WriteConflict, match="deleted or moved"):
        atomic_write(f, b"mine", expected=b"what I read")
    assert not f.exists()
    assert _leftovers(tmp_path) == []


def test_a_symlink_stays_a_symlink(tmp_path):
    target = tmp_path / "real.md"
    target.write_bytes(b"old")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    atomic_write(link, b"new", expected=b"old")
    assert link.is_symlink() and target.read_bytes() == b"new"


def test_vanished_folder(tmp_path):
    with pytest.raises(WriteError, match="no longer exists"):
        atomic_write(tmp_path / "gone" / "a.md", b"x", expected=None)


@pytest.mark.parametrize(
    ("where", "error", "words"),
    [
        ("write", OSError(errno.ENOSPC, "No space left on device"), "disk is full"),
        ("fsync", OSError(errno.EDQUOT, "Disk quota exceeded"), "quota"),
        ("replace", PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
        ("mkstemp", PermissionError(errno.EACCES, "Permission denied"), "Permission denied"),
        ("replace", OSError(errno.EROFS, "Read-only file system"), "read-only"),
        ("write", OSError(errno.EIO, "Input/output error"), "Input/output error"),
    ],
)
def test_os_failures_become_plain_words_and_leave_no_trace(tmp_path, monkeypatch, where, error, words):
    f = tmp_path / "a.md"
    f.write_bytes(b"old")

    def fail(*args, **kwargs):
        raise error

    target = {"write": (os, "write"), "fsync": (os, "fsync"), "replace": (os, "replace"),
              "mkstemp": (atomic.tempfile, "mkstemp")}[where]
    monkeypatch.setattr(*target, fail)
    with pytest.raises(WriteError, match=words) as e:
        atomic_write(f, b"new", expected=b"old")
    assert not isinstance(e.value, WriteConflict)
    assert "a.md" in str(e.value) and "Errno" not in str(e.value)
    monkeypatch.undo()
    assert f.read_bytes() == b"old"
    assert _leftovers(tmp_path) == []


@pytest.mark.skipif(getattr(os, "geteuid", lambda: -1)() == 0, reason="root ignores folder permissions; simulated in the test above")
def test_read_only_folder_for_real(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    f = folder / "a.md"
    f.write_bytes(b"old")
    folder.chmod(0o555)
    try:
        with pytest.raises(WriteError, match="Permission denied"):
            atomic_write(f, b"new", expected=b"old")
        assert f.read_bytes() == b"old"
    finally:
        folder.chmod(0o755)
    assert _leftovers(folder) == []


def test_new_file_without_hard_links_falls_back_to_a_checked_replace(tmp_path, monkeypatch):
    def no_links(*a, **k):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    f = tmp_path / "n.md"
    atomic_write(f, b"x", expected=None)
    assert f.read_bytes() == b"x" and _leftovers(tmp_path) == []


@pytest.mark.parametrize("value", ["@mention people", "`code` here: x", "*star", "%pct", "!red", "x: y: z"])
def test_repair_quotes_values_starting_with_reserved_characters(value):
    fixed = repair(f"---\nname: a\ndescription: {value}\n---\nbody\n")
    assert _data(fixed) == {"name": "a", "description": value}
    assert fixed.endswith("\n---\nbody\n") and fixed.startswith("---\nname: a\n")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=":-[]{}#&*!|>'\"%@`,? \n\tab0.~", max_size=60))
def test_repair_and_edit_of_any_text_succeed_or_refuse_in_words(frontmatter):
    text = f"---\n{frontmatter}\n---\nbody\n"
    for action in (lambda: repair(text), lambda: apply_edits(text, [SetValue(("model",), "opus")])):
        try:
            out = action()
        except EditError as e:
            assert str(e)
            continue
        doc = parse_document(out)
        assert doc.body == parse_document(text).body
        assert read_frontmatter(doc.frontmatter, doc.frontmatter_line).error is None


_WORD = st.text(alphabet="abcdefgh xyz", min_size=1, max_size=8).map(str.strip).filter(bool)
_KEYS = st.sampled_from(["name", "model", "tools", "coordination", "hooks", "command", "type"])
_TREE = st.recursive(_WORD, lambda c: st.one_of(st.lists(c, min_size=1, max_size=3),
                                                st.dictionaries(_KEYS, c, min_size=1, max_size=3)), max_leaves=8)


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _leaves(v, (*path, i))
    else:
        yield path, node


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.dictionaries(_KEYS, _TREE, min_size=1, max_size=4), st.sampled_from([2, 4]), st.data())
def test_repair_restores_what_the_author_meant_in_any_layout(data, indent, draw):
    """Take valid YAML, break one value the way real files are broken, repair: the meaning is the
    original data with that value, colon included."""
    frontmatter = yaml.safe_dump(data, default_flow_style=False, indent=indent, sort_keys=False, width=10**9)
    leaves = [(p, v) for p, v in _leaves(data) if isinstance(p[-1], str)]
    assume(leaves)
    path, value = draw.draw(st.sampled_from(leaves))
    lines = frontmatter.split("\n")
    hits = [i for i, ln in enumerate(lines) if ln.endswith(f"{path[-1]}: {value}")]
    assume(len(hits) == 1 and sum(ln.endswith(f": {value}") for ln in lines) == 1)
    lines[hits[0]] += ": oops"
    expected = copy.deepcopy(data)
    node = expected
    for k in path[:-1]:
        node = node[k]
    node[path[-1]] = f"{value}: oops"
    fixed = repair("---\n" + "\n".join(lines) + "---\nbody\n")
    assert _data(fixed) == expected
    assert fixed.endswith("---\nbody\n")
