"""The property panel: one agent's settings as a form (never YAML), its relations and its prompt.

The panel owns no data. The form (agent_form.py, built from the field table in fields.py) shows
what the presenter (presenter.py) says about the selected agent, and every edit the form reports
goes one way: `_on_edit` → the presenter's intent → one operation through `Controller.do`.
Filling never emits an operation (`_filling`, checked in `_on_edit` only) and the presenter never
makes an operation that changes nothing, so the panel and the model cannot ping-pong.
"""

from __future__ import annotations

import itertools
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QScrollArea, QStackedWidget, QVBoxLayout, QWidget

from app.model.agent_file import AgentFile
from app.model.changes import TeamChange
from app.model.edit import Operation
from app.model.operations import RepairFile
from app.model.team import Team
from app.ui.commands import Merge
from app.ui.controller import Controller
from app.ui.panels import presenter
from app.ui.panels.agent_form import AgentForm
from app.ui.panels.presenter import ADVANCED_FIELDS, MERGED
from app.ui.panels.widgets import SPACING, BalancedLabel, make_muted

COMMIT_PAUSE_MS = 300  # typing is committed after this pause: one model operation per pause
TYPING = object()  # what `_on_edit` gets while text is being typed (read when it is committed)


class PropertyPanel(QWidget):
    """`PropertyPanel(controller)`: edits the selected agent."""

    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("propertyPanel")
        self.controller = controller
        self._agent: str | None = None  # the agent shown (its current name)
        self._filling = False
        self._bursts = itertools.count(1)
        self._burst: dict[str, int] = {}  # field -> current typing-burst id (merge key part)
        self._pending: list[str] = []  # fields whose typing is not committed yet
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
        # the empty page only. See `form`.
        self._form: AgentForm | None = None
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.stack)

        controller.teamOpened.connect(self._team_opened)
        controller.teamChanged.connect(self._team_changed)
        controller.selectionChanged.connect(self._show_selection)
        controller.aboutToSave.connect(self.flush)
        controller.aboutToJournal.connect(self.commit_pending)  # merges into the typing's step
        controller.focusField.connect(self.focus_field)
        controller.relationShown.connect(self.show_relation)
        controller.scopesChanged.connect(lambda: self._agent is not None and self.refresh())
        self._show_empty()

    @property
    def form(self) -> AgentForm:
        """The agent form (third page of the stack), built on first use."""
        if self._form is None:
            form = self._form = AgentForm(self)
            form.edited.connect(self._on_edit)
            form.typed.connect(lambda field: self._on_edit(field, TYPING))
            form.burstEnded.connect(self._end_burst)
            form.name_edit.textEdited.connect(self._name_typed)
            form.repair_button.clicked.connect(self.repair)
            for key, widget in form.relation_lists.items():
                widget.addRequested.connect(lambda name, k=key: self._relation_add(k, name))
                widget.removeRequested.connect(lambda name, k=key: self._relation_remove(k, name))
                widget.completeRequested.connect(lambda name, k=key: self._relation_complete(k, name))
                widget.showRequested.connect(self._go_to)
            for editor in form.typed_editors:
                editor.installEventFilter(self)
            self.stack.addWidget(form)
        return self._form

    @property
    def form_page(self) -> AgentForm:
        return self.form

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

    # ------------------------------------------------------------------------------- editing --
    def _on_edit(self, field: str, value: Any) -> None:
        """Every edit of the form comes here: the one place filling is told apart from the user."""
        if self._filling or self._agent is None:
            return
        if value is TYPING:
            # Typed text is committed after a short pause (or when the user leaves the field,
            # saves, undoes or selects another agent): one operation per pause, merged per burst.
            if field not in self._pending:
                self._pending.append(field)
            self._commit_timer.start()
        elif field == "name":
            self._rename(value)
        else:
            self._commit(field, value)

    def _commit(self, field: str, value: Any) -> None:
        team, agent = self.team, self._agent
        if team is None or agent is None:
            return
        op = presenter.change(team, agent, field, value)
        if op is not None:
            self._do(op, field, merge=field in MERGED)

    def commit_pending(self, field: str | None = None) -> None:
        """Commit typed text that is still waiting for its pause."""
        fields = [field] if field is not None else list(self._pending)
        for f in fields:
            if f not in self._pending:
                continue
            self._pending.remove(f)
            editor = self.form.editors[f]
            if isinstance(editor, QPlainTextEdit):
                self._commit(f, editor.toPlainText())
        if not self._pending:
            self._commit_timer.stop()

    def _name_typed(self, text: str) -> None:
        reason = (presenter.name_reason(self.team, self._agent, text)
                  if self.team is not None and self._agent is not None else None)
        self.form.name_note.show_note(reason or "", "error")

    def _rename(self, text: str) -> None:
        old, team = self._agent, self.team
        if old is None or team is None:
            return
        if text == old:
            self.form.name_note.show_note("")
            return
        op = presenter.rename(team, old, text)
        if op is None:
            return  # the note says why; the name stays until it is valid
        self._agent = op.new  # follow the rename while the model notifies
        if not self.controller.do(op):
            self._agent = old
            self.refresh()
            return
        self.form.name_note.show_note("")
        self.controller.select([op.new])
        self.refresh()

    # ------------------------------------------------------------------------------ relations --
    def _relation_add(self, key: str, name: str) -> None:
        if self._agent is None or self.team is None:
            return
        op = presenter.add_relation(self.team, self._agent, key, name)
        if isinstance(op, str):
            self.form.list_note(key).show_note(op, "error")
            return
        self.form.list_note(key).show_note("")
        if self.controller.do(op):
            self.form.relation_lists[key].add_line.clear()

    def _relation_complete(self, key: str, name: str) -> None:
        op = presenter.declare_both(self.team, self._agent, key, name) if self.team and self._agent else None
        if op is not None:
            self.controller.do(op)

    def _relation_remove(self, key: str, name: str) -> None:
        if self._agent is None or self.team is None:
            return
        self.form.list_note(key).show_note("")
        op = presenter.remove_relation(self.team, self._agent, key, name)
        if op is not None:
            self._do(op)

    def _go_to(self, name: str) -> None:
        if self.team is not None and self.team.agent(name) is not None:
            self.controller.select([name])

    def repair(self) -> None:
        af = self._file()
        if af is not None:
            self.controller.do(RepairFile(af.path))

    # ------------------------------------------------------------------------------ focusing --
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        field = self._form.typed_editors.get(watched) if self._form is not None and isinstance(
            watched, QWidget) else None
        if field is None:
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.FocusOut:
            # Leaving a text field commits it and ends its typing burst: the next visit is a new
            # undo step.
            self.commit_pending(field)
            self._end_burst(field)
        elif event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress) and isinstance(event, QKeyEvent):
            undo = event.matches(QKeySequence.StandardKey.Undo)
            redo = event.matches(QKeySequence.StandardKey.Redo)
            if undo or redo:
                # Ctrl+Z in a text field is the team's undo (the fields keep no history of their
                # own): commit the typing first so it is what gets undone.
                self.commit_pending()
                self._end_burst(field)
                if event.type() == QEvent.Type.ShortcutOverride:
                    event.ignore()  # let the window's Undo shortcut have it
                    return True
                stack = self.controller.undo_stack
                if undo:
                    stack.undo()
                else:
                    stack.redo()
                return True
        return super().eventFilter(watched, event)

    def focus_field(self, agent: str, field: str) -> None:
        if agent != self._agent:
            self._show_selection([agent])
        if self._agent != agent or self.stack.currentWidget() is not self.form:
            return
        af = self._file()
        if af is not None and af.error is not None:
            QTimer.singleShot(0, self.form.repair_button.setFocus)
            return
        field = field or "name"
        form = self.form
        form.tabs.setCurrentIndex(1 if field == "body" else 0)
        if field in ADVANCED_FIELDS:
            form.advanced.set_expanded(True)
        widget = form.editor(field) or form.name_edit
        scroll = form.tabs.widget(0)
        if isinstance(scroll, QScrollArea) and field != "body":
            scroll.ensureWidgetVisible(widget, 0, 2 * SPACING)
        widget.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_relation(self, key) -> None:
        """Pick the relation's entry in the shown agent's list (the relation matrix chose it);
        scrolled into view, the keyboard left where it is."""
        here = presenter.relation_field(key, self._agent or "")
        if here is None or self.stack.currentWidget() is not self.form:
            return
        _kind, source, target = key
        other = target if self._agent == source else source
        widget = self.form.relation_lists[here.key]
        for i in range(widget.list.count()):
            item = widget.list.item(i)
            item.setSelected(item.data(Qt.ItemDataRole.UserRole) == other)
            if item.isSelected():
                widget.list.scrollToItem(item)
        scroll = self.form.tabs.widget(0)
        if isinstance(scroll, QScrollArea):
            self.form.tabs.setCurrentIndex(0)
            scroll.ensureWidgetVisible(widget, 0, 2 * SPACING)

    def flush(self) -> None:
        """Commit edits still being typed (before a save, for example)."""
        self.commit_pending()
        if self._form is None:
            return  # no form yet: nothing typed in it
        form = self._form
        if self._agent is not None and form.tools.extra.hasFocus():
            form.tools.commit()
        if form.name_edit.hasFocus() and form.name_edit.text().strip() != (self._agent or ""):
            self._on_edit("name", form.name_edit.text().strip())

    # ------------------------------------------------------------------------------- plumbing --
    @property
    def team(self) -> Team | None:
        return self.controller.team

    def _file(self) -> AgentFile | None:
        if self.team is None or self._agent is None:
            return None
        return self.team.agent(self._agent)

    def _team_opened(self, _team: Team) -> None:
        self._agent = None
        self._pending.clear()
        self._burst.clear()
        self._show_empty()

    def _show_selection(self, names: list[str]) -> None:
        names = list(names)
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
        self.stack.setCurrentWidget(self.empty_page)

    def _team_changed(self, change: TeamChange) -> None:
        if self._agent is None:
            return
        if self._pending:
            # Something else changed the team while the user is typing here: keep the typing,
            # commit it once this notification is over, and show the rest of the change then.
            QTimer.singleShot(0, lambda: self._commit_then_refresh(change))
            return
        self._follow(change)

    def _follow(self, change: TeamChange) -> None:
        self._follow_rename(change)
        if self._file() is None:
            self._show_empty()
            return
        # Any file change can change this agent's relations (the other side of a link lives in
        # another file); a change of positions only (a drag on the canvas) cannot.
        if change.structure or change.files:
            self.refresh()

    def _follow_rename(self, change: TeamChange) -> None:
        """The agent shown was renamed (an undo or redo of a rename): show it under its new name,
        and move the selection along once this notification is over."""
        new = dict(change.renamed).get(self._agent or "")
        if new is not None and self._file() is None:
            self._agent = new
            QTimer.singleShot(0, lambda: self._select_if_shown(new))

    def _select_if_shown(self, name: str) -> None:
        if self._agent == name:
            self.controller.select([name])

    def _commit_then_refresh(self, change: TeamChange) -> None:
        if self._agent is None:
            return
        self._follow_rename(change)  # the typing belongs to the agent under its new name
        self.commit_pending()
        if self._file() is None:
            self._show_empty()
        else:
            self.refresh()

    def _key(self, field: str) -> tuple[str | None, str, int]:
        """Merge key: consecutive edits of one field of one agent form one undo step, until the
        user leaves the field."""
        burst = self._burst.get(field)
        if burst is None:
            burst = self._burst[field] = next(self._bursts)
        return (self._agent, field, burst)

    def _end_burst(self, field: str) -> None:
        self._burst.pop(field, None)

    def _do(self, op: Operation, field: str | None = None, merge: bool = False) -> bool:
        key = self._key(field) if merge and field else None
        ok = self.controller.do(op, Merge.TYPING if key is not None else None, key)
        if not merge and field:
            self._end_burst(field)
        if not ok:
            self.refresh()  # show the model's value again
        return ok

    def refresh(self) -> None:
        state = presenter.agent_state(self.team, self._agent, self.controller.overridden.get(self._agent)) \
            if self.team and self._agent else None
        if state is None:
            self._show_empty()
            return
        self._filling = True
        try:
            self.form.fill(state)
        finally:
            self._filling = False
        if self.stack.currentWidget() is not self.form:
            self.stack.setCurrentWidget(self.form)
