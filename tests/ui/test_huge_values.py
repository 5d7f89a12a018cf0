"""A huge value (a 1.9 MB one-word description froze the editor for minutes) is shown in part and
read-only in the property panel, and an edit of another field leaves it exactly as written."""

from __future__ import annotations

from app.model.team import Team
from app.ui.controller import Controller
from app.ui.panels.fields import HUGE_SHOWN, HUGE_TEXT
from app.ui.panels.properties import PropertyPanel


def test_a_huge_description_is_shown_in_part_read_only_and_kept(qtbot, tmp_path):
    long = "x" * 1_900_000
    path = tmp_path / "big.md"
    path.write_text(f"---\nname: big\ndescription: {long}\nmodel: sonnet\n---\nbody\n", encoding="utf-8")
    controller = Controller()
    panel = PropertyPanel(controller)
    qtbot.addWidget(panel)
    controller.set_team(Team.load(tmp_path))
    controller.select(["big"])
    box = panel.form.description
    assert box.isReadOnly() and len(box.toPlainText()) < HUGE_SHOWN + 200 < HUGE_TEXT
    assert "1,900,000 characters" in box.toPlainText()
    team = controller.team
    from app.model.operations import SetField

    assert controller.do(SetField("big", "model", "opus"))
    assert team.save() == []
    text = path.read_text(encoding="utf-8")
    assert f"description: {long}\n" in text and "model: opus" in text
