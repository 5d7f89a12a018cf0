"""Saving, other programs' changes and the crash journal, asserted on files and the model."""

from __future__ import annotations

import json
from pathlib import Path

import sessionkit
from sessionkit import Asked

from app.io import atomic
from app.model.operations import SetField
from app.model.team import Team

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"


def open_session(qtbot, folder, asked=None):
    return sessionkit.open_session(qtbot, folder, asked)[:2]


def test_external_change_to_clean_file_reloads_in_place(qtbot, team_dir, journal):
    asked = Asked()
    controller, session = open_session(qtbot, team_dir, asked)
    path = team_dir / "api-designer.md"
    path.write_text(path.read_text().replace("model: sonnet", "model: opus"))
    session._path_changed(str(path))
    session.process_disk_changes()
    af = controller.team.agent("api-designer")
    assert af.agent.model == "opus"
    assert not af.dirty and not controller.team.dirty()
    assert asked.questions == []  # no dialog for a clean file


def test_watcher_notices_a_change_by_itself(qtbot, team_dir, journal):
    controller, _session = open_session(qtbot, team_dir, Asked())
    path = team_dir / "api-designer.md"
    path.write_text(path.read_text().replace("model: sonnet", "model: haiku"))
    qtbot.waitUntil(lambda: controller.team.agent("api-designer").agent.model == "haiku", timeout=5000)


def test_our_own_save_is_not_an_outside_change(qtbot, team_dir, journal):
    asked = Asked()
    controller, session = open_session(qtbot, team_dir, asked)
    controller.do(SetField("api-designer", "model", "opus"))
    assert session.save_all()
    session._path_changed(str(team_dir / "api-designer.md"))
    session.process_disk_changes()
    assert asked.questions == []
    assert controller.undo_stack.count() == 1  # history survives: nothing was reloaded


def test_new_and_deleted_files_from_other_programs(qtbot, team_dir, journal):
    controller, session = open_session(qtbot, team_dir, Asked())
    new = team_dir / "release-manager.md"
    new.write_text("---\nname: release-manager\ndescription: Ships releases.\n---\n\nShip it.\n")
    (team_dir / "performance-optimizer.md").unlink()
    session._path_changed(str(team_dir))
    session.process_disk_changes()
    names = controller.team.names()
    assert "release-manager" in names
    assert "performance-optimizer" not in names


def _dirty_and_changed(qtbot, team_dir, answer):
    asked = Asked(answer)
    controller, session = open_session(qtbot, team_dir, asked)
    controller.do(SetField("api-designer", "model", "opus"))
    path = team_dir / "api-designer.md"
    theirs = path.read_text().replace("color: ", "color: teal\nx_old_color: ", 1).encode()
    path.write_bytes(theirs)
    session._path_changed(str(path))
    session.process_disk_changes()
    assert [k for k, _ in asked.questions] == ["conflict"]
    return controller, session, path, theirs


def test_conflict_keep_mine(qtbot, team_dir, journal):
    controller, session, path, theirs = _dirty_and_changed(qtbot, team_dir, "mine")
    af = controller.team.agent("api-designer")
    assert af.agent.model == "opus" and af.dirty
    assert path.read_bytes() == theirs  # nothing written until the user saves
    assert session.save_all()  # no conflict refusal: the user chose their version
    saved = path.read_text()
    assert "model: opus" in saved and "x_old_color" not in saved


def test_conflict_take_the_disks(qtbot, team_dir, journal):
    controller, _session, _path, theirs = _dirty_and_changed(qtbot, team_dir, "disk")
    af = controller.team.agent("api-designer")
    assert af.text.encode() == theirs and not af.dirty
    assert af.agent.model == "sonnet"
    assert af.agent.color == "teal"


