"""The editor paints a team from its files first and checks them right after its first paint:
the problems then arrive in the panel and on the cards, as an IDE's linter does."""

from __future__ import annotations

from PySide6.QtCore import QSettings

from app.ui.main_window import MainWindow


def test_problems_arrive_after_the_first_paint(qtbot, tmp_path, monkeypatch):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))
    team_dir = tmp_path / "team"
    team_dir.mkdir()
    (team_dir / "a.md").write_text("---\nname: a\ndescription: Hands work to b.\ncoordination:\n"
                                   "  hands_off_to: [b]\n---\n", encoding="utf-8")
    (team_dir / "b.md").write_text("---\nname: b\ndescription: Gets work.\n---\n", encoding="utf-8")
    window = MainWindow(remember=False)
    window.ask_before_discarding = False
    qtbot.addWidget(window)
    window.show()
    assert window.open_team(team_dir, check_after_paint=True)
    team = window.controller.team
    assert not team.checked and team.problems == []
    assert [e for e in window.canvas.canvas_scene.edges]  # the relation is drawn from the sketch
    with qtbot.waitSignal(window.firstPainted, timeout=5000):
        pass
    qtbot.waitUntil(lambda: team.checked, timeout=5000)
    assert [p.code for p in team.problems] == ["asymmetric-handoff"]
    card = window.canvas.canvas_scene.cards["a"]
    qtbot.waitUntil(lambda: card.data_.problems == 1, timeout=5000)
