"""decode / parse_document / replace_frontmatter: lossless splitting of agent files."""

import os

import pytest

from app.io.document import (
    MAX_AGENT_FILE_BYTES,
    UnreadableFile,
    check_size,
    decode,
    parse_document,
    read_bytes,
    read_text,
    replace_frontmatter,
)

# ------------------------------------------------------------------ decode


def test_decode_keeps_every_byte_including_a_bom():
    raw = b"\xef\xbb\xbf---\r\nname: caf\xc3\xa9\r\n---\r\n"
    text = decode(raw)
    assert text.startswith("\ufeff---")
    assert text.encode("utf-8") == raw


def test_nul_bytes_mean_binary():
    with pytest.raises(UnreadableFile, match="looks like a binary file"):
        decode(b"---\nname: a\n---\n\x00\x01\x02")


def test_invalid_utf8_says_where():
    raw = b"---\nname: a\ndescription: caf\xe9 au lait\n---\n"
    with pytest.raises(UnreadableFile) as e:
        decode(raw)
    message = str(e.value)
    assert "not valid UTF-8" in message
    assert "line 3" in message and "column 17" in message and "0xe9" in message


def test_utf16_is_named():
    with pytest.raises(UnreadableFile, match="UTF-16"):
        decode("---\nname: a\n---\n".encode("utf-16"))


def test_too_large_says_the_size_in_words():
    with pytest.raises(UnreadableFile, match=r"is 50 MB, too large to be an agent definition"):
        check_size(50 * 1024 * 1024)
    with pytest.raises(UnreadableFile, match="too large"):
        decode(b"a" * 11, max_bytes=10)
    assert decode(b"a" * 10, max_bytes=10) == "a" * 10


def test_read_bytes_checks_size_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "huge.md"
    with open(big, "wb") as f:  # sparse: 50 MB on paper, nothing on disk
        f.truncate(50 * 1024 * 1024)
    reads = []
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: reads.append(n) or real_read(fd, n))
    with pytest.raises(UnreadableFile, match="is 50 MB, too large"):
        read_bytes(big)
    assert reads == []  # refused on the size alone
    small = tmp_path / "small.md"
    small.write_bytes(b"x" * 100)
    assert read_bytes(small) == b"x" * 100
    assert reads == [101]  # one read, sized to the file


