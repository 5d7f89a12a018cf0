"""The words of the review before save, for edits made through operations; the expected lines
are written out by hand from what each operation does to the sample team."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.model import operations as ops
from app.model.save_summary import save_summary, saved_message
from app.model.team import Team

SAMPLE = Path(__file__).resolve().parents[2] / "agents"


@pytest.fixture
def team(tmp_path) -> Team:
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE, folder)
    return Team.load(folder)


def test_a_field_and_a_relation(team):
    team.apply(ops.SetField("backend-specialist", "model", "opus"))
    team.apply(ops.Link("backend-specialist", "devops-engineer"))
    s = save_summary(team)
    assert s.lines() == [
        "backend-specialist: model sonnet → opus; hand-off to devops-engineer added",
        "devops-engineer: receives from backend-specialist added",
    ]
    assert s.totals() == "2 files"
    assert s.text().endswith("— 2 files")


def test_a_delete_says_the_file_goes_to_the_trash(team):
    team.apply(ops.RemoveAgent("docs-sync-agent"))
    s = save_summary(team)
    assert s.lines()[-1] == "docs-sync-agent: deleted (docs-sync-agent.md goes to the trash)"
    assert s.trashed == 1 and s.totals().endswith("1 file moved to the trash")
    assert s.headline() == f"Save writes {len(s.lines()) - 1} files and moves 1 file to the trash."
    assert all("docs-sync-agent removed" in line for line in s.lines()[:-1])


def test_a_rename_is_one_rename_not_a_delete_and_a_new_file(team):
    team.apply(ops.RenameAgent("security-auditor", "sec-auditor"))
    s = save_summary(team)
    assert s.trashed == 0
    assert "sec-auditor: renamed from security-auditor (security-auditor.md → sec-auditor.md)" in s.lines()
    assert "backend-specialist: hand-off to security-auditor now says sec-auditor" in s.lines()


def test_new_agents_long_values_and_instructions(team):
    team.apply(ops.AddAgent("helper", "Helps. Use when stuck."))
    team.apply(ops.SetField("code-reviewer", "description", "A much longer description that is not quoted "
                                                             "in the summary because it is long."))
    team.apply(ops.SetBody("test-engineer", "New instructions.\n"))
    team.apply(ops.SetField("api-designer", "color", None))
    s = save_summary(team)
    assert set(s.lines()) == {"helper: new agent (helper.md)", "code-reviewer: description changed",
                              "test-engineer: instructions changed", "api-designer: color removed"}


def test_nothing_changed_and_the_status_line(team):
    assert save_summary(team).empty
    team.apply(ops.SetField("backend-specialist", "model", "opus"))
    assert saved_message(save_summary(team)) == "Saved backend-specialist — 1 file"
    team.apply(ops.SetField("backend-specialist", "model", "sonnet"))  # back as on disk
    assert save_summary(team).empty
