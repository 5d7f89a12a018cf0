"""Fixtures for app/io tests: the corpus read once per session, and a line-diff helper."""

import difflib
from dataclasses import dataclass
from pathlib import Path

import pytest

from app.io.document import Document, decode, parse_document
from app.io.reader import Frontmatter, read_frontmatter

CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus"


@dataclass
class CorpusFile:
    path: Path
    raw: bytes
    text: str
    doc: Document
    fm: Frontmatter

    @property
    def id(self) -> str:
        return str(self.path.relative_to(CORPUS))


@pytest.fixture(scope="session")
def corpus_files() -> list[CorpusFile]:
    paths = sorted(p for p in CORPUS.rglob("*.md") if p.name != "SOURCES.md") if CORPUS.is_dir() else []
    if not paths:
        pytest.skip(f"corpus not found at {CORPUS} (CI always has it)")
    out = []
    for p in paths:
        raw = p.read_bytes()
        text = decode(raw)
        doc = parse_document(text)
        # fm: the strict YAML reading (what libyaml alone says), which these tests compare against
        fm = (read_frontmatter(doc.frontmatter, doc.frontmatter_line, lenient=False)
              if doc.frontmatter is not None else None)
        out.append(CorpusFile(p, raw, text, doc, fm))
    return out


@pytest.fixture(scope="session")
def valid_corpus(corpus_files) -> list[CorpusFile]:
    return [c for c in corpus_files if c.fm is not None and c.fm.error is None]


@pytest.fixture(scope="session")
def invalid_corpus(corpus_files) -> list[CorpusFile]:
    return [c for c in corpus_files if c.fm is not None and c.fm.error is not None]


def line_changes(before: str, after: str) -> list[tuple[str, list[str], list[str]]]:
    """(tag, removed lines, added lines) for every non-equal block, line endings kept."""
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    sm = difflib.SequenceMatcher(None, a, b, autojunk=False)
    return [(tag, a[i1:i2], b[j1:j2]) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal"]


@pytest.fixture
def changes():
    return line_changes
