"""Small screens: the canvas keeps CANVAS_SHARE of the window's width (a property-panel width
saved on a big screen is clamped when restored), and in a short window the Problems dock is one
line — its title bar, with the counts — that opens the list when clicked."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QPushButton

CANVAS_SHARE = 0.6   # of the window's width the canvas always keeps
SHORT_WINDOW = 760   # px: below this height the Problems panel is one line


def problem_counts(problems) -> str:
    errors = sum(1 for p in problems if p.severity == "error")
    warnings = sum(1 for p in problems if p.severity == "warning")
    others = len(problems) - errors - warnings
    parts = [f"{errors} error{'s' if errors != 1 else ''}", f"{warnings} warning{'s' if warnings != 1 else ''}"]
    if others:
        parts.append(f"{others} note{'s' if others != 1 else ''}")
    return "Problems: " + ", ".join(parts)


class SmallScreen(QObject):
    """`SmallScreen(window)`: watches the main window's size."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.dock = window.problems_dock
        self.line = QPushButton("", self.dock)
        self.line.setObjectName("problemsSummary")
        self.line.setFlat(True)
        self.line.setStyleSheet("QPushButton { text-align: left; padding: 3px 8px; }")
        self.line.setToolTip("Show the list of problems")
        self.line.clicked.connect(lambda: self.collapse(False))
        self.line.hide()
        self._short = False
        window.controller.teamChanged.connect(lambda _c: self.count())
        window.controller.teamOpened.connect(lambda _t: self.count())
        window.installEventFilter(self)

    def count(self) -> None:
        team = self.window.team
        text = problem_counts(list(team.problems) if team is not None else [])
        self.line.setText(text + " — show")
        self.line.setAccessibleName(text + ". Show the list")

    def collapsed(self) -> bool:
        return self.dock.titleBarWidget() is self.line

    def collapse(self, on: bool) -> None:
        if on == self.collapsed():
            return
        self.count()
        self.dock.setTitleBarWidget(self.line if on else None)
        self.line.setVisible(on)
        self.window.problems_panel.setVisible(not on)
        if not on:
            self.window.resizeDocks([self.dock], [max(140, self.window.height() // 4)], Qt.Orientation.Vertical)

    def fit(self) -> None:
        w = self.window
        props = w.properties_dock
        if props.isVisible() and not props.isFloating():
            short_by = math.ceil(w.width() * CANVAS_SHARE) - w.canvas.width()  # the splitter counts too
            if short_by > 0:
                w.resizeDocks([props], [props.width() - short_by], Qt.Orientation.Horizontal)
        short = w.height() < SHORT_WINDOW
        if short != self._short:
            self._short = short
            self.collapse(short)

    def eventFilter(self, watched, event) -> bool:
        if watched is self.window and event.type() in (QEvent.Type.Resize, QEvent.Type.Show):
            QTimer.singleShot(0, self.fit)  # once the docks have their new sizes
        return False
