"""The disk's version of a file and the user's unsaved one, side by side (the "compare" of a
conflict between them)."""

from __future__ import annotations

import difflib

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontDatabase, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)


def aligned_diff(disk: str, mine: str) -> tuple[list[str], list[str], list[str]]:
    """Both texts as lists of lines padded so equal lines sit side by side; and per row a tag:
    "equal", "replace", "delete" (only on disk) or "insert" (only in mine)."""
    a, b = disk.splitlines(), mine.splitlines()
    left: list[str] = []
    right: list[str] = []
    tags: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        n = max(i2 - i1, j2 - j1)
        left += a[i1:i2] + [""] * (n - (i2 - i1))
        right += b[j1:j2] + [""] * (n - (j2 - j1))
        tags += [tag] * n
    return left, right, tags


class DiffDialog(QDialog):
    """The disk's version and the user's, side by side with changed lines marked, scrolling
    together; and the two choices."""

    def __init__(self, path: str, mine: str, disk: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Differences in {path}")
        self.choice: str | None = None
        left, right, tags = aligned_diff(disk, mine)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.left = self._pane("diff.disk", left, tags, "#fecaca", mono)
        self.right = self._pane("diff.mine", right, tags, "#bbf7d0", mono)
        for a, b in ((self.left, self.right), (self.right, self.left)):
            a.verticalScrollBar().valueChanged.connect(b.verticalScrollBar().setValue)
            a.horizontalScrollBar().valueChanged.connect(b.horizontalScrollBar().setValue)
        changed = sum(1 for t in tags if t != "equal")
        note = QLabel(f"Left: the file on disk now. Right: your unsaved version. "
                      f"{changed} line{'s' if changed != 1 else ''} differ.", self)
        panes = QHBoxLayout()
        panes.setSpacing(8)
        for title, pane in (("On disk", self.left), ("Your version", self.right)):
            col = QVBoxLayout()
            head = QLabel(title, self)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            col.addWidget(head)
            col.addWidget(pane, 1)
            panes.addLayout(col, 1)
        buttons = QDialogButtonBox(self)
        mine_b = QPushButton("Keep mine", self)
        disk_b = QPushButton("Take the disk's", self)
        buttons.addButton(mine_b, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(disk_b, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        mine_b.clicked.connect(lambda: self._choose("mine"))
        disk_b.clicked.connect(lambda: self._choose("disk"))
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        lay.setSpacing(8)
        lay.addWidget(note)
        lay.addLayout(panes, 1)
        lay.addWidget(buttons)
        self.resize(1100, 640)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        first = next((i for i, t in enumerate(tags) if t != "equal"), 0)
        self.left.verticalScrollBar().setValue(max(0, first - 3))

    def _pane(self, name: str, lines: list[str], tags: list[str], tone: str, font) -> QPlainTextEdit:
        pane = QPlainTextEdit(self)
        pane.setObjectName(name)
        pane.setReadOnly(True)
        pane.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        pane.setFont(font)
        pane.setPlainText("\n".join(lines))
        marks = []
        block = pane.document().firstBlock()
        for tag in tags:
            if tag != "equal":
                sel = QTextEdit.ExtraSelection()
                sel.format.setBackground(QColor(tone))
                sel.format.setForeground(QColor("#111827"))  # dark text on the light mark, 4.5:1+
                sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                sel.cursor = QTextCursor(block)
                marks.append(sel)
            block = block.next()
        pane.setExtraSelections(marks)
        return pane

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()


def ask_with_buttons(parent, title: str, text: str, choices: list[tuple[str, str]], default: str) -> str:
    """A question box with one button per (key, label); the chosen key (Escape: `default` when it
    is "cancel", else the last choice, which is the one that loses nothing)."""
    box = QMessageBox(parent)
    box.setWindowTitle(title)
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(text)
    buttons: dict[object, str] = {}
    for key, label in choices:
        role = {
            "cancel": QMessageBox.ButtonRole.RejectRole,
            "discard": QMessageBox.ButtonRole.DestructiveRole,
        }.get(key, QMessageBox.ButtonRole.AcceptRole)
        b = box.addButton(label, role)
        buttons[b] = key
        if key == default:
            box.setDefaultButton(b)
    box.exec()
    return buttons.get(box.clickedButton(), default if default == "cancel" else choices[-1][0])