def test_conflict_diff_then_decide(qtbot, team_dir, journal):
    asked = Asked("diff", "mine")
    controller, session = open_session(qtbot, team_dir, asked)
    shown = []
    session.show_diff = lambda path, mine, disk: shown.append((path, mine, disk)) or None
    controller.do(SetField("api-designer", "model", "opus"))
    path = team_dir / "api-designer.md"
    path.write_text(path.read_text().replace("model: sonnet", "model: haiku"))
    session._path_changed(str(path))
    session.process_disk_changes()
    assert shown and "model: opus" in shown[0][1] and "model: haiku" in shown[0][2]
    assert controller.team.agent("api-designer").agent.model == "opus"


def test_save_failure_keeps_edits_and_says_why(qtbot, team_dir, journal, monkeypatch):
    asked = Asked()
    controller, session = open_session(qtbot, team_dir, asked)
    controller.do(SetField("api-designer", "model", "opus"))
    before = (team_dir / "api-designer.md").read_bytes()

    def full_disk(path, data, *, expected, root=None):
        raise atomic.WriteError("The disk is full.")

    monkeypatch.setattr(atomic, "atomic_write", full_disk)
    assert session.save_all() is False
    assert asked.told and "disk is full" in asked.told[0] and "api-designer.md" in asked.told[0]
    assert (team_dir / "api-designer.md").read_bytes() == before
    assert controller.team.dirty()
    assert controller.team.agent("api-designer").agent.model == "opus"
    monkeypatch.undo()
    assert session.save_all()
    assert b"model: opus" in (team_dir / "api-designer.md").read_bytes()


def test_confirm_close(qtbot, team_dir, journal):
    asked = Asked("cancel", "discard")
    controller, session = open_session(qtbot, team_dir, asked)
    assert session.confirm_close() is True and asked.questions == []  # nothing unsaved: no question
    controller.do(SetField("api-designer", "model", "opus"))
    assert session.confirm_close() is False
    assert session.confirm_close() is True
    assert (team_dir / "api-designer.md").read_bytes() == (SAMPLE_TEAM / "api-designer.md").read_bytes()
    asked.answers = ["save"]
    assert session.confirm_close() is True
    assert b"model: opus" in (team_dir / "api-designer.md").read_bytes()


def test_crash_journal_restore(qtbot, team_dir, journal):
    controller, session = open_session(qtbot, team_dir, Asked())
    controller.do(SetField("api-designer", "model", "opus"))
    controller.do(SetField("test-engineer", "color", "purple"))
    qtbot.waitUntil(lambda: session.journal_path().exists(), timeout=5000)
    data = json.loads(session.journal_path().read_text())
    assert data["team"] == str(team_dir.resolve())
    assert set(data["files"]) == {"api-designer.md", "test-engineer.md"}
    session.stop()  # "crash": nothing saved, the journal stays; another program changes a file

    path = team_dir / "test-engineer.md"
    path.write_text(path.read_text().replace("model: haiku", "model: opus"))
    asked = Asked("restore")
    controller2, session2 = open_session(qtbot, team_dir, asked)
    assert [k for k, _ in asked.questions] == ["restore"]
    assert "test-engineer.md" in asked.questions[0][1]  # the user is told which cannot come back
    team = controller2.team
    assert team.agent("api-designer").agent.model == "opus" and team.agent("api-designer").dirty
    assert team.agent("test-engineer").agent.color == "green"  # changed on disk: not restored
    assert asked.told and "test-engineer.md" in asked.told[0]
    assert controller2.undo_stack.count() == 1  # restoring is one undo step
    assert session2.save_all()
    assert not session2.journal_path().exists()
    assert b"model: opus" in (team_dir / "api-designer.md").read_bytes()


def test_journal_removed_after_save_and_discard_drops_it(qtbot, team_dir, journal):
    controller, session = open_session(qtbot, team_dir, Asked())
    controller.do(SetField("api-designer", "model", "opus"))
    session.write_journal()
    assert session.journal_path().exists()
    assert session.save_all()
    assert not session.journal_path().exists()
    controller.do(SetField("api-designer", "model", "haiku"))
    session.write_journal()
    asked = Asked("discard")
    controller2, _s2 = open_session(qtbot, team_dir, asked)
    assert controller2.team.agent("api-designer").agent.model == "opus"
    assert not controller2.team.dirty()


