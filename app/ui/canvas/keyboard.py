"""Keyboard use of the canvas, for people who do not (or cannot) use a mouse.

Arrow keys move the selection to the nearest card in that direction (Shift extends it), Alt+arrow
nudges the selected cards (Alt+Shift: five steps), Enter goes to the property panel, Shift+F10 or
the Menu key opens the selected card's menu at the card. Screen readers see the cards through a
visually hidden list that mirrors them (a QGraphicsScene's items are not widgets, so Qt exposes
none of them on its own).

`nearest` is plain Python, so which card an arrow goes to is tested without Qt.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QEvent, QItemSelectionModel, QObject, QPoint, Qt
from PySide6.QtGui import QContextMenuEvent, QKeyEvent
from PySide6.QtWidgets import QAbstractItemView, QListWidget

Point = tuple[float, float]
DIRECTIONS: dict[str, Point] = {"left": (-1.0, 0.0), "right": (1.0, 0.0), "up": (0.0, -1.0), "down": (0.0, 1.0)}
# Keyed by int: QKeyEvent.key() is an int in PySide6's stubs.
_KEYS: dict[int, str] = {Qt.Key.Key_Left.value: "left", Qt.Key.Key_Right.value: "right",
                         Qt.Key.Key_Up.value: "up", Qt.Key.Key_Down.value: "down"}
# A card straight ahead beats a closer one off to the side: sideways distance counts this much more.
SIDEWAYS_WEIGHT = 2.0


def nearest(origin: Point, centres: Mapping[str, Point], direction: str, exclude: str | None = None) -> str | None:
    """The name whose centre is nearest to `origin` going `direction` ("left", "right", "up",
    "down"): only centres in the quarter of the plane that way count (ahead, and no further to the
    side than ahead: the four quarters cover the plane, so every card can be reached), and
    sideways distance weighs SIDEWAYS_WEIGHT times the forward one. Ties go to the name that
    sorts first. None if nothing lies that way."""
    ax, ay = DIRECTIONS[direction]
    best: tuple[float, str] | None = None
    for name, (x, y) in centres.items():
        if name == exclude:
            continue
        dx, dy = x - origin[0], y - origin[1]
        ahead = dx * ax + dy * ay
        if ahead <= 0:
            continue
        side = abs(dx * ay - dy * ax)
        if side > ahead:
            continue
        key = (ahead + SIDEWAYS_WEIGHT * side, name)
        if best is None or key < best:
            best = key
    return best[1] if best is not None else None


class CardMirror(QListWidget):
    """The cards' names as a list screen readers can read; 1 px, at the canvas's corner, never
    focused (the canvas keeps the keyboard), its current row following the selection."""

    def __init__(self, view):
        super().__init__(view.viewport())  # the viewport's children are what readers list
        self.setObjectName("canvasCardList")
        self.setAccessibleName("Agents on the canvas")
        self.setAccessibleDescription("Use the arrow keys on the canvas to move between agents")
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setGeometry(0, 0, 1, 1)
        self.setFrameShape(QListWidget.Shape.NoFrame)
        self.setStyleSheet("QListWidget { background: transparent; color: transparent; }")  # nothing to see
        self._names: list[str] = []

    def sync(self, names: list[str], selected: list[str]) -> None:
        if names != self._names:
            # In place, row by row: a reader's cursor stays put when one agent is renamed.
            self._names = list(names)
            while self.count() > len(names):
                self.takeItem(self.count() - 1)
            for row, name in enumerate(names):
                if row < self.count():
                    if self.item(row).text() != name:
                        self.item(row).setText(name)
                else:
                    self.addItem(name)
        chosen = set(selected)
        for row, name in enumerate(self._names):
            item = self.item(row)
            if item.isSelected() != (name in chosen):
                item.setSelected(name in chosen)
        if selected and selected[-1] in self._names:
            self.setCurrentRow(self._names.index(selected[-1]), QItemSelectionModel.SelectionFlag.NoUpdate)


class CanvasKeyboard(QObject):
    """Installed on the canvas view (`CanvasKeyboard(view)`); it reads the selection from the
    controller and changes it only through `controller.select`."""

    def __init__(self, view):
        super().__init__(view)
        self.view = view
        self.controller = view.controller
        self.scene = view.canvas_scene
        self._current: str | None = None  # the card the last arrow went to (the one Shift extends from)
        self.mirror = CardMirror(view)
        view.setAccessibleName("Team canvas")
        view.viewport().setAccessibleName("Team canvas")
        view.setAccessibleDescription("The team's agents as cards. Arrow keys move between them, "
                                      "Enter edits the selected one, Shift+F10 opens its menu.")
        view.installEventFilter(self)
        self.scene.contentChanged.connect(self._sync_mirror)
        self.controller.teamChanged.connect(lambda _change: self._sync_mirror())
        self.controller.selectionChanged.connect(lambda _names: self._sync_mirror())
        self._sync_mirror()

    def _sync_mirror(self) -> None:
        self.mirror.sync(sorted(self.scene.cards), list(self.controller.selection))

    # -- keys -----------------------------------------------------------------------------------
    def eventFilter(self, watched, event) -> bool:
        if watched is self.view and event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            return self._key(event)
        return False

    def _key(self, event: QKeyEvent) -> bool:
        key, mods = event.key(), event.modifiers()
        shift = bool(mods & Qt.KeyboardModifier.ShiftModifier)
        alt = bool(mods & Qt.KeyboardModifier.AltModifier)
        ctrl = bool(mods & Qt.KeyboardModifier.ControlModifier)
        if key in _KEYS and not ctrl:
            if alt:
                dx, dy = DIRECTIONS[_KEYS[key]]
                return self.view.nudge(int(dx), int(dy), big=shift)
            return self.move(_KEYS[key], extend=shift)
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (alt or ctrl):
            return self.edit_selected()
        if key == Qt.Key.Key_Menu or (key == Qt.Key.Key_F10 and shift):
            return self.open_menu()
        return False

    def current(self) -> str | None:
        """The card keys act on: the one the last arrow reached, if still selected, else the most
        recently selected card."""
        selection = [n for n in self.controller.selection if n in self.scene.cards]
        if self._current in selection:
            return self._current
        return selection[-1] if selection else None

    def move(self, direction: str, extend: bool = False) -> bool:
        cards = self.scene.cards
        if not cards:
            return False
        here = self.current()
        centres = {n: (c.center().x(), c.center().y()) for n, c in cards.items()}
        if here is None:
            # Nothing selected yet: the first arrow picks the card nearest the middle of the view.
            at = self.view.visible_center()
            target = min(centres, key=lambda n: ((centres[n][0] - at[0]) ** 2 + (centres[n][1] - at[1]) ** 2, n))
        else:
            target = nearest(centres[here], centres, direction, exclude=here)
            if target is None:
                return True  # nothing that way: stay put (and do not pan)
        selection = [n for n in self.controller.selection if n != target] if extend else []
        self._current = target
        self.controller.select([*selection, target])
        self.view.ensureVisible(cards[target], 48, 48)
        return True

    def edit_selected(self) -> bool:
        name = self.current()
        if name is None:
            return False
        self.controller.show_field(name, "name")
        return True

    def open_menu(self) -> bool:
        name = self.current()
        card = self.scene.cards.get(name) if name is not None else None
        if card is None:
            return False
        self.view.ensureVisible(card, 48, 48)
        at = self.view.mapFromScene(card.center())
        event = QContextMenuEvent(QContextMenuEvent.Reason.Keyboard, at,
                                  self.view.viewport().mapToGlobal(QPoint(at)))
        self.view.contextMenuEvent(event)
        return True
