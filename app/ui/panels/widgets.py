"""Small form widgets the property panel is built from.

Each widget only shows values and emits what the user asked for; the panel turns those requests
into model operations. None of them holds data of its own beyond what is on screen.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QSize, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPalette, QPen, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QCompleter,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPlainTextEdit,
    QSizePolicy,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.ui.panels.severity import severity_icon
from app.ui.theme import AGENT_COLORS, stripe_color

SPACING = 8

COLOR_TONES = AGENT_COLORS  # the canvas's tones, so a swatch matches the card's stripe


def is_dark(palette: QPalette) -> bool:
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def level_color(level: str, palette: QPalette) -> str:
    """Text colour for a note of `level` ("error", "warning", "info", "ok") that keeps 4.5:1
    contrast on the palette's window colour, light or dark."""
    dark = is_dark(palette)
    if level == "error":
        return "#f87171" if dark else "#b91c1c"
    if level == "warning":
        return "#fbbf24" if dark else "#92400e"
    if level == "ok":
        return "#4ade80" if dark else "#166534"
    return muted_color(palette)


def muted_color(palette: QPalette) -> str:
    """Secondary text: the text colour 38% of the way to the window colour, which keeps at least
    4.5:1 contrast in light and dark palettes (the disabled colour does not)."""
    text = palette.color(QPalette.ColorRole.WindowText)
    window = palette.color(QPalette.ColorRole.Window)
    mix = [round(a * 0.62 + b * 0.38) for a, b in ((text.red(), window.red()), (text.green(), window.green()),
                                                    (text.blue(), window.blue()))]
    return QColor(*mix).name()


def make_muted(label: QLabel) -> QLabel:
    label.setStyleSheet(f"color: {muted_color(label.palette())};")
    return label


def tone_of(color: str | None) -> str | None:
    return None if not color else stripe_color(color).name()


class BalancedLabel(QLabel):
    """A centred, word-wrapped heading whose lines are about equally long: "Select an agent on the
    canvas / to edit it." rather than a lone last word. The lines are as many as plain wrapping
    needs at the label's width (so its height is the same), but broken at the narrowest width that
    still gives that many; `full_text()` is the text without the breaks."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self._full = " ".join(text.split())
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        super().setText(self._full)

    def full_text(self) -> str:
        return self._full

    def _lines(self, width: float) -> list[str]:
        fm = self.fontMetrics()
        lines: list[str] = []
        for word in self._full.split(" "):
            if lines and fm.horizontalAdvance(lines[-1] + " " + word) <= width:
                lines[-1] += " " + word
            else:
                lines.append(word)
        return lines

    def _balance(self) -> None:
        width = self.contentsRect().width() - 2  # a pixel of slack each side for rounding
        if width <= 0 or not self._full:
            return
        count = len(self._lines(width))
        lo, hi = 1, width
        while lo < hi:
            mid = (lo + hi) // 2
            if len(self._lines(mid)) <= count:
                hi = mid
            else:
                lo = mid + 1
        text = "\n".join(self._lines(lo))
        if text != self.text():
            super().setText(text)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._balance()

    def changeEvent(self, event) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._balance()


class NoteLabel(QLabel):
    """A small wrapped line under a field saying what is wrong (or kept) in words."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        font = self.font()
        font.setPointSizeF(max(7.5, font.pointSizeF() * 0.92))
        self.setFont(font)
        self.hide()

    def show_note(self, text: str, level: str = "info") -> None:
        if not text:
            self.clear()
            self.hide()
            return
        self.setText(text)
        self.setStyleSheet(f"color: {level_color(level, self.palette())};")
        self.show()