def test_side_by_side_diff_lines_up_equal_lines():
    from app.ui.session import aligned_diff

    disk = "a\nb\nc\nd\n"
    mine = "a\nB\nc\nnew\nd\n"
    left, right, tags = aligned_diff(disk, mine)
    assert len(left) == len(right) == len(tags)
    for l_line, r_line, tag in zip(left, right, tags):
        if tag == "equal":
            assert l_line == r_line
    assert ("b", "B", "replace") in zip(left, right, tags)
    assert ("", "new", "insert") in zip(left, right, tags)


def test_taking_the_disks_version_clears_history_that_touched_the_file(qtbot, team_dir, journal):
    controller, _session, _path, theirs = _dirty_and_changed(qtbot, team_dir, "disk")
    assert controller.undo_stack.count() == 0  # an undo would have put the old text back over theirs
    assert controller.team.agent("api-designer").text.encode() == theirs


def test_reload_keeps_history_of_other_files(qtbot, team_dir, journal):
    controller, session = open_session(qtbot, team_dir, Asked())
    controller.do(SetField("test-engineer", "model", "opus"))
    path = team_dir / "api-designer.md"
    path.write_text(path.read_text().replace("model: sonnet", "model: haiku"))
    session._path_changed(str(path))
    session.process_disk_changes()
    assert controller.team.agent("api-designer").agent.model == "haiku"
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    assert controller.team.agent("test-engineer").agent.model == "haiku"
    assert controller.team.agent("api-designer").agent.model == "haiku"


def test_without_a_screen_questions_never_block_and_lose_nothing(qtbot, team_dir, journal):
    controller, session = open_session(qtbot, team_dir)  # the real ask(): offscreen platform
    said = []
    controller.error.connect(said.append)
    controller.do(SetField("api-designer", "model", "opus"))
    path = team_dir / "api-designer.md"
    theirs = path.read_text().replace("color: cyan", "color: teal")
    path.write_text(theirs)
    session._path_changed(str(path))
    session.process_disk_changes()  # would hang on a modal box if it showed one
    assert controller.team.agent("api-designer").agent.model == "opus"  # mine kept, in memory
    assert path.read_text() == theirs  # nothing written
    assert any("changed by another program" in s for s in said)
    assert session.confirm_close() is False  # "cancel": nothing discarded, nothing written


def test_journal_restores_a_rename_and_a_moved_card(qtbot, team_dir, journal):
    from app.model.operations import MoveAgents, RenameAgent

    controller, session = open_session(qtbot, team_dir, Asked())
    controller.do(RenameAgent("api-designer", "api-architect"))
    controller.do(MoveAgents({"api-architect": (480.0, 96.0)}))
    session.write_journal()
    session.stop()  # crash
    asked = Asked("restore")
    controller2, session2 = open_session(qtbot, team_dir, asked)
    team = controller2.team
    assert team.agent("api-designer") is None and team.agent("api-architect") is not None
    assert team.positions["api-architect"] == (480.0, 96.0)
    assert "api-architect" in team.agent("backend-specialist").agent.receives_from
    assert session2.save_all()
    assert not (team_dir / "api-designer.md").exists()
    assert (team_dir / "api-architect.md").exists()
    assert Team.load(team_dir).positions["api-architect"] == (480.0, 96.0)


# ------------------------------------------------------- outside changes the watcher missed ----

def _write_unnoticed(path, old, new):
    """Another program's in-place write that no watcher event has reported yet."""
    theirs = path.read_text().replace(old, new).encode()
    with open(path, "r+b") as f:  # in place: same file, as editors that do not replace write
        f.write(theirs)
        f.truncate()
    return theirs


def test_save_right_after_an_unnoticed_outside_change_asks_and_keeps_mine(qtbot, team_dir, journal):
    asked = Asked("mine")
    controller, session = open_session(qtbot, team_dir, asked)
    controller.do(SetField("api-designer", "model", "opus"))
    path = team_dir / "api-designer.md"
    _write_unnoticed(path, "color: ", "color: teal\nx_old_color: ")
    assert session.save_all() is True  # no "changed by another program… Reload it" dead end
    assert [k for k, _ in asked.questions] == ["conflict"] and asked.told == []
    saved = path.read_text()
    assert "model: opus" in saved and "x_old_color" not in saved
    assert not controller.team.dirty()