def test_read_bytes_survives_short_reads_and_stays_capped(tmp_path, monkeypatch):
    f = tmp_path / "a.md"
    f.write_bytes(b"0123456789" * 10)
    real_read = os.read
    monkeypatch.setattr(os, "read", lambda fd, n: real_read(fd, min(n, 7)))
    assert read_bytes(f) == b"0123456789" * 10
    # the file grew after fstat said 10 bytes: reading goes on but stops past the cap
    real_fstat = os.fstat

    def stale_fstat(fd):
        st = real_fstat(fd)
        return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 10,
                               st.st_atime, st.st_mtime, st.st_ctime))

    monkeypatch.setattr(os, "fstat", stale_fstat)
    assert read_bytes(f) == b"0123456789" * 10
    asked = []
    monkeypatch.setattr(os, "read", lambda fd, n: asked.append(n) or real_read(fd, min(n, 7)))
    with pytest.raises(UnreadableFile, match="too large"):
        read_bytes(f, max_bytes=50)
    assert sum(min(n, 7) for n in asked) <= 51 + 7


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="Windows has no named pipes (os.mkfifo)")
def test_a_named_pipe_does_not_hang(tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(UnreadableFile, match="not a regular file"):
        read_bytes(fifo)


def test_read_text_reports_os_errors_in_words(tmp_path):
    with pytest.raises(UnreadableFile, match="no longer exists"):
        read_text(tmp_path / "missing.md")
    with pytest.raises(UnreadableFile, match="folder, not a file"):
        read_text(tmp_path)
    loop = tmp_path / "loop.md"
    os.symlink(loop, loop)
    with pytest.raises(UnreadableFile, match="loops back"):
        read_text(loop)
    ok = tmp_path / "ok.md"
    ok.write_bytes(b"---\nname: a\n---\n")
    assert read_text(ok) == (b"---\nname: a\n---\n", "---\nname: a\n---\n")
    assert MAX_AGENT_FILE_BYTES >= 1024 * 1024


# ------------------------------------------------------------------ parse_document


def test_simple_file():
    text = "---\nname: a\nmodel: sonnet\n---\n\n# Body\n"
    doc = parse_document(text)
    assert doc.frontmatter == "name: a\nmodel: sonnet\n"
    assert doc.frontmatter_line == 2
    assert doc.body == "\n# Body\n"
    assert doc.body_line == 5
    assert (doc.bom, doc.newline, doc.final_newline) == (False, "\n", True)
    assert doc.head + doc.frontmatter_raw + doc.tail == text


def test_crlf_is_normalised_in_frontmatter_only():
    text = "---\r\nname: a\r\ntools: Read\r\n---\r\nbody\r\n"
    doc = parse_document(text)
    assert doc.newline == "\r\n"
    assert doc.frontmatter == "name: a\ntools: Read\n"
    assert doc.frontmatter_raw == "name: a\r\ntools: Read\r\n"
    assert doc.body == "body\r\n"


def test_bom_is_remembered():
    doc = parse_document("\ufeff---\nname: a\n---\nbody")
    assert doc.bom and doc.frontmatter == "name: a\n" and doc.body == "body"
    assert doc.head == "\ufeff---\n"


def test_closing_fence_is_the_first_fence_line_and_body_rules_stay_in_the_body():
    text = "---\nname: a\n---\nintro\n---\nmore: text\n---\n"
    doc = parse_document(text)
    assert doc.frontmatter == "name: a\n"
    assert doc.body == "intro\n---\nmore: text\n---\n"


def test_longer_dash_lines_do_not_close_the_frontmatter():
    doc = parse_document("---\nname: a\n----\n---\nbody")
    assert doc.frontmatter == "name: a\n----\n"


def test_body_right_after_fence_and_no_final_newline():
    doc = parse_document("---\nname: a\n---\n# Title")
    assert doc.body == "# Title" and not doc.final_newline
    doc = parse_document("---\nname: a\n---")
    assert doc.frontmatter == "name: a\n" and doc.body == ""


def test_empty_frontmatter():
    doc = parse_document("---\n---\nbody\n")
    assert doc.frontmatter == "" and doc.body == "body\n"


def test_fences_with_trailing_blanks():
    doc = parse_document("--- \nname: a\n---\t\nbody")
    assert doc.frontmatter == "name: a\n" and doc.body == "body"


@pytest.mark.parametrize("text", ["# Just docs\n", "", "---", "name: a\n---\n", " ---\nname: a\n---\n"])
def test_no_frontmatter(text):
    doc = parse_document(text)
    assert doc.frontmatter is None and not doc.unterminated
    assert doc.body == text


def test_unclosed_frontmatter_is_flagged():
    doc = parse_document("---\nname: a\nbody text\n")
    assert doc.frontmatter is None and doc.unterminated


# ------------------------------------------------------------------ replace_frontmatter


def test_replace_keeps_body_bom_and_crlf():
    text = "\ufeff---\r\nname: a\r\n---\r\nbody\r\n---\r\nrule above"
    out = replace_frontmatter(text, "name: b\nmodel: opus\n")
    assert out == "\ufeff---\r\nname: b\r\nmodel: opus\r\n---\r\nbody\r\n---\r\nrule above"


def test_replace_with_same_frontmatter_is_identity():
    text = "---\r\nname: a\n---\nx"  # mixed endings
    assert replace_frontmatter(text, "name: a\n") is text


def test_replace_keeps_each_unchanged_lines_ending_when_endings_are_mixed():
    text = "---\r\na: 1\nb: 2\r\n---\r\n"
    assert replace_frontmatter(text, "a: 1\nb: 3\nc: 4\n") == "---\r\na: 1\nb: 3\r\nc: 4\r\n---\r\n"


def test_replace_adds_missing_newline_and_refuses_without_frontmatter():
    assert replace_frontmatter("---\n---\n", "name: a") == "---\nname: a\n---\n"
    with pytest.raises(ValueError):
        replace_frontmatter("no frontmatter", "name: a\n")


# ------------------------------------------------------------------ corpus


def test_every_corpus_file_is_an_agent_and_splits_losslessly(corpus_files):
    for c in corpus_files:
        assert c.text.encode("utf-8") == c.raw, c.id
        assert c.doc.frontmatter is not None, c.id
        assert c.doc.head + c.doc.frontmatter_raw + c.doc.tail == c.text, c.id
        assert replace_frontmatter(c.text, c.doc.frontmatter).encode("utf-8") == c.raw, c.id
        # a real splice (different frontmatter) and back again gives the original bytes
        changed = replace_frontmatter(c.text, c.doc.frontmatter + "extra: 1\n")
        assert changed != c.text and parse_document(changed).body == c.doc.body, c.id
        assert replace_frontmatter(changed, c.doc.frontmatter).encode("utf-8") == c.raw, c.id


def test_corpus_has_the_quirks_these_tests_rely_on(corpus_files):
    no_final_newline = [c for c in corpus_files if not c.text.endswith("\n")]
    body_rules = [c for c in corpus_files if any(ln.rstrip() == "---" for ln in c.doc.body.splitlines())]
    tight_body = [c for c in corpus_files if c.doc.body and c.doc.body.splitlines()[0].strip()]
    assert len(no_final_newline) > 100 and len(body_rules) > 10 and len(tight_body) > 10
    for c in body_rules:
        assert "---" not in c.doc.frontmatter.splitlines(), c.id  # the frontmatter stopped at the first fence