class CollapsibleSection(QWidget):
    """A header with an arrow that shows or hides its content ("Advanced")."""

    def __init__(self, title: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.toggle = QToolButton(self)
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setStyleSheet("QToolButton { border: none; padding: 2px 0px; }")
        font = self.toggle.font()
        font.setBold(True)
        self.toggle.setFont(font)
        self.content = QWidget(self)
        self.content.setVisible(False)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(SPACING)
        lay.addWidget(self.toggle)
        lay.addWidget(self.content)
        self.toggle.toggled.connect(self.set_expanded)

    def set_expanded(self, on: bool) -> None:
        self.toggle.setChecked(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self.content.setVisible(on)

    def expanded(self) -> bool:
        return self.toggle.isChecked()


def _swatch_icon(tone: str | None, size: int = 18) -> QIcon:
    pm = QPixmap(size * 2, size * 2)  # drawn at 2x so it stays crisp on HiDPI screens
    pm.setDevicePixelRatio(2.0)
    pm.fill(Qt.GlobalColor.transparent)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    if tone is None:  # "none": an empty circle with a slash
        pen = QPen(QColor("#9ca3af"), 1.5)
        p.setPen(pen)
        p.drawEllipse(2, 2, size - 4, size - 4)
        p.drawLine(5, size - 5, size - 5, 5)
    else:
        p.setPen(QPen(QColor(tone).darker(130), 1))
        p.setBrush(QColor(tone))
        p.drawEllipse(2, 2, size - 4, size - 4)
    p.end()
    return QIcon(pm)


class ColorSwatches(QWidget):
    """The eight documented colours plus "none"; an undocumented colour gets a ninth swatch that
    says it is kept as written."""

    colorPicked = Signal(object)  # str, or None for "no colour"

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("field.color")
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        self._buttons: dict[str | None, QToolButton] = {}
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        for name in [None, *COLOR_TONES]:
            b = self._make_button(name, tone_of(name))
            row.addWidget(b)
        row.setSpacing(2)
        row.addStretch(1)
        self._custom = self._make_button("", None)
        self._custom.hide()
        row.insertWidget(row.count() - 1, self._custom)
        self.note = NoteLabel(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addLayout(row)
        lay.addWidget(self.note)
        self._value: str | None = None

    def _make_button(self, name: str | None, tone: str | None) -> QToolButton:
        b = QToolButton(self)
        b.setCheckable(True)
        b.setAutoRaise(True)
        b.setIcon(_swatch_icon(tone))
        b.setIconSize(QSize(18, 18))
        b.setFixedSize(QSize(26, 26))
        b.setToolTip(name if name else "No colour")
        b.setAccessibleName(f"colour {name}" if name else "no colour")
        self._group.addButton(b)
        if name != "":
            self._buttons[name] = b
            b.clicked.connect(lambda _=False, n=name: self._picked(n))
        else:
            b.clicked.connect(lambda _=False: self._picked(self._value))
        return b

    def _picked(self, name: str | None) -> None:
        if name != self._value:
            self.colorPicked.emit(name)

    def value(self) -> str | None:
        return self._value

    def set_color(self, value: str | None) -> None:
        self._value = value
        key = value.strip().lower() if isinstance(value, str) else None
        if value is None or key in self._buttons:
            self._custom.hide()
            self._buttons[key if value is not None else None].setChecked(True)
            self.note.show_note("")
        else:
            self._custom.setIcon(_swatch_icon(tone_of(str(value))))
            self._custom.setToolTip(f"{value} (not a documented colour; kept as written)")
            self._custom.show()
            self._custom.setChecked(True)
            self.note.show_note(
                f"“{value}” is not one of the eight documented colours. It is kept as written; "
                "pick a swatch to replace it.",
                "warning",
            )

    def click(self, name: str | None) -> None:
        """For keyboard users and tests: press the swatch of `name`."""
        self._buttons[name].click()


class ToolsEditor(QWidget):
    """Claude Code's tools as a checklist, an "All tools" switch (= the key is absent) and a line
    for other tools such as MCP ones (`mcp__server__tool`)."""

    toolsChanged = Signal(object)  # list[str], or None for "all tools"

    def __init__(self, known_tools: list[str], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("field.tools")
        self._known = list(known_tools)
        self.all_tools = QCheckBox("All tools (the agent inherits every tool)", self)
        self.all_tools.setObjectName("field.tools.all")
        self.setAccessibleName("Tools")
        self._checks: dict[str, QCheckBox] = {}
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(SPACING)
        grid.setVerticalSpacing(2)
        cols = 2
        for i, tool in enumerate(self._known):
            cb = QCheckBox(tool, self)
            cb.setObjectName(f"field.tools.{tool}")
            cb.toggled.connect(self._emit)
            self._checks[tool] = cb
            grid.addWidget(cb, i // cols, i % cols)
        self._grid_box = QWidget(self)
        self._grid_box.setLayout(grid)
        # Other tools (MCP ones are long: mcp__serena__insert_after_symbol) in a wrapping box.
        self.extra = QPlainTextEdit(self)
        self.extra.setObjectName("field.tools.other")
        self.extra.setPlaceholderText("Other tools, e.g. mcp__server__tool")
        self.extra.setToolTip("Tools that are not in the list above (such as MCP tools), separated by commas")
        self.extra.setTabChangesFocus(True)
        self.extra.setAccessibleName("Other tools")
        self.extra.setUndoRedoEnabled(False)
        self.extra.setFixedHeight(3 * self.extra.fontMetrics().lineSpacing() + 2 * self.extra.frameWidth() + 10)
        self.extra.installEventFilter(self)
        self.note = NoteLabel(self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(6)
        lay.addWidget(self.all_tools)
        lay.addWidget(self._grid_box)
        lay.addWidget(self.extra)
        lay.addWidget(self.note)
        self.all_tools.toggled.connect(self._all_toggled)
        self._filling = False
        self._value: list[str] | None = None

    def _all_toggled(self, on: bool) -> None:
        self._grid_box.setVisible(not on)
        self.extra.setVisible(not on)
        if self._filling:
            return
        if on:
            self.toolsChanged.emit(None)
        else:
            # Leaving "all tools" lists every standard tool, so the agent can still do what it
            # did; the user then unticks what it should not have.
            self.toolsChanged.emit(list(self._known) + self._extra_names())

    def _extra_names(self) -> list[str]:
        text = self.extra.toPlainText().replace("\n", ",")
        return [t.strip() for t in text.split(",") if t.strip()]

    def eventFilter(self, watched, event) -> bool:
        if watched is self.extra and event.type() == QEvent.Type.FocusOut:
            self._emit()  # committed when the user leaves the box (and before a save)
        return super().eventFilter(watched, event)

    def commit(self) -> None:
        self._emit()

    def current(self) -> list[str] | None:
        if self.all_tools.isChecked():
            return None
        names = [t for t, cb in self._checks.items() if cb.isChecked()]
        # keep the order the file had for tools that stay; new ones go at the end
        if self._value is not None:
            ordered = [t for t in self._value if t in names or t in self._extra_names()]
            rest = [t for t in names + self._extra_names() if t not in ordered]
            return ordered + rest
        return names + [t for t in self._extra_names() if t not in names]

    def _emit(self) -> None:
        if self._filling:
            return
        value = self.current()
        if value != self._value:
            self.toolsChanged.emit(value)

    def set_tools(self, names: list[str] | None) -> None:
        self._filling = True
        try:
            self._value = None if names is None else list(names)
            self.all_tools.setChecked(names is None)
            self._grid_box.setVisible(names is not None)
            self.extra.setVisible(names is not None)
            chosen = set(names or [])
            for tool, cb in self._checks.items():
                cb.setChecked(tool in chosen)
            others = [t for t in (names or []) if t not in self._checks]
            text = ", ".join(others)
            if self.extra.toPlainText() != text:
                self.extra.setPlainText(text)
            odd = [t for t in others if not t.startswith("mcp__")]
            if names == []:
                self.note.show_note("No tools: the agent can only answer in text.", "warning")
            elif odd:
                self.note.show_note(
                    f"{', '.join(odd)} {'is' if len(odd) == 1 else 'are'} not a Claude Code tool name "
                    "(MCP tools look like mcp__server__tool). Kept as written.",
                    "warning",
                )
            else:
                self.note.show_note("")
        finally:
            self._filling = False

    def check(self, tool: str, on: bool = True) -> None:
        self._checks[tool].setChecked(on)


class RelationList(QWidget):
    """The names of one coordination list (hand-offs, receives-from, parallel-with) with a note
    per entry, an add line with completion from the team's names, and a remove button."""

    addRequested = Signal(str)
    removeRequested = Signal(str)
    completeRequested = Signal(str)  # declare a one-sided entry on both sides
    showRequested = Signal(str)  # go to that agent

    def __init__(self, object_name: str, placeholder: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName(object_name)
        self.list = QListWidget(self)
        self.list.setObjectName(object_name + ".list")
        self.list.setSelectionMode(QListWidget.SelectionMode.ExtendedSelection)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.list.setFrameShape(QFrame.Shape.StyledPanel)
        self.list.setUniformItemSizes(True)
        self.list.setIconSize(QSize(14, 14))
        self.list.setSpacing(2)
        self.add_line = QLineEdit(self)
        self.add_line.setObjectName(object_name + ".add")
        self.add_line.setPlaceholderText(placeholder)
        self.add_line.setClearButtonEnabled(True)
        self._names = QStringListModel(self)
        completer = QCompleter(self._names, self)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.add_line.setCompleter(completer)
        self._completer = completer
        self.add_button = QToolButton(self)
        self.add_button.setText("Add")
        self.add_button.setToolTip("Add the agent named on the left")
        self.remove_button = QToolButton(self)
        self.remove_button.setText("Remove")
        self.remove_button.setToolTip("Remove the selected entries (from both agents' files)")
        self.remove_button.setEnabled(False)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(4)
        row.addWidget(self.add_line, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(4)
        lay.addWidget(self.list)
        lay.addLayout(row)
        self.add_button.clicked.connect(self._add)
        self.add_line.returnPressed.connect(self._return_pressed)
        self.remove_button.clicked.connect(self._remove)
        self.list.installEventFilter(self)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.list.customContextMenuRequested.connect(self._menu)
        self.list.itemDoubleClicked.connect(self._double_clicked)
        self.list.itemSelectionChanged.connect(
            lambda: self.remove_button.setEnabled(bool(self.list.selectedItems()) and self.isEnabled())
        )

    def eventFilter(self, watched, event) -> bool:
        if watched is self.list and event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Delete, Qt.Key.Key_Backspace
        ):
            self._remove()  # Delete on a selected entry removes it, like the button
            return True
        return super().eventFilter(watched, event)

    def _double_clicked(self, item: QListWidgetItem) -> None:
        name = item.data(Qt.ItemDataRole.UserRole)
        if name:
            self.showRequested.emit(name)

    def _menu(self, pos: QPoint) -> None:
        item = self.list.itemAt(pos)
        name = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if item is None or not name or not self.isEnabled():
            return
        menu = QMenu(self)
        if item.data(Qt.ItemDataRole.UserRole + 2) == "one-sided":
            menu.addAction("Declare on both sides", lambda: self.completeRequested.emit(name))
        if item.data(Qt.ItemDataRole.UserRole + 2) != "unknown":
            menu.addAction(f"Go to {name}", lambda: self.showRequested.emit(name))
        menu.addAction("Remove", lambda: self.removeRequested.emit(name))
        menu.exec(self.list.viewport().mapToGlobal(pos))

    def _return_pressed(self) -> None:
        popup = self._completer.popup()
        if popup is not None and popup.isVisible():
            # Enter on a name in the list: the completer puts that name in the line only after
            # this (through an index into the list of names, which adding the entry changes),
            # so the entry is added once it has, from the line's text.
            QTimer.singleShot(0, self._add)
        else:
            self._add()

    def _add(self) -> None:
        name = self.add_line.text().strip()
        if name:
            self.addRequested.emit(name)

    def _remove(self) -> None:
        for item in self.list.selectedItems():
            self.removeRequested.emit(item.data(Qt.ItemDataRole.UserRole))

    def set_label(self, label: str) -> None:
        """Names for screen readers, from the label the form shows beside the list."""
        self.setAccessibleName(label)
        self.list.setAccessibleName(label)
        self.add_line.setAccessibleName(f"Agent to add to {label}")
        self.add_button.setAccessibleName(f"Add to {label}")
        self.remove_button.setAccessibleName(f"Remove the selected from {label}")

    def set_completions(self, names: list[str]) -> None:
        if self._names.stringList() != names:
            self._names.setStringList(names)

    def set_entries(self, entries: list[tuple[str, str, str, str, str]]) -> None:
        """entries: (name, short note, full note, level, mark) with level "ok", "warning" or
        "error" and mark "one-sided" (it can be declared on both sides), "unknown" (no such
        agent), "itself" or ""."""
        selected = {i.data(Qt.ItemDataRole.UserRole) for i in self.list.selectedItems()}
        self.list.clear()
        for name, short, note, level, mark in entries:
            item = QListWidgetItem(f"{name}  ({short})" if short else name)
            item.setData(Qt.ItemDataRole.UserRole, name)
            item.setData(Qt.ItemDataRole.UserRole + 1, note)
            item.setData(Qt.ItemDataRole.UserRole + 2, mark if mark in ("one-sided", "unknown") else "")
            if note:
                item.setToolTip(note)
            if level in ("warning", "error"):
                item.setIcon(severity_icon(level, 14))
            self.list.addItem(item)
            if name in selected:
                item.setSelected(True)
        rows = max(1, min(len(entries), 6))
        h = max(self.list.sizeHintForRow(0), self.list.fontMetrics().height())
        # spacing() surrounds every row, so the first row does not touch the frame
        pad = 2 * self.list.spacing()
        self.list.setFixedHeight(rows * (h + pad) + 2 * self.list.frameWidth() + pad)
        if not entries:
            placeholder = QListWidgetItem("None yet")
            placeholder.setFlags(Qt.ItemFlag.NoItemFlags)
            placeholder.setForeground(QColor(muted_color(self.palette())))
            self.list.addItem(placeholder)

    def names(self) -> list[str]:
        out = []
        for i in range(self.list.count()):
            name = self.list.item(i).data(Qt.ItemDataRole.UserRole)
            if name:
                out.append(name)
        return out
