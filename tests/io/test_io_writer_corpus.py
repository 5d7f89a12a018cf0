"""Writer over every real corpus file: ruamel round trip, edits touching only their lines, repair."""

import io

from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.io.repair import repair
from app.io.writer import DeleteKey, SetValue, _indent_guess, _yaml, apply_edits


def test_ruamel_reproduces_every_valid_corpus_frontmatter(valid_corpus):
    assert len(valid_corpus) >= 380
    for c in valid_corpus:
        fm = c.doc.frontmatter
        y = _yaml(*_indent_guess(fm.split("\n")))
        buf = io.StringIO()
        y.dump(y.load(fm), buf)
        assert buf.getvalue() == fm, c.id


def _read(text):
    doc = parse_document(text)
    return doc, read_frontmatter(doc.frontmatter, doc.frontmatter_line)


def _only(changes, text, out, kinds):
    diff = changes(text, out)
    assert [(tag, len(a), len(b)) for tag, a, b in diff] in kinds, diff
    return diff


def test_set_model_changes_one_line_in_every_valid_corpus_file(valid_corpus, changes):
    for c in valid_corpus:
        new = "haiku" if c.fm.data.get("model") == "opus" else "opus"
        out = apply_edits(c.text, [SetValue(("model",), new)])
        if "model" in c.fm.data:
            diff = _only(changes, c.text, out, [[("replace", 1, 1)]])
            assert diff[0][2][0].rstrip("\r\n") == f"model: {new}", c.id
        else:
            diff = _only(changes, c.text, out, [[("insert", 0, 1)]])
        doc, fm = _read(out)
        assert doc.body == c.doc.body and fm.data == {**c.fm.data, "model": new}, c.id
        assert out.endswith("\n") == c.text.endswith("\n"), c.id


def test_link_rename_and_delete_in_every_valid_corpus_file(valid_corpus, changes):
    for c in valid_corpus:
        coordination = c.fm.data.get("coordination") or {}
        targets = list(coordination.get("hands_off_to") or [])
        out = apply_edits(c.text, [SetValue(("coordination", "hands_off_to"), [*targets, "zz-new-agent"])])
        if "hands_off_to" in coordination:
            kinds = [[("replace", 1, 1)], [("insert", 0, 1)]]  # flow list line, or one block item
        elif "coordination" in c.fm.data:
            kinds = [[("insert", 0, 1)], [("insert", 0, 2)]]
        else:
            kinds = [[("insert", 0, 2)], [("insert", 0, 3)]]  # coordination: + the list
        _only(changes, c.text, out, kinds)
        assert _read(out)[1].data["coordination"]["hands_off_to"] == [*targets, "zz-new-agent"], c.id

        out = apply_edits(c.text, [SetValue(("name",), "renamed-agent")])
        _only(changes, c.text, out, [[("replace", 1, 1)]])

        out = apply_edits(c.text, [DeleteKey(("description",))])
        doc, fm = _read(out)
        assert "description" not in fm.data and doc.body == c.doc.body, c.id
        assert all(tag == "delete" for tag, _, _ in changes(c.text, out)), c.id


def test_edits_of_every_invalid_corpus_file_claude_code_reads_change_only_their_line(invalid_corpus, changes):
    # Every strictly invalid corpus file is one Claude Code reads through its fallback: it is
    # edited like any other, and its unquoted lines stay as they were.
    for c in invalid_corpus:
        before = read_frontmatter(c.doc.frontmatter, c.doc.frontmatter_line)
        assert before.lenient, c.id
        new = apply_edits(c.text, [SetValue(("model",), "opus-edited")])
        diff = changes(c.text, new)
        assert len(diff) == 1 and len(diff[0][1]) <= 1 and len(diff[0][2]) == 1, (c.id, diff)
        assert "opus-edited" in diff[0][2][0], c.id
        _, after = _read(new)
        assert after.lenient and after.data == {**before.data, "model": "opus-edited"}, c.id


def test_repair_fixes_every_invalid_corpus_file_without_changing_meaning(invalid_corpus, changes):
    for c in invalid_corpus:
        fixed = repair(c.text)
        doc, fm = _read(fixed)
        assert fm.error is None, (c.id, fm.error)
        assert doc.body == c.doc.body and doc.bom == c.doc.bom, c.id
        for key, value in c.fm.recovered.items():
            assert fm.data[key] == value, (c.id, key)
        diff = changes(c.text, fixed)
        assert len(diff) == 1 and diff[0][0] == "replace" and len(diff[0][1]) == 1, c.id
        assert diff[0][1][0].startswith("description: "), c.id
        # a repaired file is editable again
        assert "model: opus" in apply_edits(fixed, [SetValue(("model",), "opus")])


def test_repair_leaves_valid_corpus_files_alone(valid_corpus):
    for c in valid_corpus[:50]:
        assert repair(c.text) is c.text
