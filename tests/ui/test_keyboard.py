"""The canvas and the panels driven from the keyboard alone: real key presses on real widgets,
assertions on the selection, the focus, the files and what Qt's accessibility API reports."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMenu, QWidget

from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.model import operations as ops
from app.ui.canvas.keyboard import SIDEWAYS_WEIGHT, nearest
from app.ui.main_window import MainWindow

# Card corners on the canvas (the cards are all the same size, so centres are these plus a constant):
#   a ------- b ------- c
#   |                    e
#   d         f
PLACES = {"a": (0, 0), "b": (400, 0), "c": (800, 0), "d": (0, 300), "e": (820, 320), "f": (400, 600)}


def agent_text(name: str, handoffs: list[str] = (), receives: list[str] = ()) -> str:
    return (f"---\nname: {name}\ndescription: The {name} agent.\nmodel: sonnet\n"
            f"coordination:\n  hands_off_to: [{', '.join(handoffs)}]\n  receives_from: [{', '.join(receives)}]\n"
            f"---\nYou are {name}.\n")


def coord(path: Path, key: str) -> list[str]:
    doc = parse_document(path.read_text(encoding="utf-8"))
    return list((read_frontmatter(doc.frontmatter, doc.frontmatter_line).data.get("coordination") or {}).get(key) or [])


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))


@pytest.fixture
def team_dir(tmp_path):
    folder = tmp_path / "team"
    folder.mkdir()
    for name in PLACES:
        hands = ["b"] if name == "a" else []
        receives = ["a"] if name == "b" else []
        (folder / f"{name}.md").write_text(agent_text(name, hands, receives), encoding="utf-8")
    return folder


@pytest.fixture
def win(qtbot, team_dir):
    w = MainWindow()
    w.ask_before_discarding = False
    qtbot.addWidget(w)
    w.resize(1400, 900)
    w.show()
    qtbot.waitExposed(w)
    assert w.open_team(team_dir)
    w.controller.do(ops.MoveAgents({n: (float(x), float(y)) for n, (x, y) in PLACES.items()}))
    w.canvas.resetTransform()
    w.canvas.scale(0.5, 0.5)
    w.canvas.centerOn(w.canvas.canvas_scene.content_rect().center())
    w.activateWindow()
    w.canvas.setFocus()
    qtbot.waitUntil(lambda: w.canvas.hasFocus())
    return w


def press(qtbot, key, mods=Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(QApplication.focusWidget(), key, mods)
    QApplication.processEvents()


# -- which card an arrow goes to (no Qt) ------------------------------------------------------------
def test_nearest_goes_to_the_closest_card_ahead():
    assert nearest(PLACES["a"], PLACES, "right", exclude="a") == "b"
    assert nearest(PLACES["b"], PLACES, "right", exclude="b") == "c"
    assert nearest(PLACES["a"], PLACES, "down", exclude="a") == "d"
    assert nearest(PLACES["c"], PLACES, "down", exclude="c") == "e"
    assert nearest(PLACES["e"], PLACES, "up", exclude="e") == "c"


def test_nearest_weighs_sideways_distance_and_finds_nothing_behind_an_edge():
    # From d going right: b is 400 ahead and 300 up, e 820 ahead and 20 down, f 400 ahead and 300 down.
    costs = {"b": 400 + SIDEWAYS_WEIGHT * 300, "e": 820 + SIDEWAYS_WEIGHT * 20, "f": 400 + SIDEWAYS_WEIGHT * 300}
    assert nearest(PLACES["d"], PLACES, "right", exclude="d") == min(costs, key=lambda n: (costs[n], n)) == "e"
    assert nearest(PLACES["a"], PLACES, "left", exclude="a") is None
    assert nearest(PLACES["a"], PLACES, "up", exclude="a") is None
    # e is a little right of c but far below: that is "down" from c, not "right"
    assert nearest(PLACES["c"], PLACES, "right", exclude="c") is None
    assert nearest((0, 0), {"z": (100, 300)}, "right") is None
    assert nearest((0, 0), {"z": (100, 300)}, "down") == "z"
    # equal costs: the name that sorts first
    assert nearest((0, 0), {"y": (10, 5), "x": (10, -5)}, "right") == "x"


# -- arrows, Enter, Escape --------------------------------------------------------------------------
def test_arrow_keys_move_the_selection_between_cards_without_moving_any(win, qtbot):
    before = dict(win.team.positions)
    win.controller.select(["a"])
    press(qtbot, Qt.Key.Key_Right)
    assert win.controller.selection == ["b"]
    press(qtbot, Qt.Key.Key_Right)
    assert win.controller.selection == ["c"]
    press(qtbot, Qt.Key.Key_Right)  # nothing further right: it stays
    assert win.controller.selection == ["c"]
    press(qtbot, Qt.Key.Key_Down)
    assert win.controller.selection == ["e"]
    press(qtbot, Qt.Key.Key_Left, Qt.KeyboardModifier.ShiftModifier)  # extend: e and the nearest left
    assert sorted(win.controller.selection) == ["d", "e"]
    press(qtbot, Qt.Key.Key_Up, Qt.KeyboardModifier.ShiftModifier)  # extends from d, the last reached
    assert sorted(win.controller.selection) == ["a", "d", "e"]
    assert win.team.positions == before  # selection only: no card moved


def test_first_arrow_with_nothing_selected_picks_the_card_in_the_middle_of_the_view(win, qtbot):
    win.controller.select([])
    win.canvas.centerOn(win.canvas.canvas_scene.cards["f"].center())
    press(qtbot, Qt.Key.Key_Left)
    assert win.controller.selection == ["f"]


def test_enter_edits_the_selected_agent_and_escape_comes_back(win, qtbot):
    win.controller.select(["d"])
    press(qtbot, Qt.Key.Key_Return)
    form = win.property_panel.form
    qtbot.waitUntil(lambda: form.name_edit.hasFocus())
    assert form.name_edit.text() == "d"
    press(qtbot, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: win.canvas.hasFocus())
    press(qtbot, Qt.Key.Key_Right)  # and the arrows work again
    assert win.controller.selection == ["e"]


@pytest.mark.parametrize("key, mods", [(Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier),
                                       (Qt.Key.Key_Menu, Qt.KeyboardModifier.NoModifier)])
def test_shift_f10_and_the_menu_key_open_the_cards_menu_at_the_card(win, qtbot, key, mods):
    win.controller.select(["b"])
    seen: dict = {}

    def look() -> None:
        menu = QApplication.activePopupWidget()
        if isinstance(menu, QMenu):
            seen["items"] = [a.text() for a in menu.actions() if a.text()]
            seen["at"] = menu.pos()
            menu.close()
        else:
            QTimer.singleShot(20, look)

    QTimer.singleShot(0, look)
    press(qtbot, key, mods)
    qtbot.waitUntil(lambda: "items" in seen)
    assert "Edit properties" in seen["items"] and "Delete" in seen["items"]
    card = win.canvas.canvas_scene.cards["b"]
    at = win.canvas.viewport().mapToGlobal(win.canvas.mapFromScene(card.center()))
    assert abs(seen["at"].x() - at.x()) <= 2 and abs(seen["at"].y() - at.y()) <= 2


def test_tab_goes_canvas_then_property_panel_then_problems(win, qtbot):
    win.controller.select(["a"])
    QApplication.processEvents()
    win.canvas.setFocus()
    qtbot.waitUntil(lambda: win.canvas.hasFocus())
    visited: list[QWidget] = []
    for _ in range(80):
        press(qtbot, Qt.Key.Key_Tab)
        w = QApplication.focusWidget()
        visited.append(w)
        if not win.property_panel.isAncestorOf(w):
            break
    assert win.property_panel.isAncestorOf(visited[0]), visited[0]
    assert win.property_panel.form.name_edit in visited[:3]  # after the Settings/Instructions tabs
    assert len(visited) > 5  # the panel's fields, in order
    assert win.problems_panel.isAncestorOf(visited[-1]) or visited[-1] is win.problems_panel, visited[-1]


# -- the relation completer -------------------------------------------------------------------------
def test_enter_on_a_completion_adds_exactly_that_name_and_clears_the_line(win, qtbot, team_dir):
    win.controller.select(["a"])
    form = win.property_panel.form
    qtbot.waitUntil(lambda: form.name_edit.text() == "a")
    line = form.handoffs.add_line
    line.setFocus()
    qtbot.waitUntil(line.hasFocus)
    line.completer().setFilterMode(Qt.MatchFlag.MatchStartsWith)
    QTest.keyClicks(line, "")
    line.completer().complete()  # the list of every other agent, as typing would open it
    popup = line.completer().popup()
    qtbot.waitUntil(popup.isVisible)
    shown = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    assert len(shown) >= 3
    QTest.keyClick(popup, Qt.Key.Key_Down)  # keys go to the popup while it is open, as on screen
    QTest.keyClick(popup, Qt.Key.Key_Down)
    chosen = popup.currentIndex().data()
    assert chosen in shown
    QTest.keyClick(popup, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: chosen in win.team.agent("a").agent.coordination_list("hands_off_to"))
    assert win.team.agent("a").agent.coordination_list("hands_off_to") == ["b", chosen]
    qtbot.waitUntil(lambda: line.text() == "")
    QApplication.processEvents()
    assert line.text() == ""
    steps = win.undo_stack.count()
    press(qtbot, Qt.Key.Key_Return)  # a second Enter adds nothing nobody chose
    assert win.undo_stack.count() == steps
    assert win.team.agent("a").agent.coordination_list("hands_off_to") == ["b", chosen]


# -- screen readers ---------------------------------------------------------------------------------
def _find(iface, name: str, depth: int = 0):
    if iface is None or depth > 6:
        return None
    if iface.text(QAccessible.Text.Name) == name:
        return iface
    for i in range(iface.childCount()):
        found = _find(iface.child(i), name, depth + 1)
        if found is not None:
            return found
    return None


def test_screen_readers_see_every_card_and_the_selection(win, qtbot):
    root = QAccessible.queryAccessibleInterface(win.canvas)
    assert root.text(QAccessible.Text.Name) == "Team canvas"
    cards = _find(root, "Agents on the canvas")
    assert cards is not None
    assert [cards.child(i).text(QAccessible.Text.Name) for i in range(cards.childCount())] == sorted(PLACES)
    win.controller.select(["c"])
    press(qtbot, Qt.Key.Key_Down)
    selected = [cards.child(i).text(QAccessible.Text.Name) for i in range(cards.childCount())
                if cards.child(i).state().selected]
    assert selected == ["e"]
    # a renamed agent is read out under its new name
    win.controller.do(ops.RenameAgent("f", "final"))
    QApplication.processEvents()
    assert "final" in [cards.child(i).text(QAccessible.Text.Name) for i in range(cards.childCount())]


def test_every_control_has_an_accessible_name(win, qtbot):
    win.controller.select(["a"])
    form = win.property_panel.form
    form.advanced.set_expanded(True)
    QApplication.processEvents()
    nameless = []
    for w in win.findChildren(QWidget):
        if w.focusPolicy() == Qt.FocusPolicy.NoFocus or not w.isVisibleTo(win):
            continue
        iface = QAccessible.queryAccessibleInterface(w)
        if iface is None or not iface.text(QAccessible.Text.Name).strip():
            nameless.append(f"{type(w).__name__} {w.objectName()}")
    assert nameless == []
    assert QAccessible.queryAccessibleInterface(form.handoffs.add_line).text(QAccessible.Text.Name) == \
        "Agent to add to Hands off to"
    assert QAccessible.queryAccessibleInterface(form.model.lineEdit()).text(QAccessible.Text.Name) == "Model"


# -- Help → Keyboard Shortcuts ----------------------------------------------------------------------
def test_keyboard_shortcuts_dialog_lists_the_actions_own_shortcuts(win, qtbot):
    win.act_fit.setShortcut("Ctrl+Alt+F")  # read from the actions, not written down
    dialog = win.show_shortcuts()
    qtbot.addWidget(dialog)
    table = dialog.findChild(QWidget, "shortcutsTable")
    rows = {table.item(r, 0).text(): table.item(r, 1).text() for r in range(table.rowCount())}
    assert rows["Zoom to Fit"] == "Ctrl+Alt+F"
    assert rows["Save All"] == "Ctrl+S"
    assert rows["Find Agent"] == "Ctrl+F"
    assert rows["Keyboard Shortcuts"] == "Ctrl+/"
    assert "Shift+F10" in rows["Open the selected agent's menu"]
    help_menu = next(m for m in win.menuBar().findChildren(QMenu) if m.title() == "&Help")
    shown = [a.text() for a in help_menu.actions() if a.text()]
    assert shown[0] == "&Keyboard Shortcuts" and set(shown) == {"&Keyboard Shortcuts", "&About Agent Canvas", "&Legend"}