def test_save_after_an_unnoticed_outside_change_can_take_theirs(qtbot, team_dir, journal):
    asked = Asked("disk")
    controller, session = open_session(qtbot, team_dir, asked)
    controller.do(SetField("api-designer", "model", "opus"))
    controller.do(SetField("test-engineer", "model", "opus"))
    path = team_dir / "api-designer.md"
    theirs = _write_unnoticed(path, "model: sonnet", "model: haiku")
    assert session.save_all() is True
    assert path.read_bytes() == theirs  # their version, untouched
    assert controller.team.agent("api-designer").agent.model == "haiku"
    assert b"model: opus" in (team_dir / "test-engineer.md").read_bytes()  # the rest was saved
    assert not controller.team.dirty()


def test_save_asks_when_a_removed_agents_file_changed_outside(qtbot, team_dir, journal):
    from app.model.operations import RemoveAgent

    asked = Asked("disk")
    controller, session = open_session(qtbot, team_dir, asked)
    assert controller.do(RemoveAgent("performance-optimizer"))
    path = team_dir / "performance-optimizer.md"
    theirs = _write_unnoticed(path, "name: performance-optimizer", "name: performance-optimizer\nx_note: kept")
    assert session.save_all() is True
    assert path.read_bytes() == theirs  # the other program's edit was not deleted unasked
    assert controller.team.agent("performance-optimizer") is not None


def test_reload_from_disk_takes_an_unwatched_in_place_write(qtbot, team_dir, journal, monkeypatch):
    import app.ui.session as session_module

    monkeypatch.setattr(session_module, "MAX_FILE_WATCHES", 2)  # a "large" team: folders only
    asked = Asked("disk")
    controller, session = open_session(qtbot, team_dir, asked)
    assert session.watcher.files() == []
    _write_unnoticed(team_dir / "api-designer.md", "model: sonnet", "model: opus")
    controller.do(SetField("test-engineer", "color", "purple"))
    theirs = _write_unnoticed(team_dir / "test-engineer.md", "model: haiku", "model: sonnet")
    assert session.reload_from_disk() == ["api-designer.md", "test-engineer.md"]
    assert controller.team.agent("api-designer").agent.model == "opus"  # clean: taken, no question
    assert [k for k, _ in asked.questions] == ["conflict"]  # unsaved edits: asked
    assert controller.team.agent("test-engineer").text.encode() == theirs
    assert not controller.team.dirty()


def test_file_menu_reload_from_disk(qtbot, team_dir, tmp_path, monkeypatch):
    from app.ui.main_window import MainWindow

    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))
    window = MainWindow(remember=False)
    window.ask_before_discarding = False
    qtbot.addWidget(window)
    assert window.open_team(team_dir)
    _write_unnoticed(team_dir / "api-designer.md", "model: sonnet", "model: opus")
    file_menu = window.menuBar().actions()[0].menu()
    reload_action = next(a for a in file_menu.actions() if a.text().replace("&", "") == "Reload from Disk")
    reload_action.trigger()
    assert window.team.agent("api-designer").agent.model == "opus"


def test_large_team_polls_for_in_place_writes(qtbot, team_dir, journal, monkeypatch):
    import app.ui.session as session_module

    monkeypatch.setattr(session_module, "MAX_FILE_WATCHES", 2)
    asked = Asked()
    controller, session = open_session(qtbot, team_dir, asked)
    _write_unnoticed(team_dir / "api-designer.md", "model: sonnet", "model: opus")
    session.poll_files()  # what the poll timer does every POLL_MS while the editor is active
    qtbot.waitUntil(lambda: controller.team.agent("api-designer").agent.model == "opus", timeout=5000)
    assert asked.questions == [] and not controller.team.dirty()
