"""The property panel's form for one agent: header, settings, relations, tools, advanced fields,
other settings and the instructions, built from the field table (fields.py).

The form owns no data and makes no operations: `fill(state)` shows an `AgentState`
(presenter.py), and every edit leaves as a signal naming the field — `edited(field, value)` for a
final value, `typed(field)` while text is being typed, `burstEnded(field)` when a run of merged
edits ends. The panel (properties.py) turns those into operations.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QResizeEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.model.agent import CLAUDE_CODE_TOOLS
from app.ui.panels import fields
from app.ui.panels.fields import ADVANCED, MAIN_FIELDS, Field
from app.ui.panels.markdown_editor import MarkdownEditor
from app.ui.panels.presenter import RELATIONS, STARTS, AgentState, same_body
from app.ui.panels.widgets import (
    SPACING,
    CollapsibleSection,
    ColorSwatches,
    NoteLabel,
    RelationList,
    ToolsEditor,
    level_color,
    make_muted,
)

WIDE = 460  # below this width labels go above their fields, so a narrow dock never clips


def name_for_readers(editor: QWidget, label: str) -> None:
    """The field's label as its accessible name (and its inner line edit's, for combo and spin
    boxes, which screen readers reach on their own)."""
    editor.setAccessibleName(label)
    for inner in editor.findChildren(QLineEdit):
        inner.setAccessibleName(label)


def _section_title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, SPACING, 0, 0)
    return label


def _form() -> QFormLayout:
    form = QFormLayout()
    form.setContentsMargins(0, 0, 0, 0)
    form.setHorizontalSpacing(SPACING + 4)
    form.setVerticalSpacing(SPACING)
    form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
    return form


def _stacked(widget: QWidget, note: QWidget) -> QWidget:
    box = QWidget(widget.parentWidget())
    lay = QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(2)
    lay.addWidget(widget)
    lay.addWidget(note)
    return box


def _labels(form: QFormLayout) -> list[QLabel]:
    out = []
    for row in range(form.rowCount()):
        item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        widget = item.widget() if item is not None else None
        if isinstance(widget, QLabel):
            out.append(widget)
    return out


MAX_EXTRA_SHOWN = 50  # unknown keys listed in the panel; the rest are counted


class AgentForm(QWidget):
    edited = Signal(str, object)   # field, the value entered
    typed = Signal(str)            # field whose text is being typed
    burstEnded = Signal(str)       # field whose run of merged edits ends

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.editors: dict[str, QWidget] = {}   # field → its editor (what focus goes to)
        self.notes: dict[str, NoteLabel] = {}
        self.specs: dict[str, Field] = {}
        self.typed_editors: dict[QWidget, str] = {}  # text editors → their field
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)
        outer.addWidget(self._build_header())

        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("propertyTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.setAccessibleName("Agent settings and instructions")
        self.tabs.addTab(self._build_settings(), "Settings")
        self.body = MarkdownEditor("field.body", self)
        prompt = QWidget(self)
        pl = QVBoxLayout(prompt)
        pl.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        pl.addWidget(self.body)
        self.tabs.addTab(prompt, "Instructions")
        self.body.textEdited.connect(lambda _text: self.typed.emit("body"))
        self.editors["body"] = self.body.editor
        self.body.editor.setAccessibleName("Instructions")
        self.typed_editors[self.body.editor] = "body"
        outer.addWidget(self.tabs, 1)

    # -- building -------------------------------------------------------------------------------
    def _build_header(self) -> QWidget:
        # The agent's name, its file, and (for a broken file) what is wrong.
        header = QWidget(self)
        hl = QVBoxLayout(header)
        hl.setContentsMargins(2 * SPACING, 2 * SPACING, 2 * SPACING, SPACING)
        hl.setSpacing(4)
        self.title = QLabel(header)
        self.title.setObjectName("agentTitle")
        tf = self.title.font()
        tf.setPointSizeF(tf.pointSizeF() * 1.25)
        tf.setWeight(QFont.Weight.DemiBold)
        self.title.setFont(tf)
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        self.file_label = QLabel(header)
        self.file_label.setObjectName("agentFile")
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        make_muted(self.file_label)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.overridden_note = NoteLabel(header)  # another scope's definition wins (greyed card)
        self.overridden_note.setObjectName("overriddenNote")
        hl.addWidget(self.title)
        hl.addWidget(self.file_label)
        hl.addWidget(self.overridden_note)

        self.banner = QFrame(header)
        self.banner.setObjectName("yamlErrorBanner")
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        bl = QVBoxLayout(self.banner)
        bl.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        bl.setSpacing(SPACING)
        self.banner_text = QLabel(self.banner)
        self.banner_text.setObjectName("yamlErrorText")
        self.banner_text.setWordWrap(True)
        self.banner_text.setTextFormat(Qt.TextFormat.PlainText)
        self.repair_button = QPushButton("Repair the settings", self.banner)
        self.repair_button.setObjectName("repairButton")
        self.repair_button.setToolTip(
            "Rewrite only the settings block as valid YAML with the same meaning (one undo step)"
        )
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.repair_button)
        bl.addWidget(self.banner_text)
        bl.addLayout(row)
        self.banner.hide()
        hl.addWidget(self.banner)
        return header

    def _add_field(self, spec: Field, form: QFormLayout, parent: QWidget, tooltip: bool = False) -> QWidget:
        name = spec.name
        editor = fields.make_editor(
            spec, parent,
            commit=lambda: self.edited.emit(name, fields.read(spec, self.editors[name])),
            typed=lambda: self.typed.emit(name),
            end_burst=lambda: self.burstEnded.emit(name),
        )
        self.editors[name] = editor
        self.specs[name] = spec
        if spec.typed:
            self.typed_editors[editor] = name
        name_for_readers(editor, spec.label)
        note = self.notes[name] = NoteLabel(parent)
        label = QLabel(spec.label, parent)
        label.setBuddy(editor)
        if tooltip:
            label.setToolTip(f"{name} in the file")
            editor.setToolTip(f"{name} in the file")
        form.addRow(label, _stacked(editor, note))
        return editor

    def _build_settings(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setObjectName("propertyScroll")
        scroll.setAccessibleName("Agent settings")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(scroll)
        self.settings = inner
        col = QVBoxLayout(inner)
        col.setContentsMargins(2 * SPACING, SPACING, 2 * SPACING, 2 * SPACING)
        col.setSpacing(SPACING)

        form = _form()
        for spec in MAIN_FIELDS:
            self._add_field(spec, form, inner)
        self.name_edit = self._editor("name", QLineEdit)
        self.description = self._editor("description", QPlainTextEdit)
        self.model = self._editor("model", QComboBox)
        self.name_note = self.notes["name"]
        self.color = ColorSwatches(inner)
        self.color.colorPicked.connect(lambda value: self.edited.emit("color", value))
        self.editors["color"] = self.color
        self.color.setAccessibleName("Colour")
        form.addRow("Colour", self.color)
        col.addLayout(form)

        # relations
        col.addWidget(_section_title("Coordination", inner))
        rel_form = _form()
        self.relation_lists: dict[str, RelationList] = {}
        for rel in RELATIONS:
            widget = RelationList(f"field.{rel.key}", "Agent name…", inner)
            widget.set_label(rel.label)
            self.relation_lists[rel.key] = widget
            rel_form.addRow(rel.label, widget)
            self.editors[rel.path] = widget.add_line
        self.handoffs = self.relation_lists["hands_off_to"]
        self.receives = self.relation_lists["receives_from"]
        self.parallel = self.relation_lists["parallel_with"]
        self.relation_note = NoteLabel(inner)
        col.addLayout(rel_form)
        col.addWidget(self.relation_note)

        # what Claude Code itself holds to: whom it may start (Agent(…) in tools), its observers
        col.addWidget(_section_title("Agents it starts", inner))
        explain = NoteLabel(inner)
        explain.show_note("Claude Code lets this agent start only the agents under May start, and starts "
                          "its observers beside it to watch its work.", "info")
        col.addWidget(explain)
        start_form = _form()
        for start in STARTS:
            widget = RelationList(f"field.{start.key}", "Agent name…", inner)
            widget.set_label(start.label)
            widget.remove_button.setToolTip("Remove the selected entries from this agent's file")
            self.relation_lists[start.key] = widget
            note = self.notes[start.key] = NoteLabel(inner)
            start_form.addRow(start.label, _stacked(widget, note))
            self.editors[start.path] = widget.add_line
        self.may_start = self.relation_lists["may_start"]
        self.observers = self.relation_lists["observer"]
        col.addLayout(start_form)

        # tools
        col.addWidget(_section_title("Tools", inner))
        self.tools = ToolsEditor(list(CLAUDE_CODE_TOOLS), inner)
        self.tools.toolsChanged.connect(lambda names: self.edited.emit("tools", names))
        self.editors["tools"] = self.tools
        col.addWidget(self.tools)

        # advanced
        self.advanced = CollapsibleSection("Advanced", inner)
        self.advanced.setObjectName("advancedSection")
        adv = _form()
        self.advanced.content.setLayout(adv)
        for spec in ADVANCED:
            self._add_field(spec, adv, self.advanced.content, tooltip=True)
        col.addWidget(self.advanced)

        # unknown keys
        self.extra_title = _section_title("Other settings", inner)
        self.extra_box = QWidget(inner)
        self.extra_box.setObjectName("extraKeys")
        self.extra_form = _form()
        self.extra_box.setLayout(self.extra_form)
        self.extra_note = NoteLabel(inner)
        col.addWidget(self.extra_title)
        col.addWidget(self.extra_note)
        col.addWidget(self.extra_box)
        col.addStretch(1)

        self._forms = [form, rel_form, start_form, adv, self.extra_form]
        self._align_labels(self._forms[:4])
        inner.installEventFilter(self)
        scroll.setWidget(inner)
        return scroll

    def _editor(self, name: str, cls: type[Any]) -> Any:
        editor = self.editors[name]
        assert isinstance(editor, cls)
        return editor

    def list_note(self, key: str) -> NoteLabel:
        """Where a refusal to add to list `key` is said: under that list, or under Coordination."""
        return self.notes.get(key) or self.relation_note

    def editor(self, name: str) -> QWidget | None:
        """The widget to focus for field `name` ("coordination.hands_off_to", "model"…)."""
        return self.editors.get(name) or self.editors.get(name.split(".")[0])

    # -- layout ---------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.settings and isinstance(event, QResizeEvent):
            self._wrap_rows(event.size().width() < WIDE)
        return super().eventFilter(watched, event)

    def _wrap_rows(self, wrap: bool) -> None:
        policy = QFormLayout.RowWrapPolicy.WrapAllRows if wrap else QFormLayout.RowWrapPolicy.DontWrapRows
        if self._forms[0].rowWrapPolicy() == policy:
            return
        align = Qt.AlignmentFlag.AlignLeft if wrap else Qt.AlignmentFlag.AlignRight
        for form in self._forms:
            form.setRowWrapPolicy(policy)
            form.setVerticalSpacing(4 if wrap else SPACING)
            form.setLabelAlignment(align | Qt.AlignmentFlag.AlignVCenter)
            for row, label in enumerate(_labels(form)):
                label.setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
                label.setContentsMargins(0, SPACING if wrap and row else 0, 0, 0)

    def _align_labels(self, forms: list[QFormLayout]) -> None:
        """One label column for every section, so the fields line up down the whole panel."""
        labels = [label for form in forms for label in _labels(form)]
        width = max((lab.sizeHint().width() for lab in labels), default=0)
        for lab in labels:
            lab.setMinimumWidth(width)
            lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    # -- filling --------------------------------------------------------------------------------
    def fill(self, state: AgentState) -> None:
        self.title.setText(state.title)
        self.file_label.setText(state.file_label)
        self.overridden_note.show_note(state.overridden, "warning")
        if state.banner is not None:
            self.banner_text.setText(state.banner)
            self.banner.setStyleSheet(
                f"#yamlErrorBanner {{ border: 1px solid {level_color('error', self.palette())};"
                " border-radius: 6px; }"
            )
            self.banner.show()
        else:
            self.banner.hide()
        self.settings.setEnabled(state.editable)
        self.body.set_read_only(not state.editable)
        for name, spec in self.specs.items():
            fields.show(spec, self.editors[name], state)
            note = state.note(name)
            self.notes[name].show_note(note.text, note.level)
        self.color.set_color(state.values.get("color"))
        self.tools.set_tools(state.tools)
        for key, widget in self.relation_lists.items():
            widget.set_entries([(e.name, e.short, e.note, e.level, e.mark) for e in state.relations[key]])
            widget.set_completions(list(state.completions[key]))
        for start in STARTS:
            note = state.note(start.key)
            self.notes[start.key].show_note(note.text, note.level)
        self._fill_extra(state)
        if not same_body(self.body.text(), state.body):
            self.body.set_text(state.body)

    def _fill_extra(self, state: AgentState) -> None:
        while self.extra_form.rowCount():
            self.extra_form.removeRow(0)
        self.extra_title.setVisible(bool(state.extra))
        self.extra_box.setVisible(bool(state.extra))
        note = state.note("extra")
        self.extra_note.show_note(note.text, note.level)
        shown = state.extra[:MAX_EXTRA_SHOWN]  # 100,000 keys as 100,000 labels froze the window
        for key, text in shown:
            label = QLabel(text, self.extra_box)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.extra_form.addRow(key, label)
        if len(state.extra) > len(shown):
            more = QLabel(f"and {len(state.extra) - len(shown):,} more settings, kept exactly as written",
                          self.extra_box)
            more.setWordWrap(True)
            self.extra_form.addRow("", more)
