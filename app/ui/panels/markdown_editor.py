"""The body (system prompt) editor: plain Markdown text with a rendered preview.

The preview uses QTextDocument's own Markdown support, so no web engine is needed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QTextOption
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QStackedWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.panels.widgets import make_muted


class MarkdownEditor(QWidget):
    """An "Edit" / "Preview" pair. `textEdited` fires only for the user's typing, never when
    `set_text` fills it from the model."""

    textEdited = Signal(str)

    def __init__(self, object_name: str = "field.body", parent: QWidget | None = None):
        super().__init__(parent)
        self.editor = QPlainTextEdit(self)
        self.editor.setObjectName(object_name)
        self.editor.setTabChangesFocus(False)
        # Ctrl+Z belongs to the team's undo stack (typing bursts are merged there), not the widget's.
        self.editor.setUndoRedoEnabled(False)
        self.editor.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.editor.setFont(mono)
        self.editor.setPlaceholderText("The agent's instructions (its system prompt), in Markdown.")
        self.preview = QTextBrowser(self)
        self.preview.setObjectName(object_name + ".preview")
        self.preview.setOpenExternalLinks(True)
        self.preview.document().setDocumentMargin(12)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.editor)
        self.stack.addWidget(self.preview)

        self.edit_button = QToolButton(self)
        self.edit_button.setText("Edit")
        self.preview_button = QToolButton(self)
        self.preview_button.setText("Preview")
        self.preview_button.setObjectName(object_name + ".previewTab")
        group = QButtonGroup(self)
        for b in (self.edit_button, self.preview_button):
            b.setCheckable(True)
            b.setAutoRaise(True)
            group.addButton(b)
        self.edit_button.setChecked(True)
        self.counter = QLabel(self)
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        make_muted(self.counter)

        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        bar.addWidget(self.edit_button)
        bar.addWidget(self.preview_button)
        bar.addStretch(1)
        bar.addWidget(self.counter)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(bar)
        lay.addWidget(self.stack, 1)

        self.edit_button.toggled.connect(lambda on: self.show_editor() if on else None)
        self.preview_button.toggled.connect(lambda on: self.show_preview() if on else None)
        self._filling = False
        self.editor.textChanged.connect(self._changed)

    def _changed(self) -> None:
        text = self.editor.toPlainText()
        self._count(text)
        if not self._filling:
            self.textEdited.emit(text)

    def _count(self, text: str) -> None:
        lines = text.count("\n") + 1 if text else 0
        self.counter.setText(f"{lines} lines · {len(text.split())} words")

    def show_editor(self) -> None:
        self.edit_button.setChecked(True)
        self.stack.setCurrentWidget(self.editor)

    def show_preview(self) -> None:
        self.preview_button.setChecked(True)
        self.preview.setMarkdown(self.editor.toPlainText())
        self.stack.setCurrentWidget(self.preview)

    def text(self) -> str:
        return self.editor.toPlainText()

    def set_text(self, text: str) -> None:
        """Fill from the model; the cursor stays where it was when the text is unchanged."""
        if self.editor.toPlainText() == text:
            return
        self._filling = True
        try:
            self.editor.setPlainText(text)
            self._count(text)
            if self.stack.currentWidget() is self.preview:
                self.preview.setMarkdown(text)
        finally:
            self._filling = False

    def set_read_only(self, on: bool) -> None:
        self.editor.setReadOnly(on)
