"""Start the editor: the QApplication, the theme, the main window and the first team.

`run(folder, screenshot=FILE)` renders the laid-out window to a PNG and exits instead of
entering the event loop (README pictures, tests, reviews); it works with QT_QPA_PLATFORM=offscreen.
"""

from __future__ import annotations

import gc
import os
import sys
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QIcon
from PySide6.QtWidgets import QApplication

from app.ui import theme

DEFAULT_SIZE = (1400, 900)


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        # Fractional scale factors (125 %, 150 %) drawn as they are, not rounded: crisp text.
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(sys.argv[:1])
    # instance() is typed as the QCoreApplication base; the editor only ever runs a QApplication.
    assert isinstance(app, QApplication)
    from app.ui.recent_folders import APP, ORG

    app.setOrganizationName(ORG)
    app.setApplicationName(APP)
    app.setApplicationDisplayName(APP)
    app.setDesktopFileName("agent-canvas")
    try:
        from app.resources import icon_path

        app.setWindowIcon(QIcon(str(icon_path())))
    except Exception:  # noqa: BLE001, S110 - an icon is not worth refusing to start over
        pass
    theme.apply_app_theme(app)
    return app


def follow_system_scheme(app: QApplication, window) -> None:
    """Switch palettes live when the system goes light ↔ dark."""
    hints = QGuiApplication.styleHints()
    signal = getattr(hints, "colorSchemeChanged", None)
    if signal is None:
        return

    def changed(*_args) -> None:
        from app.ui.canvas import card

        theme.apply_app_theme(app)
        card.reset_style()
        window.canvas.apply_theme()
        window.canvas.canvas_scene.refresh_style()

    signal.connect(changed)


def collect_garbage_again() -> None:
    """Turn Python's cycle collector back on after the first paint (app/__main__.py turns it off
    for the start: about 70 collections that find next to nothing, ~30 ms). What start-up built
    lives as long as the window, so it is frozen out of later full collections first."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()


def _select_or_say(window, name: str) -> None:
    if (problem := select_agent(window, name)) is not None:
        window.statusBar().showMessage(f"Cannot select: {problem}", 8000)


def _first_folder(window) -> str | None:
    last = window.last_folder()
    if last and Path(last).is_dir():
        return last
    return None


def screenshot_window(window, path: str, size: tuple[int, int]) -> bool:
    """Lay out, fit the team in view and render the whole window to `path` (PNG)."""
    window.setAttribute(Qt.WidgetAttribute.WA_DontShowOnScreen, True)
    window.resize(*size)
    window.show()
    for _ in range(3):
        QApplication.processEvents()
    window.canvas.zoom_to_fit()
    QApplication.processEvents()
    image = window.grab()
    return image.save(path, "PNG")


class FirstPaintProbe(QObject):
    """With AGENT_CANVAS_STARTUP_PROBE=1 in the environment, the editor prints "first paint" to
    standard output once its window has painted with the team on the canvas and the work queued
    for after the first paint (the session: file watcher, crash journal) is done, then quits.

    It follows the ordinary start-up path, so a parent that times the line measures what a user
    waits for; packaging/linux/verify-deb.sh and benchmarks/startup.py do that. Create it after
    the window's other `firstPainted` connections: slots run in the order they were connected."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.fired = False
        window.firstPainted.connect(self._painted, Qt.ConnectionType.SingleShotConnection)

    def _painted(self) -> None:
        if self.window.canvas.canvas_scene.cards:
            self._report()
        else:  # the first paint showed no team yet: wait for one that does
            self.window.canvas.viewport().installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:
        if (not self.fired and event.type() == QEvent.Type.Paint
                and self.window.canvas.canvas_scene.cards):
            QTimer.singleShot(0, self._report)  # after this paint has reached the window
        return False

    def _report(self) -> None:
        if self.fired:
            return
        self.fired = True
        if sys.stdout is not None:
            print("first paint", flush=True)
        QApplication.quit()


def select_agent(window, name: str) -> str | None:
    """Select `name` on the opened team; a plain-English problem if there is no such agent."""
    team = window.controller.team
    if team is None or name not in team.names():
        return f"there is no agent named {name!r} in this team"
    window.controller.select([name])
    return None


def run(folder: str | None, screenshot: str | None = None, size: tuple[int, int] | None = None,
        select: str | None = None, view: str = "canvas") -> int:
    app = _application()
    from app.ui.main_window import MainWindow

    shooting = screenshot is not None
    window = MainWindow(remember=not shooting, session=not shooting, defer_session=True)
    window.firstPainted.connect(lambda: window.opening.when_settled(collect_garbage_again),
                                Qt.ConnectionType.SingleShotConnection)
    follow_system_scheme(app, window)
    if screenshot is not None:
        window.ask_before_discarding = False
        target = folder
        if target is None:
            try:
                from app.resources import sample_team_dir

                target = str(sample_team_dir())  # only read: a screenshot never saves
            except Exception as exc:  # noqa: BLE001
                print(f"agent-canvas: no folder given and no sample team: {exc}", file=sys.stderr)
                return 2
        if not window.open_team(target):
            print(f"agent-canvas: {window.last_error}", file=sys.stderr)
            return 2
        if select is not None and (problem := select_agent(window, select)) is not None:
            print(f"agent-canvas: {problem}", file=sys.stderr)
            return 2
        window.views.show(view)
        if not screenshot_window(window, screenshot, size or DEFAULT_SIZE):
            print(f"agent-canvas: could not write the screenshot to {screenshot}", file=sys.stderr)
            return 1
        window.close()
        return 0

    if size:
        window.resize(*size)
    if os.environ.get("AGENT_CANVAS_STARTUP_PROBE"):
        FirstPaintProbe(window)
    window.show()
    if select is not None:  # once the team has arrived (it is read off the GUI thread)
        window.controller.teamOpened.connect(lambda _team: _select_or_say(window, select),
                                             Qt.ConnectionType.SingleShotConnection)
    if folder is not None:
        window.open_team(folder, check_after_paint=True, background=True)
    else:
        first = _first_folder(window)
        if first is not None:
            window.open_team(first, check_after_paint=True, background=True)
        else:
            window.open_sample_team()
    window.views.show(view)
    return app.exec()
