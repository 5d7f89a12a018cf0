"""The property panel's fields as a table: label, editor kind, the model field each one edits,
and how a value goes into its widget and comes back out.

The panel (properties.py) builds its form from `MAIN_FIELDS` and `ADVANCED`, connects every
editor's commit signal to one handler, and fills every editor with `show`. What a value means
(and which operation it becomes) is the presenter's business (presenter.py), not this module's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from app.model.agent import KNOWN_MODELS, split_names
from app.ui.panels.presenter import (
    ADVANCED_CHOICES,
    ADVANCED_FIELDS,
    ADVANCED_LISTS,
    MISSING,
    AgentState,
    summary,
)

NOT_SET = "Not set"
NOT_SET_MODEL = "Not set (Claude Code's default)"

Kind = Literal["line", "text", "choice", "number", "flag", "names", "summary"]


@dataclass(frozen=True)
class Field:
    name: str   # the top-level key in the file ("model", "permissionMode"…)
    label: str
    kind: Kind
    placeholder: str = ""
    choices: tuple[str, ...] = ()
    lines: int = 0  # visible lines of a text box

    @property
    def typed(self) -> bool:
        """Edits arrive while the user types (committed after a pause, merged into one step)."""
        return self.kind == "text"


MAIN_FIELDS: tuple[Field, ...] = (
    Field("name", "Name", "line", "lowercase-with-hyphens"),
    Field("description", "Description", "text", "When should Claude hand work to this agent?", lines=5),
    Field("model", "Model", "choice", "Not set", KNOWN_MODELS),
)
_ADVANCED_LABELS = {
    "permissionMode": "Permissions", "maxTurns": "Max turns", "skills": "Skills",
    "disallowedTools": "Denied tools", "memory": "Memory", "background": "Background",
    "effort": "Effort", "isolation": "Isolation", "initialPrompt": "First prompt",
    "mcpServers": "MCP servers", "hooks": "Hooks",
}


def _advanced(name: str) -> Field:
    label = _ADVANCED_LABELS[name]
    if name in ADVANCED_CHOICES:
        return Field(name, label, "choice", "Not set", ADVANCED_CHOICES[name])
    if name == "maxTurns":
        return Field(name, label, "number")
    if name == "background":
        return Field(name, label, "flag")
    if name in ADVANCED_LISTS:
        return Field(name, label, "names", "Not set — comma-separated names")
    if name == "initialPrompt":
        return Field(name, label, "text", "Not set", lines=3)
    return Field(name, label, "summary")  # mcpServers, hooks: nested, shown and kept, edited in the file


ADVANCED: tuple[Field, ...] = tuple(_advanced(f) for f in ADVANCED_FIELDS)
FLAG_CHOICES: tuple[tuple[str, bool | None], ...] = (
    ("Not set", None), ("Yes (always runs in the background)", True), ("No", False))


def make_editor(spec: Field, parent: QWidget, commit: Callable[[], None], typed: Callable[[], None],
                end_burst: Callable[[], None]) -> QWidget:
    """The editor of `spec`, its commit signals connected: `commit` when a value is final,
    `typed` while text is being typed, `end_burst` when a run of merged edits ends."""
    w: QWidget
    if spec.kind == "line":
        line = QLineEdit(parent)
        line.setPlaceholderText(spec.placeholder)
        line.editingFinished.connect(commit)
        w = line
    elif spec.kind == "text":
        text = QPlainTextEdit(parent)
        text.setTabChangesFocus(True)
        text.setUndoRedoEnabled(False)  # Ctrl+Z is the team's undo
        text.setPlaceholderText(spec.placeholder)
        lh = text.fontMetrics().lineSpacing()
        text.setFixedHeight(5 * lh + 2 * text.frameWidth() + 10 if spec.lines == 5 else spec.lines * lh + 12)
        text.textChanged.connect(typed)
        w = text
    elif spec.kind == "choice":
        combo = QComboBox(parent)
        combo.setEditable(True)
        combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        # The first entry removes the setting; it says so rather than being a blank line.
        combo.addItem(NOT_SET_MODEL if spec.name == "model" else NOT_SET)
        combo.setItemData(0, "Remove the setting from the file", Qt.ItemDataRole.ToolTipRole)
        combo.addItems(list(spec.choices))
        edit = combo.lineEdit()
        assert edit is not None  # an editable combo box has one
        edit.setPlaceholderText(spec.placeholder)
        combo.activated.connect(lambda _i: commit())
        edit.editingFinished.connect(commit)
        w = combo
    elif spec.kind == "number":
        spin = QSpinBox(parent)
        spin.setRange(0, 100000)
        spin.setSpecialValueText("Not set")
        spin.setAccelerated(True)
        spin.valueChanged.connect(lambda _v: commit())
        spin.editingFinished.connect(end_burst)
        w = spin
    elif spec.kind == "flag":
        flag = QComboBox(parent)
        for text_, value in FLAG_CHOICES:
            flag.addItem(text_, value)
        flag.activated.connect(lambda _i: commit())
        w = flag
    elif spec.kind == "names":
        names = QLineEdit(parent)
        names.setPlaceholderText(spec.placeholder)
        names.editingFinished.connect(commit)
        w = names
    else:
        label = QLabel(parent)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        w = label
    w.setObjectName(f"field.{spec.name}")
    return w


def read(spec: Field, w: QWidget) -> Any:
    """What the user entered, as the presenter's `change` takes it."""
    if isinstance(w, QComboBox) and spec.kind == "flag":
        return w.currentData()
    if isinstance(w, QComboBox):
        text = w.currentText()
        return "" if text == w.itemText(0) else text  # "Not set": no value
    if isinstance(w, QSpinBox):
        return w.value()
    if isinstance(w, QPlainTextEdit):
        return w.toPlainText()
    if isinstance(w, QLineEdit):
        return w.text() if spec.kind == "names" else w.text().strip()
    return None


