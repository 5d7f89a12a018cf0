"""Run a function once a widget has painted next: work the user does not wait for (checking the
team, the file watcher) goes after the frame that shows the team, not before it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

FALLBACK_MS = 3000  # a hidden or minimised window never paints: run the work anyway


class _AfterPaint(QObject):
    def __init__(self, widget: QWidget, slot: Callable[[], object]):
        super().__init__(widget)
        self.slot = slot
        self.done = False
        widget.installEventFilter(self)
        QTimer.singleShot(FALLBACK_MS, self, self._run)

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self, self._run)  # once this paint has reached the screen
        return False

    def _run(self) -> None:
        if self.done:
            return
        self.done = True
        parent = self.parent()
        if isinstance(parent, QWidget):
            parent.removeEventFilter(self)
        self.deleteLater()
        self.slot()


def after_next_paint(widget: QWidget, slot: Callable[[], object]) -> None:
    """Call `slot` after `widget`'s next paint (or after FALLBACK_MS if it does not paint)."""
    _AfterPaint(widget, slot)
