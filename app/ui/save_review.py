"""Review before save: what Save will write, in plain words, with each file's line diff one click
away, and a "Don't show this again" kept in QSettings. The words come from the Qt-free
app/model/save_summary.py; this only shows them.
"""

from __future__ import annotations

import difflib

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.model.save_summary import SaveSummary

SETTING = "review/beforeSave"  # False once the user ticked "Don't show this again"


def review_wanted(settings: QSettings) -> bool:
    return str(settings.value(SETTING, "true")).lower() not in ("false", "0")


def line_diff(summary: SaveSummary) -> str:
    """A unified diff of every file the save changes (removed files: all lines removed)."""
    out: list[str] = []
    for c in summary.changes:
        before = (c.before or "").splitlines(keepends=True)
        after = (c.after or "").splitlines(keepends=True)
        out += difflib.unified_diff(before, after, f"on disk/{c.path}" if c.before is not None else "/dev/null",
                                    f"to save/{c.path}" if c.after is not None else "/dev/null")
        if out and not out[-1].endswith("\n"):
            out[-1] += "\n"
    return "".join(out)


class SaveReviewDialog(QDialog):
    def __init__(self, summary: SaveSummary, settings: QSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("saveReview")
        self.setWindowTitle("Save these changes?")
        self.settings = settings
        head = QLabel(summary.headline(), self)
        head.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("saveReview.changes")
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        for line in summary.lines():
            QListWidgetItem(line, self.list)
        self.diff = QPlainTextEdit(line_diff(summary), self)
        self.diff.setObjectName("saveReview.diff")
        self.diff.setReadOnly(True)
        self.diff.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.diff.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.diff.setVisible(False)
        self.show_diff = QPushButton("Show the line changes", self)
        self.show_diff.setObjectName("saveReview.showDiff")
        self.show_diff.setCheckable(True)
        self.show_diff.toggled.connect(self._toggle_diff)
        self.dont_ask = QCheckBox("Don't show this again", self)
        self.dont_ask.setObjectName("saveReview.dontShow")
        self.dont_ask.setToolTip("Save will then write at once; the status bar still says what was written.")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.save = buttons.addButton("Save", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save.setObjectName("saveReview.save")
        self.save.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        lay.setSpacing(10)
        lay.addWidget(head)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.show_diff, 0, Qt.AlignmentFlag.AlignLeft)
        lay.addWidget(self.diff, 2)
        lay.addWidget(self.dont_ask)
        lay.addWidget(buttons)
        self.resize(720, 420)

    def _toggle_diff(self, on: bool) -> None:
        self.diff.setVisible(on)
        self.show_diff.setText("Hide the line changes" if on else "Show the line changes")
        if on and self.height() < 600:
            self.resize(max(self.width(), 900), 640)

    def done(self, result: int) -> None:
        if result == QDialog.DialogCode.Accepted and self.dont_ask.isChecked():
            self.settings.setValue(SETTING, False)
        super().done(result)