# A text value longer than this is shown in part and read-only (a 1.9 MB one-word description
# froze the editor for minutes while Qt laid it out).
HUGE_TEXT = 100_000
HUGE_SHOWN = 2_000


def show(spec: Field, w: QWidget, state: AgentState) -> None:
    """Put the value of `spec` in `state` into its editor (leaving an editor that already shows
    it alone, so its cursor stays where the user left it)."""
    value = state.values.get(spec.name, MISSING)
    shown = None if value is MISSING else value
    invalid = spec.name in state.invalid
    if isinstance(w, QComboBox) and spec.kind == "choice":
        text = value if spec.name == "model" else "" if shown is None else summary(shown, 200)
        if w.currentText() != text:
            idx = w.findText(text, Qt.MatchFlag.MatchFixedString)
            if idx >= 0 and w.itemText(idx) == text:
                w.setCurrentIndex(idx)
            else:
                w.setEditText(text)
    elif isinstance(w, QSpinBox):
        w.setValue(shown if isinstance(shown, int) and not isinstance(shown, bool) else 0)
    elif isinstance(w, QComboBox):  # flag
        w.setCurrentIndex({None: 0, True: 1, False: 2}.get(shown if isinstance(shown, bool) else None, 0))
    elif isinstance(w, QPlainTextEdit):
        text = shown if isinstance(shown, str) else ""
        huge = len(text) > HUGE_TEXT
        if huge:  # laying out megabytes of one line freezes the window: show the start, read-only
            text = (f"{text[:HUGE_SHOWN]}…\n\n(This is {len(text):,} characters long, too long to edit "
                    "here; it is kept exactly as written. Edit it in a text editor.)")
        w.setReadOnly(huge)
        if w.toPlainText() != text:
            w.setPlainText(text)
    elif isinstance(w, QLineEdit):
        if spec.kind == "names":
            text = ", ".join(split_names(shown)) if shown is not None and not invalid else ""
        else:
            text = shown or ""
        if w.text() != text:
            w.setText(text)
    elif isinstance(w, QLabel):
        w.setText("Not set" if shown is None else
                  f"{summary(shown)}\n(shown for reference; kept exactly as written)")
