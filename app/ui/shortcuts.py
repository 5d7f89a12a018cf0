"""Help → Keyboard Shortcuts, read from the window's actions (so the list cannot drift from what
the keys do), and the toolbar's short Undo/Redo buttons."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

# The canvas's own keys (app/ui/canvas/keyboard.py) are handled there, not by actions.
CANVAS_KEYS: tuple[tuple[str, str], ...] = (
    ("Go to the nearest agent in that direction", "Arrow keys"),
    ("Add the nearest agent in that direction to the selection", "Shift+Arrow keys"),
    ("Move the selected agents", "Alt+Arrow keys (with Shift: further)"),
    ("Edit the selected agent in the property panel", "Enter"),
    ("Back to the canvas from the property panel", "Escape"),
    ("Open the selected agent's menu", "Shift+F10, Menu"),
    ("Next part of the window: canvas, properties, problems", "Tab"),
)


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(command, keys) for every action with a shortcut, sorted by command, then the canvas's keys."""
    rows: dict[str, str] = {}
    for act in actions:
        keys = [k.toString(QKeySequence.SequenceFormat.NativeText) for k in act.shortcuts() if not k.isEmpty()]
        name = act.text().replace("&", "").rstrip("…").strip()
        if keys and name and name not in rows:
            rows[name] = ", ".join(keys)
    return sorted(rows.items(), key=lambda r: r[0].lower()) + list(CANVAS_KEYS)


def shortcuts_dialog(parent: QWidget, actions: list[QAction]) -> QDialog:
    dialog = QDialog(parent)
    dialog.setObjectName("shortcutsDialog")
    dialog.setWindowTitle("Keyboard Shortcuts")
    table = QTableWidget(0, 2, dialog)
    table.setObjectName("shortcutsTable")
    table.setAccessibleName("Keyboard shortcuts")
    table.setHorizontalHeaderLabels(["Command", "Keys"])
    table.verticalHeader().hide()
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    for name, keys in shortcut_rows(actions):
        row = table.rowCount()
        table.insertRow(row)
        table.setItem(row, 0, QTableWidgetItem(name))
        table.setItem(row, 1, QTableWidgetItem(keys))
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    table.setWordWrap(True)
    table.resizeRowsToContents()
    table.setAlternatingRowColors(True)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.reject)
    lay = QVBoxLayout(dialog)
    lay.addWidget(table)
    lay.addWidget(buttons)
    dialog.resize(560, 560)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    return dialog


class ShortProxy(QAction):
    """A toolbar action with a fixed short text that triggers `action` and follows its enabled
    state: the undo stack's actions say "Undo Rename planner", which would push the toolbar's
    buttons around after every edit. Their full text is the tooltip."""

    def __init__(self, text: str, action: QAction, parent: QWidget):
        super().__init__(text, parent)
        self._action = action
        self.triggered.connect(self._trigger)
        action.changed.connect(self._sync)
        self._sync()

    def _trigger(self, _checked: bool = False) -> None:
        self._action.trigger()

    def _sync(self) -> None:
        try:
            enabled, full = self._action.isEnabled(), self._action.text().replace("&", "")
            keys = self._action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
        except RuntimeError:  # the undo stack's action is being deleted with the window
            return
        self.setEnabled(enabled)
        self.setToolTip(f"{full} ({keys})")
