"""View → Relation Matrix: the window's centre switches between the canvas and the matrix.

`ViewSwitch(window, view_menu)` puts the canvas in a stack (object name `centralStack`) and adds
the checkable action; the matrix itself is made the first time it is shown, so a user who never
opens it pays nothing for it.
"""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QStackedWidget

from app.ui.matrix.view import MatrixView

SHORTCUT = "Ctrl+Shift+M"
VIEWS = ("canvas", "matrix")


class ViewSwitch(QObject):
    def __init__(self, window, view_menu: QMenu) -> None:
        super().__init__(window)
        self.window = window
        self.matrix: MatrixView | None = None
        canvas = window.takeCentralWidget()
        self.stack = QStackedWidget(window)
        self.stack.setObjectName("centralStack")
        self.stack.addWidget(canvas)
        window.setCentralWidget(self.stack)
        self.action = QAction("Relation &Matrix", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence(SHORTCUT))
        tip = "Switch between the canvas and a table of who relates to whom"
        self.action.setStatusTip(tip)
        self.action.setToolTip(f"{tip} ({SHORTCUT})")
        self.action.toggled.connect(self._toggled)
        window.addAction(self.action)
        view_menu.addSeparator()
        view_menu.addAction(self.action)

    @property
    def current(self) -> str:
        return "matrix" if self.matrix is not None and self.stack.currentWidget() is self.matrix else "canvas"

    def show(self, view: str) -> None:
        """Show "canvas" or "matrix"."""
        self.action.setChecked(view == "matrix")

    def _toggled(self, on: bool) -> None:
        if on:
            if self.matrix is None:
                self.matrix = MatrixView(self.window.controller, self.stack)
                self.stack.addWidget(self.matrix)
            self.stack.setCurrentWidget(self.matrix)
            self.matrix.table.setFocus()
        else:
            self.stack.setCurrentWidget(self.window.canvas)
            self.window.canvas.setFocus()
        self.window.zoom_label.setVisible(not on)  # the canvas's zoom: nothing to do with the matrix
