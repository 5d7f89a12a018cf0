"""The guided new-agent dialog (Ctrl+N): a few plain questions, checked as they are answered.

The rules (name suggestion, checks, tool groups, starting points, the operation) live in
app/model/new_agent.py without Qt; this only shows them. `Create agent` stays disabled until the
name is valid and free and the description says something of its own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.model import new_agent as na
from app.model.agent import DOCUMENTED_COLORS
from app.model.team import Team
from app.ui.theme import canvas_colors, stripe_color

STARTER_HINT = "Start from"


def _swatch(color: str) -> QIcon:
    pix = QPixmap(14, 14)
    pix.fill(stripe_color(color))
    return QIcon(pix)


class NewAgentDialog(QDialog):
    def __init__(self, team: Team, starters: list[na.Starter], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("newAgent")
        self.setWindowTitle("New agent")
        self.team = team
        self._name_edited = False  # once the user types a name, the purpose no longer changes it
        self._setting = False

        self.starter = QComboBox(self)
        self.starter.setObjectName("newAgent.starter")
        self._starters = [na.BLANK, *starters]
        for i, s in enumerate(self._starters):
            self.starter.addItem(s.label, i)
            nxt = self._starters[i + 1] if i + 1 < len(self._starters) else None
            if nxt is not None and nxt.label.split(" ", 1)[0] != s.label.split(" ", 1)[0]:
                self.starter.insertSeparator(self.starter.count())  # blank | sample roles | copies

        self.purpose = QLineEdit(self)
        self.purpose.setObjectName("newAgent.purpose")
        self.purpose.setPlaceholderText("For example: Customer support bot")

        self.name = QLineEdit(self)
        self.name.setObjectName("newAgent.name")
        self.name_note = self._note("newAgent.nameNote")

        self.description = QPlainTextEdit(self)
        self.description.setObjectName("newAgent.description")
        self.description.setPlaceholderText(f"For example: {na.DESCRIPTION_EXAMPLE}")
        self.description.setTabChangesFocus(True)
        self.description.setFixedHeight(76)
        self.description_note = self._note("newAgent.descriptionNote")

        self.model = QComboBox(self)
        self.model.setObjectName("newAgent.model")
        for label, value, meaning in na.MODELS:
            self.model.addItem(f"{label} — {meaning}", value)

        self.groups: dict[str, QCheckBox] = {}
        groups = QHBoxLayout()
        groups.setSpacing(12)
        for key, label, tools in (*na.TOOL_GROUPS, (na.EVERYTHING, "Everything", ())):
            box = QCheckBox(label, self)
            box.setObjectName(f"newAgent.tools.{key}")
            box.setToolTip(", ".join(tools) if tools else "Every tool Claude Code has, MCP tools too")
            box.toggled.connect(self._groups_changed)
            self.groups[key] = box
            groups.addWidget(box)
        groups.addStretch(1)
        self.show_list = QPushButton("Exact list…", self)
        self.show_list.setObjectName("newAgent.showTools")
        self.show_list.setCheckable(True)
        self.show_list.setFlat(True)
        groups.addWidget(self.show_list)
        self.tool_list = QLineEdit(self)
        self.tool_list.setObjectName("newAgent.toolList")
        self.tool_list.setPlaceholderText("Empty: every tool")
        self.tool_list.setToolTip("The tools written to the file, separated by commas")
        self.tool_list.setVisible(False)
        self.tool_list.textEdited.connect(self._tool_list_edited)
        self.show_list.toggled.connect(self.tool_list.setVisible)
        self.tools_note = self._note("newAgent.toolsNote")

        self.color = QComboBox(self)
        self.color.setObjectName("newAgent.color")
        self.color.addItem("No colour", None)
        for c in DOCUMENTED_COLORS:
            self.color.addItem(_swatch(c), c.capitalize(), c)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setVerticalSpacing(6)
        form.setHorizontalSpacing(16)
        form.addRow(f"{STARTER_HINT}:", self.starter)
        form.addRow("What should it do?", self.purpose)
        form.addRow("Name:", self._with_note(self.name, self.name_note))
        form.addRow("Description:", self._with_note(self.description, self.description_note))
        form.addRow("Model:", self.model)
        tool_rows = QVBoxLayout()
        tool_rows.setSpacing(4)
        tool_rows.addLayout(groups)
        tool_rows.addWidget(self.tool_list)
        tool_rows.addWidget(self.tools_note)
        form.addRow("It may:", tool_rows)
        form.addRow("Colour:", self.color)

        intro = QLabel("Answer in plain words; you can change everything later in the panel on the right.",
                       self)
        intro.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.create_button = self.buttons.addButton("Create agent", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setObjectName("newAgent.create")
        self.create_button.setDefault(True)
        self.buttons.accepted.connect(self._accept)
        self.buttons.rejected.connect(self.reject)

        lay = QVBoxLayout(self)
        lay.setContentsMargins(20, 18, 20, 16)
        lay.setSpacing(12)
        lay.addWidget(intro)
        lay.addLayout(form)
        lay.addStretch(1)
        lay.addWidget(self.buttons)

        self.purpose.textChanged.connect(self._purpose_changed)
        self.name.textEdited.connect(self._name_typed)
        self.name.textChanged.connect(self._check)
        self.description.textChanged.connect(self._check)
        self.starter.currentIndexChanged.connect(self._starter_changed)
        self._starter_changed(0)
        self.resize(640, 0)
        self.purpose.setFocus()

    @staticmethod
    def _with_note(field: QWidget, note: QLabel) -> QVBoxLayout:
        """The field with its note right under it (a form row of its own leaves a gap)."""
        column = QVBoxLayout()
        column.setSpacing(3)
        column.addWidget(field)
        column.addWidget(note)
        return column

    def _note(self, name: str) -> QLabel:
        label = QLabel(self)
        label.setObjectName(name)
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.PlainText)
        return label

    # -- answers ---------------------------------------------------------------------------------
    def current_starter(self) -> na.Starter:
        index = self.starter.currentData()
        return self._starters[index if isinstance(index, int) else 0]

    def _starter_changed(self, _index: int) -> None:
        s = self.current_starter()
        self.description.setPlainText(s.description)
        self.model.setCurrentIndex(max(0, self.model.findData(s.model)))
        self._set_tools(s.tools)
        self.color.setCurrentIndex(max(0, self.color.findData(s.color)))
        if s.source and not self.purpose.text().strip() and not self._name_edited:
            self.name.setText(na.suggest_name(s.source, self.team.names()))
        self._check()

    def _set_tools(self, tools: tuple[str, ...] | None) -> None:
        self._setting = True
        try:
            groups = na.groups_for(tools)
            for key, box in self.groups.items():
                box.setChecked(key in groups)
                box.setEnabled(key == na.EVERYTHING or na.EVERYTHING not in groups)
            self.tool_list.setText(", ".join(tools) if tools is not None else "")
        finally:
            self._setting = False

    def _groups_changed(self, _checked: bool) -> None:
        if self._setting:
            return
        everything = self.groups[na.EVERYTHING].isChecked()
        for key, box in self.groups.items():
            if key != na.EVERYTHING:
                box.setEnabled(not everything)
        tools = na.tools_for(k for k, b in self.groups.items() if b.isChecked())
        self.tool_list.setText(", ".join(tools) if tools is not None else "")
        self._check()

    def _tool_list_edited(self, _text: str) -> None:
        self._set_tools(self.tools())
        self.tool_list.setText(_text)
        self._check()

    def tools(self) -> tuple[str, ...] | None:
        if self.groups[na.EVERYTHING].isChecked() and not self.tool_list.text().strip():
            return None
        names = [t.strip() for t in self.tool_list.text().split(",") if t.strip()]
        return tuple(names) if names else (None if self.groups[na.EVERYTHING].isChecked() else ())

    def _purpose_changed(self, text: str) -> None:
        if not self._name_edited:
            self.name.setText(na.suggest_name(text, self.team.names()) if text.strip() else "")

    def _name_typed(self, text: str) -> None:
        self._name_edited = bool(text)  # clearing the name lets the purpose suggest it again

    def spec(self) -> na.NewAgent:
        return na.NewAgent(self.purpose.text().strip(), self.name.text().strip(),
                           self.description.toPlainText().strip(), self.model.currentData(),
                           self.tools(), self.color.currentData(), self.current_starter())

    def _check(self) -> None:
        spec = self.spec()
        found = na.problems(spec, self.team)
        name = spec.name
        self.name_note.setText(found.get("name", f"Saved as {name}.md" if name else ""))
        self.description_note.setText(found.get("description") or na.description_hint(spec.description)
                                      or "Claude reads this to decide when to hand work to the agent.")
        self.tools_note.setText(found.get("tools", ""))
        self.tools_note.setVisible("tools" in found)
        colors = canvas_colors()
        for note, bad in ((self.name_note, "name" in found), (self.description_note, "description" in found),
                          (self.tools_note, "tools" in found)):
            # amber, not red: nothing is wrong yet (amber-700 on light: 5:1; amber-400 on dark)
            tone = ("#fbbf24" if colors.dark else "#b45309") if bad else colors.text_muted.name()
            note.setStyleSheet(f"color: {tone};")
        self.create_button.setEnabled(not found)

    def _accept(self) -> None:
        if not na.problems(self.spec(), self.team):
            self.accept()
