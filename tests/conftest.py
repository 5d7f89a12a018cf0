"""Shared test set-up. Qt renders offscreen so no display server is needed."""

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Crash journals of test sessions go to a throwaway folder, never the user's data folder.
os.environ.setdefault("AGENT_CANVAS_JOURNAL_DIR", tempfile.mkdtemp(prefix="agent-canvas-journal-"))
# Files of deleted agents go to the trash on save: on Linux, a throwaway one (send2trash reads
# XDG_DATA_HOME when it is first imported, after this).
os.environ["XDG_DATA_HOME"] = tempfile.mkdtemp(prefix="agent-canvas-data-")
# Parsed-frontmatter caches of test sessions likewise go to a throwaway folder.
os.environ.setdefault("AGENT_CANVAS_CACHE_DIR", tempfile.mkdtemp(prefix="agent-canvas-cache-"))
# The editor shows the user's own agents and plugins ($CLAUDE_CONFIG_DIR, else ~/.claude) beside
# a team: tests see an empty folder, never the developer's, unless they make their own HOME.
os.environ["CLAUDE_CONFIG_DIR"] = tempfile.mkdtemp(prefix="agent-canvas-claude-")

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT.parent / "shared" / "corpus"
SEED = ROOT.parent / "shared" / "seed" / "backend-specialist.md"
SAMPLE_TEAM = ROOT / "agents"


def corpus_files():
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.rglob("*.md") if p.name != "SOURCES.md")


@pytest.fixture
def corpus():
    files = corpus_files()
    if not files:
        pytest.skip(f"corpus not found at {CORPUS} (CI always has it)")
    return files
