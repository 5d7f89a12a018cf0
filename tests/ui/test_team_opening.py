"""Opening a team off the GUI thread (ui/team_opening.py): the team that arrives is the one a
plain load gives, Cancel keeps the team that was open and writes nothing, a folder that cannot
be read says why, and edits made while the opening ran are not lost without a question."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from app.model import operations as ops
from app.model.first_layout import unplaced_placement
from app.model.team import LoadCancelled, Team
from app.ui.main_window import MainWindow
from app.ui.team_opening import load_team

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))


@pytest.fixture
def window(qtbot):
    w = MainWindow()
    w.ask_before_discarding = False
    qtbot.addWidget(w)
    w.resize(1200, 800)
    w.show()
    qtbot.waitExposed(w)
    return w


@pytest.fixture
def held(monkeypatch):
    """Holds the worker before it reads until the test sets the event, so the opening surely
    goes on in the background (a small team is otherwise read within HOLD_MS, synchronously)."""
    gate = threading.Event()
    real_load = Team.load

    def held_load(root, **kw):
        gate.wait(10)
        return real_load(root, **kw)

    monkeypatch.setattr(Team, "load", held_load)
    return gate


def _write_team(folder: Path, n: int) -> Path:
    """`n` agents in a chain, each handing off to the next and declaring nothing back (the
    one-sided style of real teams), in two subfolders."""
    for i in range(n):
        sub = folder / ("build" if i % 2 else "review")
        sub.mkdir(parents=True, exist_ok=True)
        nxt = f"agent-{i + 1:04d}" if i + 1 < n else "agent-0000"
        (sub / f"agent-{i:04d}.md").write_text(
            f"---\nname: agent-{i:04d}\ndescription: Worker number {i}.\nmodel: sonnet\n"
            f"coordination:\n  hands_off_to:\n    - {nxt}\n---\n\nDo step {i}.\n", encoding="utf-8")
    return folder


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_team_read_off_the_gui_thread_is_the_team_a_plain_load_gives(window, tmp_path, held):
    folder = _write_team(tmp_path / "big", 120)
    before = _snapshot(folder)
    assert window.open_team(folder, background=True)
    assert window.opening.busy and window.team is None  # still reading
    held.set()
    window.opening.wait()
    team = window.team
    assert team is not None and team.root == folder.resolve()
    plain = Team.load(folder)
    assert team.names() == plain.names()
    assert sorted(map(str, team.relations())) == sorted(map(str, plain.relations()))
    # The first layout worked out on the worker is the one the GUI thread would have made.
    placement = unplaced_placement(plain)
    assert placement is not None
    assert {n: team.positions[n] for n in placement.positions} == placement.positions
    assert not window.is_dirty()  # opening to look leaves the team unchanged…
    assert _snapshot(folder) == before  # …and the folder too
    window.team.check()
    assert {p.code for p in team.problems} == {p.code for p in plain.problems}


def test_cancel_keeps_the_open_team_and_writes_nothing(window, tmp_path, held):
    first = shutil.copytree(SAMPLE_TEAM, tmp_path / "sample")
    assert window.open_team(first)
    kept = window.team
    folder = _write_team(tmp_path / "big", 300)
    before = _snapshot(folder)
    arrived = []
    window.controller.teamOpened.connect(arrived.append)
    assert window.open_team(folder, background=True)
    reader = window.opening._reader
    window.opening.cancel()
    held.set()
    window.opening.stop()  # the thread has ended (it stops at its first file)
    window.opening.wait()
    assert reader is not None and reader.cancelled and reader.team is None
    assert not window.opening.busy
    assert arrived == [] and window.team is kept and kept.root == first.resolve()
    assert _snapshot(folder) == before


def test_a_folder_that_cannot_be_read_says_why(window, tmp_path, monkeypatch):
    folder = tmp_path / "gone"
    message = load_team(folder, check=False)
    assert isinstance(message, str) and str(folder) in message
    folder.mkdir()

    def refused(root, **_kw):
        raise PermissionError(13, "Permission denied", str(root))

    monkeypatch.setattr(Team, "load", refused)
    errors = []
    window.opening.failed.connect(errors.append)
    assert window.open_team(folder, background=True)
    window.opening.wait()
    assert window.team is None
    assert len(errors) == 1 and str(folder) in errors[0] and "Errno" not in errors[0]
    assert errors[0] in window.last_error


def test_edits_made_while_a_team_opened_are_not_dropped_without_asking(window, tmp_path, monkeypatch):
    first = shutil.copytree(SAMPLE_TEAM, tmp_path / "sample")
    assert window.open_team(first)
    kept = window.team
    monkeypatch.setattr(window.opening, "start", lambda folder, place=True: None)  # held back
    assert window.open_team(tmp_path / "sample", background=True)
    assert window.controller.do(ops.SetField("api-designer", "model", "opus"))  # typed meanwhile
    asked = []
    monkeypatch.setattr(window, "maybe_save", lambda: asked.append(True) or False)  # "Cancel"
    window._opened_in_background(Team.load(_write_team(tmp_path / "big", 5)), None, True)
    assert asked == [True] and window.team is kept  # asked again, and "Cancel" kept the team
    window.controller.undo_stack.undo()  # back to what it was when the opening began
    window._opened_in_background(Team.load(tmp_path / "big"), None, True)
    assert asked == [True] and window.team.root == (tmp_path / "big").resolve()  # no question


def test_reading_reports_progress_and_stops_when_told(tmp_path):
    folder = _write_team(tmp_path / "big", 40)
    seen: list[tuple[int, int]] = []
    Team.load(folder, check=False, progress=lambda done, total: seen.append((done, total)) or True)
    assert [d for d, _ in seen] == list(range(40)) and {t for _, t in seen} == {40}
    before = _snapshot(folder)
    with pytest.raises(LoadCancelled):
        Team.load(folder, check=False, progress=lambda done, total: done < 10)
    assert _snapshot(folder) == before  # no parse cache or layout half-written
