"""The property panel: one agent's settings as a form (never YAML), its relations and its prompt.

The panel owns no data. It fills itself from the model when the selection or the team changes,
and turns each user change into one model operation through `Controller.do`. Filling never
emits an operation (`_filling` guards every handler) and a value equal to the current one is never
pushed, so the panel and the model cannot ping-pong.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence
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
    QSpinBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.io.document import parse_document
from app.model.agent import (
    CLAUDE_CODE_TOOLS,
    FIELDS,
    KNOWN_MODELS,
    PERMISSION_MODES,
    list_value,
    name_problem,
    split_names,
    tools_value,
)
from app.model.operations import (
    Link,
    RenameAgent,
    RepairFile,
    SetBody,
    SetField,
    Unlink,
    UnsetField,
)
from app.ui.commands import Merge
from app.ui.panels.markdown_editor import MarkdownEditor
from app.ui.panels.widgets import (
    SPACING,
    BalancedLabel,
    CollapsibleSection,
    ColorSwatches,
    NoteLabel,
    RelationList,
    ToolsEditor,
    level_color,
    make_muted,
)

_MISSING = object()

# The documented fields shown under "Advanced" and the editors they get.
ADVANCED_CHOICES: dict[str, tuple[str, ...]] = {
    "permissionMode": PERMISSION_MODES,
    "memory": ("user", "project", "local"),
    "effort": ("low", "medium", "high", "max"),
    "isolation": ("worktree",),
}
ADVANCED_LISTS = ("skills", "disallowedTools")
READ_ONLY_FIELDS = ("mcpServers", "hooks")
ADVANCED_FIELDS = (
    "permissionMode", "maxTurns", "skills", "disallowedTools", "memory", "background", "effort",
    "isolation", "initialPrompt", "mcpServers", "hooks",
)
ADVANCED_LABELS = {
    "permissionMode": "Permissions", "maxTurns": "Max turns", "skills": "Skills",
    "disallowedTools": "Denied tools", "memory": "Memory", "background": "Background",
    "effort": "Effort", "isolation": "Isolation", "initialPrompt": "First prompt",
    "mcpServers": "MCP servers", "hooks": "Hooks",
}
COMMIT_PAUSE_MS = 300  # typing is committed after this pause: one model operation per pause
WIDE = 460  # below this width labels go above their fields, so a narrow dock never clips
RELATION_FIELDS = {
    "coordination.hands_off_to": "handoffs",
    "coordination.receives_from": "receives",
    "coordination.parallel_with": "parallel",
}


def _summary(value: Any, limit: int = 80) -> str:
    """A short read-only description of a value the form does not edit."""
    if isinstance(value, dict):
        keys = ", ".join(str(k) for k in list(value)[:6])
        more = "…" if len(value) > 6 else ""
        text = f"{len(value)} entr{'y' if len(value) == 1 else 'ies'}: {keys}{more}"
    elif isinstance(value, (list, tuple)):
        text = ", ".join(_summary(v, 30) for v in value) or "(empty list)"
    elif value is None:
        text = "(no value)"
    elif isinstance(value, bool):
        text = "true" if value else "false"
    else:
        text = str(value)
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _same_body(shown: str, body: str) -> bool:
    """The editor's text stands for `body`: SetBody keeps the file's final newline as it was, so
    a text that differs only by that newline is the same body (and must not reset the cursor)."""
    return shown == body or shown + "\n" == body or shown == body + "\n"


def _section_title(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setContentsMargins(0, SPACING, 0, 0)
    return label


class PropertyPanel(QWidget):
    """`PropertyPanel(controller)`: edits the selected agent."""

    def __init__(self, controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("propertyPanel")
        self.controller = controller
        self._agent: str | None = None  # the agent shown (its current name)
        self._path: str | None = None
        self._filling = False
        self._bursts = itertools.count(1)
        self._burst: dict[str, int] = {}  # field -> current typing-burst id (merge key part)
        self._field_widgets: dict[str, QWidget] = {}
        self._known_names: set[str] = set()  # the team's names at the last change (to follow renames)
        self._pending: dict[str, QWidget] = {}  # field -> text widget whose typing is not committed yet
        self._commit_timer = QTimer(self)
        self._commit_timer.setSingleShot(True)
        self._commit_timer.setInterval(COMMIT_PAUSE_MS)
        self._commit_timer.timeout.connect(self.commit_pending)

        self.stack = QStackedWidget(self)
        self.empty_page = self._message_page(
            "Select an agent on the canvas to edit it.",
            "Its name, model, colour, tools, hand-offs and instructions appear here.",
        )
        self.multi_page, self.multi_label, self.multi_names = self._multi_page()
        for page in (self.empty_page, self.multi_page):
            self.stack.addWidget(page)
        # The agent form (about 40 ms of widgets) is built when first needed: start-up shows
        # the empty page only. See `form_page` and `__getattr__`.
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)

        controller.teamOpened.connect(self._team_opened)
        controller.teamChanged.connect(self._team_changed)
        controller.selectionChanged.connect(self._selection_changed)
        controller.aboutToSave.connect(self.flush)
        controller.aboutToJournal.connect(self.commit_pending)  # merges into the typing's step
        controller.focusField.connect(self.focus_field)
        self._show_empty()

    _form_page: QWidget | None = None
    _building_form = False

    @property
    def form_page(self) -> QWidget:
        """The agent form (third page of the stack), built on first use."""
        if self._form_page is None:
            self._building_form = True
            try:
                page = self._build_form()
            finally:
                self._building_form = False
            self._form_page = page
            self.stack.addWidget(page)
        return self._form_page

    def __getattr__(self, name: str):
        # Only called for a missing attribute: the form's widgets (name_edit, tools, tabs...)
        # exist once the form is built, so build it and look again.
        if (self._form_page is None and not self._building_form and not name.startswith("__")
                and "stack" in self.__dict__):
            self.form_page  # noqa: B018 - builds the form
            return getattr(self, name)
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    # ---------------------------------------------------------------------------------- pages --
    def _message_page(self, title: str, detail: str) -> QWidget:
        page = QWidget(self)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(3 * SPACING, 3 * SPACING, 3 * SPACING, 3 * SPACING)
        lay.addStretch(1)
        head = BalancedLabel(title, page)
        head.setObjectName("emptyTitle")
        font = head.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        head.setFont(font)
        body = BalancedLabel(detail, page)
        make_muted(body)
        # Both labels fill the row and centre their text. An item aligned in the layout instead is
        # given its size hint's width but a height computed for another width, which cut the
        # wrapped heading's first and last lines; filling the row, the label's heightForWidth is
        # honoured at every dock width.
        lay.setSpacing(SPACING)
        lay.addWidget(head)
        lay.addWidget(body)
        lay.addStretch(2)
        return page

    def _multi_page(self) -> tuple[QWidget, QLabel, QLabel]:
        page = QWidget(self)
        lay = QVBoxLayout(page)
        lay.setContentsMargins(2 * SPACING, 2 * SPACING, 2 * SPACING, 2 * SPACING)
        lay.setSpacing(SPACING)
        title = QLabel(page)
        title.setObjectName("multiSummary")
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        font.setBold(True)
        title.setFont(font)
        names = QLabel(page)
        names.setWordWrap(True)
        names.setTextFormat(Qt.TextFormat.PlainText)
        hint = QLabel("Select a single agent to edit its settings.", page)
        make_muted(hint)
        lay.addWidget(title)
        lay.addWidget(names)
        lay.addWidget(hint)
        lay.addStretch(1)
        return page, title, names

    def _build_form(self) -> QWidget:
        page = QWidget(self)
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(0)

        # Header: the agent's name, its file, and (for a broken file) what is wrong.
        header = QWidget(page)
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
        hl.addWidget(self.title)
        hl.addWidget(self.file_label)

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
        self.repair_button.clicked.connect(self.repair)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.repair_button)
        bl.addWidget(self.banner_text)
        bl.addLayout(row)
        self.banner.hide()
        hl.addWidget(self.banner)
        outer.addWidget(header)

        self.tabs = QTabWidget(page)
        self.tabs.setObjectName("propertyTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self._build_settings(), "Settings")
        self.body = MarkdownEditor("field.body", self)
        prompt = QWidget(self)
        pl = QVBoxLayout(prompt)
        pl.setContentsMargins(SPACING, SPACING, SPACING, SPACING)
        pl.addWidget(self.body)
        self.tabs.addTab(prompt, "Instructions")
        self.body.textEdited.connect(self._body_edited)
        self._field_widgets["body"] = self.body.editor
        self._bursty[self.body.editor] = "body"
        for widget in self._bursty:
            widget.installEventFilter(self)
        outer.addWidget(self.tabs, 1)
        return page

    def _build_settings(self) -> QWidget:
        scroll = QScrollArea(self)
        scroll.setObjectName("propertyScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        inner = QWidget(scroll)
        self.settings = inner
        col = QVBoxLayout(inner)
        col.setContentsMargins(2 * SPACING, SPACING, 2 * SPACING, 2 * SPACING)
        col.setSpacing(SPACING)

        form = self._form(inner)
        # name
        self.name_edit = QLineEdit(inner)
        self.name_edit.setObjectName("field.name")
        self.name_edit.setPlaceholderText("lowercase-with-hyphens")
        self.name_note = NoteLabel(inner)
        self.name_edit.textEdited.connect(self._name_typed)
        self.name_edit.editingFinished.connect(self._name_finished)
        form.addRow("Name", self._stacked(self.name_edit, self.name_note))
        # description
        self.description = QPlainTextEdit(inner)
        self.description.setObjectName("field.description")
        self.description.setTabChangesFocus(True)
        self.description.setUndoRedoEnabled(False)
        self.description.setPlaceholderText("When should Claude hand work to this agent?")
        lh = self.description.fontMetrics().lineSpacing()
        self.description.setFixedHeight(5 * lh + 2 * self.description.frameWidth() + 10)
        self.description.textChanged.connect(lambda: self._text_changed("description", self.description))
        self.description_note = NoteLabel(inner)
        form.addRow("Description", self._stacked(self.description, self.description_note))
        # model
        self.model = QComboBox(inner)
        self.model.setObjectName("field.model")
        self.model.setEditable(True)
        self.model.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.model.addItem("")
        self.model.setItemData(0, "Not set (Claude Code's default)", Qt.ItemDataRole.ToolTipRole)
        self.model.addItems(list(KNOWN_MODELS))
        self.model.lineEdit().setPlaceholderText("Not set")
        self.model.activated.connect(lambda _i: self._model_committed())
        self.model.lineEdit().editingFinished.connect(self._model_committed)
        self.model_note = NoteLabel(inner)
        form.addRow("Model", self._stacked(self.model, self.model_note))
        # colour
        self.color = ColorSwatches(inner)
        self.color.colorPicked.connect(self._color_picked)
        form.addRow("Colour", self.color)
        col.addLayout(form)

        # relations
        col.addWidget(_section_title("Coordination", inner))
        rel_form = self._form(inner)
        self.handoffs = RelationList("field.hands_off_to", "Agent name…", inner)
        self.receives = RelationList("field.receives_from", "Agent name…", inner)
        self.parallel = RelationList("field.parallel_with", "Agent name…", inner)
        for key, widget, label in (
            ("hands_off_to", self.handoffs, "Hands off to"),
            ("receives_from", self.receives, "Receives from"),
            ("parallel_with", self.parallel, "Parallel with"),
        ):
            widget.addRequested.connect(lambda name, k=key: self._relation_add(k, name))
            widget.removeRequested.connect(lambda name, k=key: self._relation_remove(k, name))
            widget.completeRequested.connect(lambda name, k=key: self._relation_complete(k, name))
            widget.showRequested.connect(self._go_to)
            rel_form.addRow(label, widget)
            self._field_widgets[f"coordination.{key}"] = widget.add_line
        self.relation_note = NoteLabel(inner)
        col.addLayout(rel_form)
        col.addWidget(self.relation_note)

        # tools
        col.addWidget(_section_title("Tools", inner))
        self.tools = ToolsEditor(list(CLAUDE_CODE_TOOLS), inner)
        self.tools.toolsChanged.connect(self._tools_changed)
        col.addWidget(self.tools)

        # advanced
        self.advanced = CollapsibleSection("Advanced", inner)
        self.advanced.setObjectName("advancedSection")
        adv = self._form(self.advanced.content)
        self.advanced.content.setLayout(adv)
        self._adv: dict[str, QWidget] = {}
        self._adv_notes: dict[str, NoteLabel] = {}
        for field in ADVANCED_FIELDS:
            widget = self._advanced_editor(field)
            note = NoteLabel(self.advanced.content)
            self._adv[field] = widget
            self._adv_notes[field] = note
            self._field_widgets[field] = widget
            label = QLabel(ADVANCED_LABELS[field], self.advanced.content)
            label.setToolTip(f"{field} in the file")
            widget.setToolTip(f"{field} in the file")
            adv.addRow(label, self._stacked(widget, note))
        col.addWidget(self.advanced)

        # unknown keys
        self.extra_title = _section_title("Other settings", inner)
        self.extra_box = QWidget(inner)
        self.extra_box.setObjectName("extraKeys")
        self.extra_form = self._form(self.extra_box)
        self.extra_box.setLayout(self.extra_form)
        self.extra_note = NoteLabel(inner)
        col.addWidget(self.extra_title)
        col.addWidget(self.extra_note)
        col.addWidget(self.extra_box)
        col.addStretch(1)

        self._forms = [form, rel_form, adv, self.extra_form]
        self._bursty = {self.description: "description", self._adv["initialPrompt"]: "initialPrompt"}
        self._align_labels(self._forms[:3])
        inner.installEventFilter(self)
        self._field_widgets.update(
            name=self.name_edit, description=self.description, model=self.model,
            color=self.color, tools=self.tools,
        )
        scroll.setWidget(inner)
        return scroll

    def eventFilter(self, watched, event) -> bool:
        if watched is self.settings and event.type() == QEvent.Type.Resize:
            self._wrap_rows(event.size().width() < WIDE)
        elif event.type() == QEvent.Type.FocusOut and watched in self._bursty:
            # Leaving a text field commits it and ends its typing burst: the next visit is a new
            # undo step.
            self.commit_pending(self._bursty[watched])
            self._end_burst(self._bursty[watched])
        elif event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and watched in self._bursty:
            undo = event.matches(QKeySequence.StandardKey.Undo)
            redo = event.matches(QKeySequence.StandardKey.Redo)
            if undo or redo:
                # Ctrl+Z in a text field is the team's undo (the fields keep no history of their
                # own): commit the typing first so it is what gets undone.
                self.commit_pending()
                self._end_burst(self._bursty[watched])
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.ignore()  # let the window's Undo shortcut have it
                    return True
                stack = self.controller.undo_stack
                stack.undo() if undo else stack.redo()
                return True
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
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                if item is not None and item.widget() is not None:
                    item.widget().setAlignment(align | Qt.AlignmentFlag.AlignVCenter)
                    item.widget().setContentsMargins(0, SPACING if wrap and row else 0, 0, 0)

    def _align_labels(self, forms: list[QFormLayout]) -> None:
        """One label column for every section, so the fields line up down the whole panel."""
        labels = []
        for form in forms:
            for row in range(form.rowCount()):
                item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
                if item is not None and item.widget() is not None:
                    labels.append(item.widget())
        width = max((lab.sizeHint().width() for lab in labels), default=0)
        for lab in labels:
            lab.setMinimumWidth(width)
            lab.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def _form(self, parent: QWidget) -> QFormLayout:
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setHorizontalSpacing(SPACING + 4)
        form.setVerticalSpacing(SPACING)
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        return form

    def _stacked(self, widget: QWidget, note: QWidget) -> QWidget:
        box = QWidget(widget.parentWidget())
        lay = QVBoxLayout(box)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        lay.addWidget(widget)
        lay.addWidget(note)
        return box

    def _advanced_editor(self, field: str) -> QWidget:
        parent = self.advanced.content
        if field in ADVANCED_CHOICES:
            w = QComboBox(parent)
            w.setEditable(True)
            w.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            w.addItem("")
            w.addItems(list(ADVANCED_CHOICES[field]))
            w.lineEdit().setPlaceholderText("Not set")
            w.activated.connect(lambda _i, f=field: self._advanced_text_committed(f))
            w.lineEdit().editingFinished.connect(lambda f=field: self._advanced_text_committed(f))
        elif field == "maxTurns":
            w = QSpinBox(parent)
            w.setRange(0, 100000)
            w.setSpecialValueText("Not set")
            w.setAccelerated(True)
            w.valueChanged.connect(self._max_turns_changed)
            w.editingFinished.connect(lambda: self._end_burst("maxTurns"))
        elif field == "background":
            w = QComboBox(parent)
            w.addItem("Not set", None)
            w.addItem("Yes (always runs in the background)", True)
            w.addItem("No", False)
            w.activated.connect(lambda _i: self._background_changed())
        elif field in ADVANCED_LISTS:
            w = QLineEdit(parent)
            w.setPlaceholderText("Not set — comma-separated names")
            w.editingFinished.connect(lambda f=field: self._advanced_list_committed(f))
        elif field == "initialPrompt":
            w = QPlainTextEdit(parent)
            w.setTabChangesFocus(True)
            w.setUndoRedoEnabled(False)
            w.setPlaceholderText("Not set")
            w.setFixedHeight(3 * w.fontMetrics().lineSpacing() + 12)
            w.textChanged.connect(lambda: self._text_changed("initialPrompt", w))
        else:  # mcpServers, hooks: nested structures, shown and kept, edited in the file
            w = QLabel(parent)
            w.setWordWrap(True)
            w.setTextFormat(Qt.TextFormat.PlainText)
            w.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        w.setObjectName(f"field.{field}")
        return w

    # ------------------------------------------------------------------------------- plumbing --
    @property
    def team(self):
        return self.controller.team

    def _file(self):
        if self.team is None or self._agent is None:
            return None
        return self.team.agent(self._agent)

    def _team_opened(self, team) -> None:
        self._known_names = set(team.names()) if team is not None else set()
        self._agent = None
        self._burst.clear()
        self._show_empty()

    def _selection_changed(self, names: list) -> None:
        self._show_selection(list(names))

    def _show_selection(self, names: list[str]) -> None:
        if self._pending and names != [self._agent]:
            self.commit_pending()  # for the agent it was typed for
        if len(names) == 1 and self.team is not None and self.team.agent(names[0]) is not None:
            if names[0] != self._agent:
                self._burst.clear()
            self._agent = names[0]
            self.refresh()
        elif len(names) > 1:
            self._agent = None
            self.multi_label.setText(f"{len(names)} agents selected")
            self.multi_names.setText(", ".join(names))
            self.stack.setCurrentWidget(self.multi_page)
        else:
            self._show_empty()

    def _show_empty(self) -> None:
        self._agent = None
        self._path = None
        self.stack.setCurrentWidget(self.empty_page)

    def _team_changed(self, change) -> None:
        known, self._known_names = self._known_names, set(self.team.names()) if self.team else set()
        if self._agent is None:
            return
        if self._pending:
            # Something else changed the team while the user is typing here: keep the typing,
            # commit it once this notification is over, and show the rest of the change then.
            self._known_names = known  # so that a rename is still recognised then
            QTimer.singleShot(0, self._commit_then_refresh)
            return
        af = self._file()
        if af is None and self.team is not None:
            # Renamed under us (undo or redo of a rename): exactly one new name appeared. Follow
            # it, and move the selection along once this notification is over.
            appeared = self._known_names - known
            if len(appeared) == 1:
                new = appeared.pop()
                self._agent = new
                af = self._file()
                QTimer.singleShot(0, lambda n=new: self._agent == n and self.controller.select([n]))
        if af is None:
            self._show_empty()
            return
        # Any file change can change this agent's relations (the other side of a link lives in
        # another file); a change of positions only (a drag on the canvas) cannot.
        if change is None or change.structure or change.files:
            self.refresh()

    def _commit_then_refresh(self) -> None:
        self.commit_pending()
        if self._file() is not None:
            self.refresh()
        elif self._agent is not None:
            self._team_changed(None)

    def _key(self, field: str) -> tuple:
        """Merge key: consecutive edits of one field of one agent form one undo step, until the
        user leaves the field."""
        burst = self._burst.get(field)
        if burst is None:
            burst = self._burst[field] = next(self._bursts)
        return (self._agent, field, burst)

    def _end_burst(self, field: str) -> None:
        self._burst.pop(field, None)

    def _do(self, op, field: str | None = None, merge: bool = False) -> bool:
        key = self._key(field) if merge and field else None
        ok = self.controller.do(op, Merge.TYPING if key is not None else None, key)
        if not merge and field:
            self._end_burst(field)
        if not ok:
            self.refresh()  # show the model's value again
        return ok

    def _current(self, field: str) -> Any:
        af = self._file()
        if af is None or af.agent is None:
            return _MISSING
        agent = af.agent
        invalid = getattr(af, "invalid", None) or {}
        if field in invalid:
            return invalid[field]
        if field in FIELDS:
            value = getattr(agent, field)
            return _MISSING if value is None and field not in agent.fields_set else value
        return agent.extra.get(field, _MISSING)

    def _set(self, field: str, value: Any, merge: bool = False) -> None:
        """Set (value) or unset (None) a top-level field, unless that changes nothing."""
        if self._filling or self._agent is None:
            return
        current = self._current(field)
        if value is None:
            if current is _MISSING:
                return
            self._do(UnsetField(self._agent, field), field, merge)
        else:
            if current is not _MISSING and current == value and type(current) is type(value):
                return
            self._do(SetField(self._agent, field, value), field, merge)

    # ----------------------------------------------------------------------------- filling ----
    def refresh(self) -> None:
        af = self._file()
        if af is None:
            self._show_empty()
            return
        self._filling = True
        try:
            self._fill(af)
        finally:
            self._filling = False
        if self.stack.currentWidget() is not self.form_page:
            self.stack.setCurrentWidget(self.form_page)

    def _fill(self, af) -> None:
        agent = af.agent
        self._path = af.path
        self.title.setText(af.name or af.path)
        self.file_label.setText(af.path + ("   •  unsaved changes" if af.dirty else ""))
        editable = bool(af.editable)
        error = af.error
        if error is not None:
            message = error.message
            if error.line and "line" not in message.lower():
                message = f"Line {error.line}: {message}"
            self.banner_text.setText(
                "The settings of this file are not valid YAML, so they are shown read-only and "
                f"nothing in the file is changed.\n\n{message}\n\n"
                "Repair puts the values YAML rejects in quotes; nothing else changes."
            )
            self.banner.setStyleSheet(
                f"#yamlErrorBanner {{ border: 1px solid {level_color('error', self.palette())};"
                " border-radius: 6px; }"
            )
            self.banner.show()
        else:
            self.banner.hide()
        self.settings.setEnabled(editable)
        self.body.set_read_only(not editable)

        # name
        if self.name_edit.text() != (af.name or ""):
            self.name_edit.setText(af.name or "")
        self.name_note.show_note("")
        # description
        desc = agent.description if agent is not None else None
        self._set_plain(self.description, desc if isinstance(desc, str) else "")
        if not desc:
            self.description_note.show_note(
                "Claude Code needs a description to know when to use this agent.", "error"
            )
        else:
            self.description_note.show_note("")
        # model
        model = agent.model if agent is not None else None
        if self.model.currentText() != (model or ""):
            idx = self.model.findText(model or "", Qt.MatchFlag.MatchFixedString)
            if idx >= 0 and self.model.itemText(idx) == (model or ""):
                self.model.setCurrentIndex(idx)
            else:
                self.model.setEditText(model or "")
        self._model_note(model)
        # colour
        self.color.set_color(agent.color if agent is not None else None)
        # tools
        self.tools.set_tools(agent.tool_names() if agent is not None else None)
        # relations
        self._fill_relations(af)
        # advanced
        self._fill_advanced(af)
        # unknown keys
        self._fill_extra(agent)
        # body
        doc = parse_document(af.text)
        body = (doc.body if doc.frontmatter is not None else af.text).replace("\r\n", "\n")
        if not _same_body(self.body.text(), body):
            self.body.set_text(body)

    def _set_plain(self, widget: QPlainTextEdit, text: str) -> None:
        if widget.toPlainText() != text:
            widget.setPlainText(text)

    def _model_note(self, model: str | None) -> None:
        if not model:
            self.model_note.show_note("Not set: Claude Code uses its default model for subagents.", "info")
        elif model in KNOWN_MODELS or model.startswith("claude-"):
            self.model_note.show_note("")
        else:
            self.model_note.show_note(
                f"“{model}” is not a model Claude Code knows (inherit, sonnet, opus, haiku or a "
                "claude-… id). It is kept as written.",
                "warning",
            )

    def _fill_relations(self, af) -> None:
        team = self.team
        me = af.name
        names = team.names()
        others = [n for n in names if n != me]
        known = set(names)
        agent = af.agent
        lists = {k: (agent.coordination_list(k) if agent is not None else []) for k in
                 ("hands_off_to", "receives_from", "parallel_with")}
        entries: dict[str, dict[str, tuple[str, str]]] = {k: {} for k in lists}
        for rel in team.relations():
            if rel.kind == "handoff" and me in (rel.source, rel.target):
                key, other = ("hands_off_to", rel.target) if rel.source == me else ("receives_from", rel.source)
                if rel.source == rel.target:
                    continue
                back = "receives_from" if key == "hands_off_to" else "hands_off_to"
            elif rel.kind == "parallel" and me in (rel.source, rel.target):
                key, back = "parallel_with", "parallel_with"
                other = rel.target if rel.source == me else rel.source
                if other == me:
                    continue
            else:
                continue
            words = {"receives_from": "receives-from", "hands_off_to": "hands-off-to",
                     "parallel_with": "parallel-with"}[back]
            if me not in rel.declared_by:
                note = f"Declared only in {other}'s file; {me}'s file does not list {other}."
                entries[key][other] = ("only in their file", note, "warning")
            elif other not in rel.declared_by:
                note = (f"{other} does not list {me} in its {words}. "
                        "Use the problems panel to declare both sides.")
                entries[key][other] = ("not declared back", note, "warning")
            else:
                entries[key][other] = ("", "", "ok")
        for key, declared in lists.items():
            for other in declared:
                if other == me:
                    entries[key].setdefault(other, ("itself", "An agent cannot refer to itself.", "warning"))
                elif other not in known:
                    note = f"There is no agent named {other} in this team."
                    entries[key].setdefault(other, ("no such agent", note, "error"))
        for key, widget in (("hands_off_to", self.handoffs), ("receives_from", self.receives),
                            ("parallel_with", self.parallel)):
            order = lists[key] + sorted(n for n in entries[key] if n not in lists[key])
            widget.set_entries([(n, *entries[key][n]) for n in order])
            widget.set_completions([n for n in others if n not in entries[key]])

    def _fill_advanced(self, af) -> None:
        for field in ADVANCED_FIELDS:
            widget = self._adv[field]
            note = self._adv_notes[field]
            value = self._current(field)
            note.show_note("")
            shown = None if value is _MISSING else value
            invalid = field in (getattr(af, "invalid", None) or {})
            if invalid:
                note.show_note(
                    f"The file has “{_summary(value)}”, which is not a valid value here. "
                    "It is kept as written until you change it.",
                    "warning",
                )
            if isinstance(widget, QComboBox) and field in ADVANCED_CHOICES:
                text = "" if shown is None else _summary(shown, 200)
                if widget.currentText() != text:
                    idx = widget.findText(text)
                    if idx >= 0 and widget.itemText(idx) == text:
                        widget.setCurrentIndex(idx)
                    else:
                        widget.setEditText(text)
                if shown is not None and not invalid and not isinstance(shown, str):
                    note.show_note("Kept as written; type a new value to replace it.", "info")
            elif field == "maxTurns":
                widget.setValue(shown if isinstance(shown, int) and not isinstance(shown, bool) else 0)
            elif field == "background":
                idx = {None: 0, True: 1, False: 2}.get(shown if isinstance(shown, bool) or shown is None
                                                       else None, 0)
                widget.setCurrentIndex(idx)
            elif field in ADVANCED_LISTS:
                text = ", ".join(split_names(shown)) if shown is not None and not invalid else ""
                if widget.text() != text:
                    widget.setText(text)
            elif field == "initialPrompt":
                self._set_plain(widget, shown if isinstance(shown, str) else "")
            else:
                widget.setText("Not set" if shown is None else
                               f"{_summary(shown)}\n(shown for reference; kept exactly as written)")

    def _fill_extra(self, agent) -> None:
        while self.extra_form.rowCount():
            self.extra_form.removeRow(0)
        extra = dict(agent.extra) if agent is not None else {}
        extra.pop("coordination", None)
        self.extra_title.setVisible(bool(extra))
        self.extra_box.setVisible(bool(extra))
        if extra:
            self.extra_note.show_note(
                "Not Claude Code settings; kept exactly as written when you save.", "info"
            )
        else:
            self.extra_note.show_note("")
        for key, value in extra.items():
            label = QLabel(_summary(value, 200), self.extra_box)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
            self.extra_form.addRow(str(key), label)

    # ------------------------------------------------------------------------------- editing --
    def _name_typed(self, text: str) -> None:
        reason = self._name_reason(text)
        self.name_note.show_note(reason or "", "error")

    def _name_reason(self, text: str) -> str | None:
        if text == self._agent:
            return None
        problem = name_problem(text)
        if problem:
            return problem[0].upper() + problem[1:] + "."
        if self.team is not None and self.team.agent(text) is not None:
            return f"Another agent is already called {text}."
        return None

    def _name_finished(self) -> None:
        if self._filling or self._agent is None:
            return
        new = self.name_edit.text().strip()
        old = self._agent
        if new == old:
            self.name_note.show_note("")
            return
        if self._name_reason(new):
            return  # the note says why; the name stays until it is valid
        self._agent = new  # follow the rename while the model notifies
        if not self.controller.do(RenameAgent(old, new)):
            self._agent = old
            self.refresh()
            return
        self.name_note.show_note("")
        self.controller.select([new])
        self.refresh()

    def _text_changed(self, field: str, widget: QPlainTextEdit) -> None:
        # Typed text is committed after a short pause (or when the user leaves the field, saves,
        # undoes or selects another agent): one operation per pause, merged per burst.
        if self._filling or self._agent is None:
            return
        self._pending[field] = widget
        self._commit_timer.start()

    def _body_edited(self, _text: str) -> None:
        self._text_changed("body", self.body.editor)

    def commit_pending(self, field: str | None = None) -> None:
        """Commit typed text that is still waiting for its pause."""
        fields = [field] if field is not None else list(self._pending)
        for f in fields:
            widget = self._pending.pop(f, None)
            if widget is None or self._agent is None:
                continue
            text = widget.toPlainText()
            if f == "body":
                self._commit_body(text)
            else:
                self._set(f, text if text or f == "description" else None, merge=True)
        if not self._pending:
            self._commit_timer.stop()

    def _commit_body(self, text: str) -> None:
        af = self._file()
        if af is None:
            return
        doc = parse_document(af.text)
        if doc.frontmatter is not None and _same_body(text, doc.body.replace("\r\n", "\n")):
            return
        self._do(SetBody(self._agent, text), "body", merge=True)

    def _model_committed(self) -> None:
        if self._filling:
            return
        self._set("model", self.model.currentText().strip() or None)

    def _color_picked(self, value: str | None) -> None:
        self._set("color", value)

    def _tools_changed(self, names: list[str] | None) -> None:
        if self._filling or self._agent is None:
            return
        current = self._current("tools")
        original = None if current is _MISSING else current
        self._set("tools", tools_value(original, names))

    def _advanced_text_committed(self, field: str) -> None:
        if self._filling:
            return
        widget = self._adv[field]
        text = widget.currentText().strip()
        current = self._current(field)
        if current is not _MISSING and not isinstance(current, str) and text == _summary(current, 200):
            return  # a kept non-text value shown as text: unchanged
        self._set(field, text or None)

    def _max_turns_changed(self, value: int) -> None:
        self._set("maxTurns", value or None, merge=True)

    def _background_changed(self) -> None:
        self._set("background", self._adv["background"].currentData())

    def _advanced_list_committed(self, field: str) -> None:
        if self._filling:
            return
        names = split_names(self._adv[field].text())
        current = self._current(field)
        original = None if current is _MISSING else current
        if original is not None and split_names(original) == names:
            return
        self._set(field, list_value(original, names) if names else None)

    # ------------------------------------------------------------------------------ relations --
    def _relation_add(self, key: str, name: str) -> None:
        me = self._agent
        if me is None:
            return
        widget = {"hands_off_to": self.handoffs, "receives_from": self.receives,
                  "parallel_with": self.parallel}[key]
        if name == me:
            self.relation_note.show_note("An agent cannot hand off to or work alongside itself.", "error")
            return
        if self.team.agent(name) is None:
            self.relation_note.show_note(f"There is no agent named {name} in this team.", "error")
            return
        self.relation_note.show_note("")
        if key == "hands_off_to":
            op = Link(me, name, "handoff")
        elif key == "receives_from":
            op = Link(name, me, "handoff")
        else:
            op = Link(me, name, "parallel")
        if self.controller.do(op):
            widget.add_line.clear()

    def _relation_op(self, key: str, name: str, cls):
        me = self._agent
        if key == "hands_off_to":
            return cls(me, name, "handoff")
        if key == "receives_from":
            return cls(name, me, "handoff")
        return cls(me, name, "parallel")

    def _relation_complete(self, key: str, name: str) -> None:
        """Declare a one-sided relation on both sides (the side already declared stays as is)."""
        if self._agent is not None and self.team.agent(name) is not None:
            self.controller.do(self._relation_op(key, name, Link))

    def _go_to(self, name: str) -> None:
        if self.team is not None and self.team.agent(name) is not None:
            self.controller.select([name])

    def _relation_remove(self, key: str, name: str) -> None:
        me = self._agent
        if me is None:
            return
        self.relation_note.show_note("")
        if self.team.agent(name) is None or name == me:
            # A reference to no agent (or to itself): drop it from this file's list only.
            af = self._file()
            remaining = [n for n in af.agent.coordination_list(key) if n != name]
            self._do(SetField(me, f"coordination.{key}", remaining))
            return
        if key == "hands_off_to":
            op = Unlink(me, name, "handoff")
        elif key == "receives_from":
            op = Unlink(name, me, "handoff")
        else:
            op = Unlink(me, name, "parallel")
        self.controller.do(op)

    # -------------------------------------------------------------------------------- repair --
    def repair(self) -> None:
        af = self._file()
        if af is not None:
            self.controller.do(RepairFile(af.path))

    # ------------------------------------------------------------------------------ focusing --
    def focus_field(self, agent: str, field: str) -> None:
        if agent != self._agent:
            self._show_selection([agent])
        if self._agent != agent or self.stack.currentWidget() is not self.form_page:
            return
        af = self._file()
        if af is not None and af.error is not None:
            QTimer.singleShot(0, self.repair_button.setFocus)
            return
        field = field or "name"
        if field == "body":
            self.tabs.setCurrentIndex(1)
        else:
            self.tabs.setCurrentIndex(0)
        if field in ADVANCED_FIELDS:
            self.advanced.set_expanded(True)
        widget = self._field_widgets.get(field) or self._field_widgets.get(field.split(".")[0])
        if widget is None:
            widget = self.name_edit
        scroll = self.tabs.widget(0)
        if isinstance(scroll, QScrollArea) and field != "body":
            scroll.ensureWidgetVisible(widget, 0, 2 * SPACING)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def flush(self) -> None:
        """Commit edits still being typed (before a save, for example)."""
        self.commit_pending()
        if self._form_page is None:
            return  # no form yet: nothing typed in it
        if self._agent is not None and self.tools.extra.hasFocus():
            self.tools.commit()
        if self.name_edit.hasFocus() and self.name_edit.text().strip() != (self._agent or ""):
            self._name_finished()
