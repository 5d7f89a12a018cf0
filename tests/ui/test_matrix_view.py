"""The relation matrix view (View → Relation Matrix): choosing a cell selects its relation, the
one-sided fixes change the files as one undo step, the cells follow a change — checked on the
files and the model, the team written by hand below."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.model.relation_matrix import RelationMatrix
from app.ui.main_window import MainWindow
from app.ui.matrix.table_model import MARKS


def md(name: str, coordination: str = "") -> str:
    block = f"coordination:\n{coordination}" if coordination else ""
    return f"---\nname: {name}\ndescription: Does {name} work.\n{block}---\n\nBody.\n"


@pytest.fixture
def team_dir(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    (folder / "lead.md").write_text(md("lead", "  hands_off_to: [builder, tester]\n"), encoding="utf-8")
    (folder / "builder.md").write_text(md("builder", "  receives_from: [lead]\n"), encoding="utf-8")
    (folder / "tester.md").write_text(md("tester"), encoding="utf-8")
    return folder


@pytest.fixture
def window(qtbot, team_dir):
    w = MainWindow(remember=False, session=False)
    w.ask_before_discarding = False
    qtbot.addWidget(w)
    w.resize(1024, 700)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_team(team_dir)
    w.views.action.trigger()  # View → Relation Matrix
    return w


def test_the_view_menu_switches_between_canvas_and_matrix(window):
    assert window.views.current == "matrix"
    assert window.centralWidget().currentWidget() is window.views.matrix
    window.views.action.trigger()
    assert window.views.current == "canvas" and window.centralWidget().currentWidget() is window.canvas


def test_a_cell_shows_the_relation_and_selects_its_source(window):
    view = window.views.matrix
    assert view.select_cell("tester", "lead")  # tester receives from lead: lead is the source
    assert window.controller.selection == ["lead"]
    assert [m.relation for m in view.current_marks()] == [("handoff", "lead", "tester")]
    assert "only lead's file says so" in view.cell_text.text()
    panel = window.property_panel
    picked = [i.data(Qt.ItemDataRole.UserRole) for i in panel.form.handoffs.list.selectedItems()]
    assert picked == ["tester"]


def test_declare_it_back_writes_the_missing_side_as_one_undo_step(window, team_dir):
    view = window.views.matrix
    view.select_cell("lead", "tester")
    assert view.declare_button.isEnabled() and view.remove_button.isEnabled()
    before = window.undo_stack.count()
    view.declare_button.click()
    assert window.undo_stack.count() == before + 1
    assert window.save_all()
    assert "receives_from: [lead]" in (team_dir / "tester.md").read_text(encoding="utf-8")
    assert (team_dir / "lead.md").read_text(encoding="utf-8") == md("lead", "  hands_off_to: [builder, tester]\n")
    # the cell follows the change: now declared by both, no fix offered
    assert [m.declared for m in view.current_marks()] == ["both"]
    assert not view.declare_button.isEnabled()
    window.undo_stack.undo()
    assert [m.declared for m in view.current_marks()] == ["row"]


def test_remove_this_relation_empties_the_cell(window, team_dir):
    view = window.views.matrix
    view.select_cell("lead", "tester")
    view.remove_button.click()
    assert view.current_marks() == ()
    assert window.save_all()
    assert "hands_off_to: [builder]" in (team_dir / "lead.md").read_text(encoding="utf-8")


def test_the_table_model_agrees_with_a_fresh_matrix_after_an_edit(window):
    view = window.views.matrix
    view.select_cell("lead", "tester")
    view.declare_button.click()
    fresh = RelationMatrix.of_team(window.team, view.model.order)
    model = view.model
    for r in range(model.rowCount()):
        for c in range(model.columnCount()):
            assert model.data(model.index(r, c), MARKS) == fresh.cell(r, c)


def test_the_order_can_be_chosen(window):
    view = window.views.matrix
    view.order.setCurrentIndex(view.order.findData("name"))
    names = [view.model.headerData(i, Qt.Orientation.Vertical) for i in range(view.model.rowCount())]
    assert names == ["builder", "lead", "tester"]
    view.order.setCurrentIndex(view.order.findData("clusters"))
    names = [view.model.headerData(i, Qt.Orientation.Vertical) for i in range(view.model.rowCount())]
    assert names[0] == "lead"  # the group along its hand-offs: lead hands work to the others


def test_arrow_keys_walk_the_cells_and_keep_the_keyboard(window, qtbot):
    view = window.views.matrix
    view.order.setCurrentIndex(view.order.findData("name"))  # builder, lead, tester
    view.select_cell("lead", "builder")
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Right)
    qtbot.keyClick(view.table, Qt.Key.Key_Right)
    assert [m.relation for m in view.current_marks()] == [("handoff", "lead", "tester")]
    assert view.table.hasFocus()  # the property panel followed without taking the keyboard
    assert window.controller.selection == ["lead"]
