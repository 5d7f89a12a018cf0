"""Bytes ⇄ text ⇄ parts of an agent file, losslessly.

`decode` keeps every byte: a UTF-8 BOM stays in the text as U+FEFF, so
`decode(raw).encode("utf-8") == raw` always holds and writing a file back is just
`text.encode("utf-8")`. `parse_document` only records offsets into the text, so
`doc.head + doc.frontmatter_raw + doc.tail == text`.
"""

from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass

BOM = "\ufeff"
# Real agent definitions are a few KB; the largest public ones are under 100 KB.
MAX_AGENT_FILE_BYTES = 2 * 1024 * 1024


class UnreadableFile(Exception):
    """str(e) is a plain-English reason (binary, not UTF-8, too big, cannot be opened)."""


def _size_words(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.0f} MB"
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def check_size(size: int, *, max_bytes: int = MAX_AGENT_FILE_BYTES) -> None:
    """Raise UnreadableFile when a file of `size` bytes is too big; call it before reading."""
    if size > max_bytes:
        raise UnreadableFile(
            f"The file is {_size_words(size)}, too large to be an agent definition "
            f"(the limit is {_size_words(max_bytes)})."
        )


def decode(raw: bytes, *, max_bytes: int = MAX_AGENT_FILE_BYTES) -> str:
    """UTF-8 bytes → text, keeping a BOM as U+FEFF. Raises UnreadableFile."""
    check_size(len(raw), max_bytes=max_bytes)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("The file is saved as UTF-16 text; agent definitions must be saved as UTF-8.")
    if b"\x00" in raw:
        raise UnreadableFile("The file looks like a binary file (it contains NUL bytes), not a text file.")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw.count(b"\n", 0, e.start) + 1
        column = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise UnreadableFile(
            f"The file is not valid UTF-8 text: byte 0x{raw[e.start]:02x} on line {line}, "
            f"column {column} cannot be read. Save the file as UTF-8."
        ) from None


def read_bytes(path: str | os.PathLike, *, max_bytes: int = MAX_AGENT_FILE_BYTES) -> bytes:
    """Read a file's bytes, checking the size first and never reading more than max_bytes + 1.

    Every failure is an UnreadableFile with a plain-English reason.
    """
    # Plain os.open/os.read: about 2x faster than a buffered file object, which matters when a
    # team of 10,000 agents loads. O_NONBLOCK so a named pipe cannot hang the load.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                if stat.S_ISDIR(st.st_mode):
                    raise UnreadableFile("This is a folder, not a file.")
                raise UnreadableFile("This is not a regular file (a pipe, socket or device).")
            size = st.st_size
            check_size(size, max_bytes=max_bytes)
            raw = os.read(fd, size + 1)  # a buffer of the file's own size, not max_bytes
            if len(raw) != size:  # a short read, or the file changed size since fstat: read on, capped
                parts = [raw]
                total = len(raw)
                while total <= max_bytes:
                    chunk = os.read(fd, max_bytes + 1 - total)
                    if not chunk:
                        break
                    parts.append(chunk)
                    total += len(chunk)
                raw = b"".join(parts)
        finally:
            os.close(fd)
    except UnreadableFile:
        raise
    except OSError as e:
        raise UnreadableFile(os_error_words(e, "read")) from None
    check_size(len(raw), max_bytes=max_bytes)
    return raw


def read_text(path: str | os.PathLike, *, max_bytes: int = MAX_AGENT_FILE_BYTES) -> tuple[bytes, str]:
    """(raw bytes, decoded text) of a file; raises UnreadableFile."""
    raw = read_bytes(path, max_bytes=max_bytes)
    return raw, decode(raw, max_bytes=max_bytes)


def os_error_words(e: OSError, action: str) -> str:
    """A plain-English sentence for an OSError met while trying to `action` ("read", "write"…)."""
    code = e.errno
    if isinstance(e, PermissionError) or code in (errno.EACCES, errno.EPERM):
        return f"Permission denied: you are not allowed to {action} this file or its folder."
    if code == errno.ENOSPC:
        return f"The disk is full: there is no space left to {action} the file."
    if code == errno.EDQUOT:
        return f"Your disk quota is used up: there is no room to {action} the file."
    if code == errno.EROFS:
        return f"The disk is read-only: cannot {action} the file."
    if isinstance(e, FileNotFoundError):
        return "The file or its folder no longer exists."
    if isinstance(e, IsADirectoryError):
        return "This is a folder, not a file."
    if isinstance(e, NotADirectoryError):
        return "Part of the path is a file where a folder was expected."
    if code == errno.ELOOP:
        return "The path is a symbolic link that loops back on itself."
    if code == errno.ENAMETOOLONG:
        return "The file name is too long."
    reason = e.strerror or str(e)
    return f"Could not {action} the file: {reason}."


