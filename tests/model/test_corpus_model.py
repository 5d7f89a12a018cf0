"""The model over every real corpus team (copied to tmp_path): loading never fails, saving an
unchanged team writes nothing, and an operation on each agent changes only its lines and undoes
to the same bytes."""

from __future__ import annotations

import difflib
import shutil

import pytest
from teamkit import CORPUS, snapshot

from app.model.operations import Link, OperationError, RenameAgent, SetField
from app.model.team import Team


@pytest.fixture(scope="module")
def corpus_copy(tmp_path_factory):
    if not CORPUS.is_dir():
        pytest.skip(f"corpus not found at {CORPUS} (CI always has it)")
    target = tmp_path_factory.mktemp("corpus")
    for folder in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
        # The corpus is kept read-only (0444); a copy to edit must be writable, as a user's team is.
        shutil.copytree(folder, target / folder.name, copy_function=shutil.copyfile)
    return target


def teams(root):
    # The hidden .claude folder holds the TaylorHuston agents; open it as the team folder.
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        inner = folder / ".claude" / "agents"
        yield inner if inner.is_dir() else folder


def diff(old: str, new: str) -> list[str]:
    return [ln for ln in difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=0)
            if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def test_every_corpus_team_loads_and_saves_nothing(corpus_copy):
    before = snapshot(corpus_copy)
    total = 0
    for folder in teams(corpus_copy):
        team = Team.load(folder)
        total += len(team.files)
        assert not team.dirty()
        assert team.save() == []
        assert not [p for p in team.problems if p.code == "unreadable-file"]
    assert total >= 390
    assert snapshot(corpus_copy) == before


def test_set_model_on_every_agent_changes_one_line_and_undoes(corpus_copy):
    checked = refused = 0
    for folder in teams(corpus_copy):
        team = Team.load(folder)
        for path, f in list(team.files.items()):
            if f.agent is None or not f.name or team.agent(f.name) is not f:
                continue
            old = f.text
            try:
                inverse = team.apply(SetField(f.name, "model", "haiku" if f.agent.model != "haiku" else "opus"))
            except OperationError as e:
                assert f.error is not None, e  # only invalid-YAML files are refused
                assert path in str(e)
                refused += 1
                continue
            changed = diff(old, team.files[path].text)
            assert len([ln for ln in changed if ln.startswith("+")]) == 1, (path, changed)
            assert all("model" in ln for ln in changed), (path, changed)
            team.apply(inverse)
            assert team.files[path].text == old
            checked += 1
        assert not team.dirty()
    # Every strictly invalid corpus file is one Claude Code reads through its fallback: none is
    # refused, and each edit changes one line there too.
    assert checked > 350 and refused == 0


def test_link_and_rename_on_the_seed_team(corpus_copy):
    folder = corpus_copy / "TaylorHuston__ai-coding-template__dee5906" / ".claude" / "agents"
    before = snapshot(folder)
    team = Team.load(folder)
    old = {p: f.text for p, f in team.files.items()}
    inverse = team.apply(Link("technical-writer", "code-reviewer"))
    changed = {p for p, f in team.files.items() if f.text != old[p]}
    assert changed == {"technical-writer.md", "code-reviewer.md"}
    for p in changed:
        assert len(diff(old[p], team.files[p].text)) == 2
    team.apply(inverse)
    inverse = team.apply(RenameAgent("backend-specialist", "server-specialist"))
    assert "server-specialist.md" in team.files and "backend-specialist.md" not in team.files
    assert not [p for p in team.problems if p.code == "unknown-reference"]
    assert team.save() == []
    team.apply(inverse)
    assert team.save() == []
    assert snapshot(folder) == before
