"""Keyboard order in the main window: Tab goes canvas → property panel → problems → find field,
and Escape in the property panel goes back to the canvas; accessible names of the regions."""

from __future__ import annotations

from itertools import pairwise

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QWidget


class TabOrder:
    def __init__(self, window) -> None:
        """Tab goes canvas → property panel → problems → find field; Escape in the property panel
        goes back to the canvas."""
        self.w = window
        self._tab_chain: list[QWidget] = []
        self.order()
        self.w.controller.selectionChanged.connect(lambda _n: QTimer.singleShot(0, self.order))
        back = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.w.property_panel)
        back.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        back.activated.connect(lambda: self.w.canvas.setFocus(Qt.FocusReason.ShortcutFocusReason))
        self._escape_to_canvas = back
        self.w.canvas.setAccessibleName("Team canvas")
        self.w.find_field.setAccessibleName("Find agent")
        self.w.properties_dock.setAccessibleName("Properties")
        self.w.problems_dock.setAccessibleName("Problems")
        view = getattr(self.w.problems_panel, "view", None)
        if view is not None:
            view.setAccessibleName("Problems list")

    def order(self) -> None:
        """Chain the focusable widgets: canvas, the property panel's fields (built when an agent
        is first shown, hence again then), the problems panel, the find field."""
        def focusable(root: QWidget) -> list[QWidget]:
            out: list[QWidget] = []
            w = root.nextInFocusChain()
            while w is not root and w is not None and len(out) < 2000:
                if (root.isAncestorOf(w) and w.focusPolicy() & Qt.FocusPolicy.TabFocus
                        and w.focusProxy() is None):
                    out.append(w)
                w = w.nextInFocusChain()
            return out

        chain = [self.w.canvas, *focusable(self.w.property_panel), *focusable(self.w.problems_panel), self.w.find_field]
        if chain == self._tab_chain:
            return
        self._tab_chain = chain
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)