@dataclass(frozen=True)
class Document:
    """Where the parts of an agent file are. Offsets are into `text` (which includes any BOM)."""

    text: str
    bom: bool  # the text starts with a UTF-8 BOM (U+FEFF)
    newline: str  # "\r\n" or "\n": the line ending of the opening fence (the file's convention)
    frontmatter: str | None  # text between the fences, "\r\n" normalised to "\n"; None = none
    frontmatter_line: int  # 1-based file line of the first frontmatter line (0 when none)
    frontmatter_start: int  # offset just after the opening fence line
    frontmatter_end: int  # offset of the closing fence line (== start when the frontmatter is empty)
    body_start: int  # offset just after the closing fence line (its newline, if any, included)
    unterminated: bool = False  # starts with a --- line that is never closed (not an agent)

    @property
    def frontmatter_raw(self) -> str:
        """The frontmatter exactly as in the file (original line endings)."""
        return self.text[self.frontmatter_start : self.frontmatter_end]

    @property
    def head(self) -> str:
        """BOM and opening fence line."""
        return self.text[: self.frontmatter_start]

    @property
    def tail(self) -> str:
        """Closing fence line and body."""
        return self.text[self.frontmatter_end :]

    @property
    def body(self) -> str:
        """Everything after the closing fence line (the whole text when there is no frontmatter)."""
        return self.text[self.body_start :]

    @property
    def body_line(self) -> int:
        """1-based file line where the body starts."""
        return self.text.count("\n", 0, self.body_start) + 1

    @property
    def final_newline(self) -> bool:
        return self.text.endswith("\n")


def _is_fence(line: str) -> bool:
    # "---" with nothing but trailing blanks (and the \r of a CRLF line ending).
    return line.startswith("---") and line[3:].strip(" \t\r") == ""


def parse_document(text: str) -> Document:
    """Find the frontmatter of an agent file. Cheap: a few str.find calls, no copying of the body."""
    bom = text.startswith(BOM)
    start = 1 if bom else 0
    end = text.find("\n", start)
    first = text[start:] if end < 0 else text[start:end]
    newline = "\r\n" if first.endswith("\r") else "\n"
    if end < 0 or not _is_fence(first):
        return Document(text, bom, newline, None, 0, 0, 0, 0)
    fm_start = end + 1
    # The closing fence is the next line that is a fence; later --- lines belong to the body.
    k = fm_start  # always the start of a line
    while True:
        e = text.find("\n", k)
        if text.startswith("---", k) and _is_fence(text[k:] if e < 0 else text[k:e]):
            break
        j = -1 if e < 0 else text.find("\n---", e)
        if j < 0:
            return Document(text, bom, newline, None, 0, 0, 0, 0, unterminated=True)
        k = j + 1
    body_start = len(text) if e < 0 else e + 1
    raw = text[fm_start:k]
    frontmatter = raw.replace("\r\n", "\n") if "\r" in raw else raw
    return Document(text, bom, newline, frontmatter, 2, fm_start, k, body_start)


def _to_file_newlines(doc: Document, new_frontmatter: str) -> str:
    """new_frontmatter ("\n" lines) in the file's line endings.

    When the old frontmatter mixes line endings, unchanged lines keep their own ending and only
    new or changed lines get the file's convention.
    """
    raw = doc.frontmatter_raw
    nl = doc.newline
    if nl == "\r\n":
        mixed = raw.count("\r\n") != raw.count("\n")
    else:
        mixed = "\r\n" in raw
    if not mixed:
        return new_frontmatter if nl == "\n" else new_frontmatter.replace("\n", nl)
    old_lines = raw.splitlines(keepends=True)
    old_keys = [ln.rstrip("\r\n") for ln in old_lines]
    new_lines = new_frontmatter.splitlines(keepends=True)
    new_keys = [ln.rstrip("\n") for ln in new_lines]
    out: list[str] = []
    import difflib  # only for files with mixed line endings; kept off the start-up path

    sm = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2)):
                ending_old = old_lines[i][len(old_keys[i]) :]
                ending_new = new_lines[j][len(new_keys[j]) :]
                out.append(new_keys[j] + (ending_old if ending_new else ""))
        else:
            out.extend(ln.replace("\n", nl) for ln in new_lines[j1:j2])
    return "".join(out)


def replace_frontmatter(text: str, new_frontmatter: str) -> str:
    """Put `new_frontmatter` ("\n" line endings) between the fences of `text`; the body is untouched.

    Raises ValueError when the text has no frontmatter.
    """
    doc = parse_document(text)
    if doc.frontmatter is None:
        raise ValueError("the text has no frontmatter to replace")
    if new_frontmatter == doc.frontmatter:
        return text
    if new_frontmatter and not new_frontmatter.endswith("\n"):
        new_frontmatter += "\n"
    return text[: doc.frontmatter_start] + _to_file_newlines(doc, new_frontmatter) + text[doc.frontmatter_end :]
