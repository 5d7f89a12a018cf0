"""The crash journal: written while typing goes on, one per window, private, never through a
link, found again after the folder moved, and nothing typed is lost when a restore cannot take
it. Asserted on the journal files, the team's files and the model."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from sessionkit import Asked, open_session

from app.model.operations import RenameAgent, SetField

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"


def journal_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.glob("*.json") if not p.name.endswith(".old.json"))


def journaled_text(session, rel):
    return json.loads(session.journal_path().read_text())["files"][rel]["text"]


# -------------------------------------------------------------------------- while typing ----

def test_steady_typing_is_journaled_before_it_stops(qtbot, team_dir, journal):
    controller, session, panel = open_session(qtbot, team_dir, Asked())
    controller.select(["code-reviewer"])
    panel.form.description.setFocus()
    cursor = panel.form.description.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    panel.form.description.setTextCursor(cursor)
    typed = ""
    for ch in "abcdefgh":  # a key every half second: the debounce alone never fires
        qtbot.keyClicks(panel.form.description, ch)
        typed += ch
        qtbot.wait(500)
        if typed == "abcdef":
            break
    # 3 s of typing, still going on: a crash now must not lose it all.
    assert session.journal_path().exists()
    text = journaled_text(session, "code-reviewer.md")
    assert "abc" in text


def test_journal_takes_text_still_being_typed_without_an_extra_undo_step(qtbot, team_dir, journal):
    controller, session, panel = open_session(qtbot, team_dir, Asked())
    controller.select(["code-reviewer"])
    panel.form.description.setFocus()
    cursor = panel.form.description.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    panel.form.description.setTextCursor(cursor)
    qtbot.keyClicks(panel.form.description, " First")
    qtbot.waitUntil(lambda: controller.team.agent("code-reviewer").agent.description.endswith("First"))
    qtbot.keyClicks(panel.form.description, " second")
    session.write_journal()  # within the panel's commit pause: " second" is not committed yet
    assert "First second" in journaled_text(session, "code-reviewer.md")
    qtbot.keyClicks(panel.form.description, " third")
    qtbot.waitUntil(lambda: controller.team.agent("code-reviewer").agent.description.endswith("third"))
    assert controller.undo_stack.count() == 1  # one typing burst, one undo step, journal or not
    controller.undo_stack.undo()
    assert (team_dir / "code-reviewer.md").read_text() == controller.team.agent("code-reviewer").text


# ------------------------------------------------------------------------------ restoring ----

def test_a_stale_files_unsaved_text_is_kept_aside_not_deleted(qtbot, team_dir, journal):
    controller, session, _p = open_session(qtbot, team_dir, Asked())
    controller.do(SetField("api-designer", "model", "opus"))
    session.write_journal()
    session.stop()  # crash
    path = team_dir / "api-designer.md"
    path.write_text(path.read_text().replace("color: cyan", "color: teal"))  # changed since
    asked = Asked()
    controller2, _s2, _p2 = open_session(qtbot, team_dir, asked)
    assert not controller2.team.dirty()
    kept = sorted(journal.glob("*.unrestored.md"))
    assert len(kept) == 1
    assert "model: opus" in kept[0].read_text() and "color: cyan" in kept[0].read_text()
    assert asked.told and str(kept[0]) in asked.told[0]  # the user is told where
    if os.name == "posix":
        assert stat.S_IMODE(kept[0].stat().st_mode) == 0o600


def test_a_rename_is_restored_whole_or_not_at_all(qtbot, team_dir, journal):
    controller, session, _p = open_session(qtbot, team_dir, Asked())
    assert controller.do(RenameAgent("api-designer", "api-architect"))
    assert controller.do(SetField("test-engineer", "color", "purple"))
    session.write_journal()
    session.stop()  # crash
    # Another program edits one of the files the rename changed (it names api-designer).
    other = team_dir / "backend-specialist.md"
    assert "api-designer" in other.read_text()
    other.write_text(other.read_text().replace("model:", "x_note: edited elsewhere\nmodel:", 1))
    asked = Asked("restore")
    controller2, session2, _p2 = open_session(qtbot, team_dir, asked)
    team = controller2.team
    assert team.agent("test-engineer").agent.color == "purple"  # the unrelated edit came back
    # ...and no half of the rename: the old agent is there, the new one is not, and nothing
    # names an agent that does not exist.
    assert team.agent("api-designer") is not None and team.agent("api-architect") is None
    assert "api-designer.md" in team.files and "api-architect.md" not in team.files
    assert "api-designer" in team.agent("backend-specialist").agent.receives_from
    assert any("api-architect" in p.read_text() for p in journal.glob("*.unrestored.md"))
    assert session2.save_all()
    assert (team_dir / "api-designer.md").exists() and not (team_dir / "api-architect.md").exists()


def test_a_journal_is_found_after_the_folder_was_moved(qtbot, team_dir, journal, tmp_path):
    controller, session, _p = open_session(qtbot, team_dir, Asked())
    controller.do(SetField("api-designer", "model", "opus"))
    session.write_journal()
    session.stop()  # crash
    moved = tmp_path / "renamed-team"
    team_dir.rename(moved)
    asked = Asked("restore")
    controller2, session2, _p2 = open_session(qtbot, moved, asked)
    assert [k for k, _ in asked.questions] == ["restore"]
    assert controller2.team.agent("api-designer").agent.model == "opus"
    assert session2.save_all()
    assert b"model: opus" in (moved / "api-designer.md").read_bytes()
    assert journal_files(journal) == []  # restored and saved: no journal left to offer again


def test_a_journal_of_another_existing_folder_is_not_offered(qtbot, team_dir, journal, tmp_path):
    controller, session, _p = open_session(qtbot, team_dir, Asked())
    controller.do(SetField("api-designer", "model", "opus"))
    session.write_journal()
    session.stop()
    copy = tmp_path / "copy"
    shutil.copytree(team_dir, copy)  # same files, but the journal's own folder still exists
    controller2, _s2, _p2 = open_session(qtbot, copy, Asked())  # a question would fail the test
    assert not controller2.team.dirty()


# -------------------------------------------------------------------------------- windows ----

def test_two_windows_on_one_team_keep_their_own_journals(qtbot, team_dir, journal):
    controller_a, session_a, _pa = open_session(qtbot, team_dir, Asked())
    controller_b, session_b, _pb = open_session(qtbot, team_dir, Asked())  # A's journal: none yet
    controller_a.do(SetField("api-designer", "model", "opus"))
    controller_b.do(SetField("test-engineer", "color", "purple"))
    session_a.write_journal()
    session_b.write_journal()
    assert len(journal_files(journal)) == 2
    # A third window while both are open: neither live journal is offered (Asked() would fail).
    _c, _sc, _pc = open_session(qtbot, team_dir, Asked())
    assert session_a.save_all()
    assert not session_a.journal_path().exists()
    assert session_b.journal_path().exists()  # B's unsaved edit is still covered
    assert journaled_text(session_b, "test-engineer.md").count("color: purple") == 1
    session_b.stop()  # B goes away without a decision: its journal is offered next time
    asked = Asked("restore")
    controller_d, _sd, _pd = open_session(qtbot, team_dir, asked)
    assert [k for k, _ in asked.questions] == ["restore"]
    assert controller_d.team.agent("test-engineer").agent.color == "purple"


# ------------------------------------------------------------------------------- the files ----

@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_journal_is_readable_by_the_user_alone(qtbot, team_dir, journal):
    journal.mkdir(mode=0o755)
    os.chmod(journal, 0o755)  # as an older version left it
    controller, session, _p = open_session(qtbot, team_dir, Asked())
    controller.do(SetField("api-designer", "model", "opus"))
    session.write_journal()
    assert stat.S_IMODE(session.journal_path().stat().st_mode) == 0o600
    assert stat.S_IMODE(journal.stat().st_mode) == 0o700


def test_journal_is_never_written_through_a_planted_link(qtbot, team_dir, journal, tmp_path):
    controller, session, _p = open_session(qtbot, team_dir, Asked())
    victim = tmp_path / "victim.txt"
    victim.write_text("precious")
    journal.mkdir(exist_ok=True)
    target = session.journal_path()
    for name in (target, target.with_suffix(".tmp")):  # the journal's name and its old temporary one
        name.symlink_to(victim)
    controller.do(SetField("api-designer", "model", "opus"))
    session.write_journal()
    assert victim.read_text() == "precious"
    assert not target.is_symlink()
    assert journaled_text(session, "api-designer.md").count("model: opus") == 1
