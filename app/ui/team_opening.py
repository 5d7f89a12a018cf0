"""Opening a team folder without freezing the window: read and lay it out on a worker thread.

Reading 10,000 agent files and laying them out takes seconds; done on the GUI thread the window
would stop repainting and ignore the mouse. `TeamOpening` reads the folder (Team.load from
sketches) and works out the first layout (model/first_layout.py) on a QThread, shows a progress
dialog with Cancel when that takes more than half a second (a quick one is waited for), and hands the finished team to the
GUI thread, which alone builds the canvas (Qt items live on the GUI thread). The team open before
stays open, untouched, until the new one has arrived; Cancel keeps it.

The worker touches nothing the GUI thread uses: the new Team is private to it until `loaded`.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.io.document import os_error_words
from app.model.first_layout import unplaced_placement
from app.model.operations import MoveAgents
from app.model.team import LoadCancelled, Team, TeamError
from app.ui.after_paint import after_next_paint

SHOW_AFTER_MS = 500  # quicker openings show no dialog at all
# A team that is read within this time is handed over at once, as if read on the GUI thread: no
# empty frame before it at start-up, and none of the cost of sharing the interpreter with the
# window (0.1–0.3 s at 1,000 agents). Longer openings go on in the background.
HOLD_MS = 350


def load_team(folder: Path, *, check: bool, progress=None) -> Team | str:
    """The team in `folder`, or why it cannot be opened in plain words. LoadCancelled passes."""
    try:
        return Team.load(folder, check=check, progress=progress)
    except TeamError as exc:
        return str(exc)
    except OSError as exc:
        return f"Cannot read the folder {folder}: {os_error_words(exc, 'read')}"


class _Reader(QThread):
    """Reads one folder and lays it out; the outcome is in `team`/`placement`/`error`."""

    progressed = Signal(int, int)  # files read, files found

    def __init__(self, folder: Path, place: bool, parent: QObject | None = None):
        super().__init__(parent)
        self.folder, self.place = folder, place
        self.team: Team | None = None
        self.placement: MoveAgents | None = None
        self.error = ""
        self.cancelled = False  # set from the GUI thread; read here between files
        self._shown = -1

    def run(self) -> None:
        try:
            result = load_team(self.folder, check=False, progress=self._progress)
            if isinstance(result, str):
                self.error = result
                return
            self.progressed.emit(-1, -1)  # reading done: laying out
            placement = unplaced_placement(result) if self.place else None
            if not self.cancelled:
                self.team, self.placement = result, placement
        except LoadCancelled:
            self.cancelled = True

    def _progress(self, done: int, total: int) -> bool:
        step = max(1, total // 100)  # a signal per percent, not per file
        if done - self._shown >= step:
            self._shown = done
            self.progressed.emit(done, total)
        return not self.cancelled


class TeamOpening(QObject):
    """One opening at a time. `loaded(team, placement, place)` or `failed(message)` follows each
    `start`, on the GUI thread; a cancelled opening emits neither (the old team stays)."""

    loaded = Signal(object, object, bool)  # Team, MoveAgents | None, place
    failed = Signal(str)
    settled = Signal()  # an opening has ended, whichever way (after loaded/failed have run)

    def __init__(self, window: QWidget):
        super().__init__(window)
        self.window = window
        self._reader: _Reader | None = None
        self._dialog: QProgressDialog | None = None
        app = QCoreApplication.instance()
        if app is not None:  # never leave a running thread behind at exit
            app.aboutToQuit.connect(self.stop)

    @property
    def busy(self) -> bool:
        return self._reader is not None

    def when_settled(self, slot) -> None:
        """Run `slot` now, or once the opening under way has ended: work queued for after the
        first paint (the session, the cycle collector) would otherwise compete with the reading
        for the one Python interpreter, and the collector is shared by all threads."""
        if self.busy:
            self.settled.connect(slot, Qt.ConnectionType.SingleShotConnection)
        else:
            slot()

    def start(self, folder: Path, place: bool = True) -> None:
        self.stop()
        reader = _Reader(folder, place, self)
        reader.progressed.connect(self._progressed)
        reader.finished.connect(self._reader_finished)  # queued: runs on the GUI thread
        self._reader = reader
        dialog = QProgressDialog(f"Opening {folder.name}…", "Cancel", 0, 0, self.window)
        dialog.setWindowTitle("Opening a team")
        dialog.setAccessibleName("Opening a team")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(SHOW_AFTER_MS)  # appears only if opening takes longer
        dialog.setAutoReset(False)
        dialog.setAutoClose(False)
        dialog.canceled.connect(self.cancel)
        dialog.setValue(0)  # starts the minimum-duration clock
        self._dialog = dialog
        self._say_on_canvas(folder.name)
        reader.start()
        if reader.wait(QDeadlineTimer(HOLD_MS)):  # the GIL is released while waiting
            self._finished(reader)

    def cancel(self) -> None:
        """Stop the opening under way: the dialog closes at once; the thread stops at its next file."""
        if self._reader is not None:
            self._reader.cancelled = True
            self._reader = None  # its result, should it still arrive, is dropped
            self.settled.emit()
        self._close_dialog()

    def stop(self) -> None:
        """Cancel and wait for the thread (at exit, or before another opening)."""
        for reader in self.findChildren(_Reader):
            reader.cancelled = True
            reader.wait()
        self._reader = None
        self._close_dialog()

    def wait(self) -> None:
        """Block until the opening under way has been handed over (tests, scripted use)."""
        reader = self._reader
        if reader is not None:
            reader.wait()
            QCoreApplication.sendPostedEvents()  # deliver its `finished` now
            if self._reader is reader:
                self._finished(reader)

    def _progressed(self, done: int, total: int) -> None:
        dialog = self._dialog
        if dialog is None:
            return
        if done < 0:
            dialog.setRange(0, 0)  # busy: the layout has no steps to count
            dialog.setLabelText("Laying out the agents…")
        else:
            dialog.setRange(0, total)
            dialog.setValue(done)
            dialog.setLabelText(f"Reading agent files: {done:,} of {total:,}…")

    def _reader_finished(self) -> None:
        reader = self.sender()
        if isinstance(reader, _Reader):
            self._finished(reader)

    def _finished(self, reader: _Reader) -> None:
        if reader is not self._reader:  # cancelled, or replaced by a newer opening
            reader.deleteLater()
            return
        self._reader = None
        if self._dialog is not None:
            self._dialog.setLabelText("Drawing the agents…")
            self._dialog.repaint()  # the GUI thread is busy until the canvas is built
        shown = False
        try:
            if reader.team is not None:
                self.loaded.emit(reader.team, reader.placement, reader.place)
                shown = self.window.isVisible()
            elif reader.error:
                self.failed.emit(reader.error)
        finally:
            self._close_dialog()
            reader.deleteLater()
            canvas = getattr(self.window, "canvas", None)
            if shown and canvas is not None:  # settled once the team is on the screen
                after_next_paint(canvas.viewport(), self.settled.emit)
            else:
                self.settled.emit()

    def _say_on_canvas(self, folder_name: str | None) -> None:
        canvas = getattr(self.window, "canvas", None)
        if canvas is not None:
            canvas.show_opening(folder_name)

    def _close_dialog(self) -> None:
        self._say_on_canvas(None)
        dialog, self._dialog = self._dialog, None
        if dialog is not None:
            dialog.canceled.disconnect(self.cancel)  # closing a QProgressDialog emits canceled
            dialog.close()
            dialog.deleteLater()
