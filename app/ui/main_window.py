"""The editor's main window: the canvas in the centre, the property panel on the right, the
problems panel at the bottom, menus, a toolbar, and the open/save/close life cycle of a team.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QCompleter,
    QDockWidget,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSizePolicy,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.model.team import Team, team_folder, team_home, team_title
from app.ui.actions import CanvasActions
from app.ui.after_paint import after_next_paint
from app.ui.canvas.view import CanvasView
from app.ui.controller import Controller
from app.ui.recent_folders import fill_recent_menu, last_folder, recent_folders, remember_folder, settings
from app.ui.shortcuts import ShortProxy, shortcuts_dialog
from app.ui.small_screen import SmallScreen
from app.ui.tab_order import TabOrder
from app.ui.team_opening import TeamOpening, load_team

if TYPE_CHECKING:  # imported when the session is made (after the first paint, at start-up)
    from app.ui.session import Session

def _placeholder(object_name: str, text: str) -> QWidget:
    w = QWidget()
    w.setObjectName(object_name)
    lay = QVBoxLayout(w)
    label = QLabel(text)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignCenter)
    lay.addWidget(label)
    return w


class MainWindow(QMainWindow):
    # Emitted once, when the canvas has painted for the first time (the window is on screen):
    # work the first picture does not need waits for it (see `defer_session`).
    firstPainted = Signal()

    def __init__(self, parent: QWidget | None = None, *, remember: bool = True, session: bool = True,
                 defer_session: bool = False):
        """`session`: watch the team's files, journal edits and save through a Session (not for
        --screenshot). `defer_session`: create it after the first paint instead of now, so the
        window shows sooner (the editor's start; until then there is no input to lose)."""
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self.remember = remember  # False for --screenshot: leave the user's settings alone
        self.last_error = ""
        self.controller = Controller(self)
        self.team: Team | None = None
        self.session: Session | None = None
        self._save_summary = None  # what the save under way writes (review_save keeps it)
        self.ask_before_discarding = True  # tests and --screenshot switch the dialogs off
        self.opening = TeamOpening(self)  # big folders are read off the GUI thread
        self.opening.loaded.connect(self._opened_in_background)
        self.opening.failed.connect(lambda message: self.show_error(message, dialog=True))
        self._edits_at_open = 0

        self.canvas_actions = CanvasActions(self.controller, self, confirm=self._confirm)
        self.canvas = CanvasView(self.controller, self.canvas_actions, self)
        self.setCentralWidget(self.canvas)
        self.property_panel = self._make_property_panel()
        self.problems_panel = self._make_problems_panel()
        self.properties_dock = self._dock("Properties", "propertiesDock", self.property_panel,
                                          Qt.DockWidgetArea.RightDockWidgetArea)
        self.problems_dock = self._dock("Problems", "problemsDock", self.problems_panel,
                                        Qt.DockWidgetArea.BottomDockWidgetArea)
        self.resizeDocks([self.properties_dock], [360], Qt.Orientation.Horizontal)
        self.resizeDocks([self.problems_dock], [140], Qt.Orientation.Vertical)
        self.canvas.viewport().installEventFilter(self)
        if session and defer_session:
            self.firstPainted.connect(lambda: self.opening.when_settled(self._make_session),
                                      Qt.ConnectionType.SingleShotConnection)
        elif session:
            self._make_session()

        self._build_actions()
        self._build_menus()
        self._build_toolbar()
        self._build_status_bar()
        self._tab_order = TabOrder(self)
        self.small_screen = SmallScreen(self)  # clamps the panel, folds Problems in a short window
        self.setAcceptDrops(True)

        self.controller.error.connect(self.show_error)
        self.controller.teamChanged.connect(lambda _change: self._schedule_title())
        self.controller.undo_stack.cleanChanged.connect(lambda _clean: self._schedule_title())
        self.controller.selectionChanged.connect(self._on_selection)
        self.controller.teamChanged.connect(self._refresh_find_names)
        self.canvas.zoomChanged.connect(self._show_zoom)
        self._title_timer = QTimer(self)
        self._title_timer.setSingleShot(True)
        self._title_timer.setInterval(0)
        self._title_timer.timeout.connect(self.update_title)
        self.resize(1400, 900)
        if remember:
            self._restore_settings()
        self.update_title()

    def eventFilter(self, watched, event) -> bool:
        if event.type() == QEvent.Type.Paint and watched is self.canvas.viewport():
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self.firstPainted.emit)  # once this paint has reached the screen
        return False

    @property
    def undo_stack(self):
        """The controller's undo stack (one entry per operation)."""
        return self.controller.undo_stack

    # -- construction ---------------------------------------------------------------------------
    def _make_property_panel(self) -> QWidget:
        try:
            from app.ui.panels.properties import PropertyPanel
        except ImportError:
            return _placeholder("propertyPanel", "Select an agent to see its properties.")
        return PropertyPanel(self.controller)

    def _make_problems_panel(self) -> QWidget:
        try:
            from app.ui.panels.problems import ProblemsPanel
        except ImportError:
            return _placeholder("problemsPanel", "No problems.")
        return ProblemsPanel(self.controller)

    def _make_session(self) -> None:
        if self.session is not None:
            return
        try:
            from app.ui.session import Session
        except ImportError:
            return
        self.session = Session(self.controller, self)
        self.session.confirm_save = self.review_save

    def review_save(self, summary) -> bool:
        """Show what Save will write and let the user go ahead or cancel (not when switched off,
        nothing but card positions changed, or there is no screen to ask on)."""
        from app.ui.save_review import SaveReviewDialog, review_wanted

        self._save_summary = summary
        if summary.empty or not self.can_ask() or not review_wanted(settings()):
            return True
        return SaveReviewDialog(summary, settings(), self).exec() == SaveReviewDialog.DialogCode.Accepted

    def _dock(self, title: str, name: str, widget: QWidget, area) -> QDockWidget:
        dock = QDockWidget(title, self)
        dock.setObjectName(name)
        dock.setWidget(widget)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, text: str, slot, shortcut=None, canvas_only: bool = False, tip: str = "") -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setStatusTip(tip)
            action.setToolTip(f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
                              if shortcut is not None else tip)
        action.triggered.connect(lambda _checked=False: slot())
        if canvas_only:
            # Only while the canvas has focus: Delete or F typed into a panel field stays there.
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.canvas.addAction(action)
        else:
            self.addAction(action)
        return action

    def _build_actions(self) -> None:
        a = self._action
        self.act_open = a("&Open Folder…", self.choose_folder, QKeySequence.StandardKey.Open,
                          tip="Open a team folder")
        self.act_sample = a("Open &Sample Team", self.open_sample_team)
        self.act_save = a("&Save All", self.save_all, QKeySequence.StandardKey.Save,
                          tip="Save every changed file")
        self.act_export_png = a("Export Canvas as &PNG…", lambda: self.export_canvas("png"))
        self.act_export_svg = a("Export Canvas as S&VG…", lambda: self.export_canvas("svg"))
        self.act_quit = a("&Quit", self.close, QKeySequence.StandardKey.Quit)
        stack = self.controller.undo_stack
        self.act_undo = stack.createUndoAction(self, "&Undo")
        self.act_undo.setShortcut(QKeySequence("Ctrl+Z"))
        self.act_redo = stack.createRedoAction(self, "&Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.addAction(self.act_undo)
        self.addAction(self.act_redo)
        self.act_delete = a("&Delete", self.delete_selection, QKeySequence.StandardKey.Delete,
                            canvas_only=True)
        self.act_delete.setShortcuts([QKeySequence(QKeySequence.StandardKey.Delete), QKeySequence("Backspace")])
        self.act_duplicate = a("D&uplicate", self.duplicate_selection, "Ctrl+D", canvas_only=True)
        self.act_new = a("&New Agent…", self.new_agent_guided, "Ctrl+N", tip="Add an agent, step by step")
        self.act_find = a("&Find Agent…", self.find_agent, QKeySequence.StandardKey.Find)
        self.act_select_all = a("Select &All", self.select_all, QKeySequence.StandardKey.SelectAll,
                                canvas_only=True)
        self.act_fit = a("Zoom to &Fit", self.canvas.zoom_to_fit, "F", canvas_only=True,
                         tip="Show the whole team")
        self.act_zoom_in = a("Zoom &In", lambda: self.canvas.set_zoom(self.canvas.zoom() * 1.25),
                             QKeySequence.StandardKey.ZoomIn, canvas_only=True)
        self.act_zoom_out = a("Zoom &Out", lambda: self.canvas.set_zoom(self.canvas.zoom() / 1.25),
                              QKeySequence.StandardKey.ZoomOut, canvas_only=True)
        self.act_zoom_100 = a("&Actual Size", lambda: self.canvas.set_zoom(1.0), "Ctrl+0", canvas_only=True)
        self.act_layout = a("Auto-&Layout", self.canvas_actions.auto_layout, "Ctrl+L",
                            tip="Arrange the agents along their hand-offs")
        self.act_about = a("&About Agent Canvas", self.about)
        self.act_shortcuts = a("&Keyboard Shortcuts", lambda: self.show_shortcuts().show(), "Ctrl+/",
                               tip="List every keyboard shortcut")
        self._team_actions = [self.act_save, self.act_export_png, self.act_export_svg, self.act_delete,
                              self.act_duplicate, self.act_new, self.act_find, self.act_fit,
                              self.act_layout, self.act_select_all]

    def _build_menus(self) -> None:
        bar = self.menuBar()
        file = bar.addMenu("&File")
        file.addAction(self.act_open)
        self.recent_menu = file.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file.addAction(self.act_sample)
        file.addSeparator()
        file.addAction(self.act_save)
        # Takes what other programs wrote (asking where there are unsaved edits): the way back
        # when the watcher missed a change.
        self.act_reload = self._action("&Reload from Disk", lambda: self.session and self.session.reload_from_disk(),
                                       tip="Take the changes other programs made to the team's files")
        file.addAction(self.act_reload)
        file.addSeparator()
        file.addAction(self.act_export_png)
        file.addAction(self.act_export_svg)
        file.addSeparator()
        file.addAction(self.act_quit)
        edit = bar.addMenu("&Edit")
        edit.addAction(self.act_undo)
        edit.addAction(self.act_redo)
        edit.addSeparator()
        edit.addAction(self.act_new)
        edit.addAction(self.act_duplicate)
        edit.addAction(self.act_delete)
        edit.addSeparator()
        edit.addAction(self.act_select_all)
        edit.addAction(self.act_find)
        view = bar.addMenu("&View")
        view.addAction(self.act_fit)
        view.addAction(self.act_zoom_in)
        view.addAction(self.act_zoom_out)
        view.addAction(self.act_zoom_100)
        view.addSeparator()
        view.addAction(self.act_layout)
        view.addSeparator()
        view.addAction(self.properties_dock.toggleViewAction())
        view.addAction(self.problems_dock.toggleViewAction())
        help_ = bar.addMenu("&Help")
        help_.addAction(self.act_shortcuts)
        help_.addSeparator()
        help_.addAction(self.act_about)
        # What each mark on the canvas means, from both menus a reader may look in.
        from app.ui.canvas.legend import show_legend

        self.act_legend = QAction("&Legend", self)
        self.act_legend.triggered.connect(lambda: show_legend(self))
        view.addAction(self.act_legend)
        help_.addAction(self.act_legend)
        from app.ui.matrix.switch import ViewSwitch

        self.views = ViewSwitch(self, view)  # View → Relation Matrix: canvas or matrix in the centre
        from app.ui.scope_groups import ScopeGroups

        self.scopes = ScopeGroups(self, view)  # View → Agents from Other Scopes: a dock beside the canvas

    def _build_toolbar(self) -> None:
        tb = QToolBar("Main", self)
        tb.setObjectName("mainToolbar")
        tb.setMovable(False)
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        # The stack's actions say "Undo Rename planner"; on the toolbar that long text would push
        # the buttons around after every edit, so the toolbar gets short proxies (full text as tip).
        self.tb_undo = ShortProxy("Undo", self.act_undo, self)
        self.tb_redo = ShortProxy("Redo", self.act_redo, self)
        for act in (self.act_open, self.act_save, None, self.tb_undo, self.tb_redo, None, self.act_new,
                    self.act_layout, self.act_fit):
            if act is None:
                tb.addSeparator()
            else:
                tb.addAction(act)
        spacer = QWidget()
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        tb.addWidget(spacer)
        self.find_field = QLineEdit()
        self.find_field.setObjectName("findAgent")
        self.find_field.setPlaceholderText("Find agent…  Ctrl+F")
        self.find_field.setClearButtonEnabled(True)
        self.find_field.setFixedWidth(240)
        self.find_field.returnPressed.connect(self._find_entered)
        self.find_names = QStringListModel(self)
        self.find_completer = QCompleter(self.find_names, self.find_field)
        self.find_completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.find_completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.find_completer.activated.connect(self._find_name)
        self.find_field.setCompleter(self.find_completer)
        tb.addWidget(self.find_field)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, tb)
        self.toolbar = tb

    def show_shortcuts(self):
        """Help → Keyboard Shortcuts: every shortcut the window's actions have (shortcuts.py)."""
        return shortcuts_dialog(self, [*self.actions(), *self.canvas.actions()])

    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.count_label = QLabel("")
        self.zoom_label = QLabel("")
        bar.addPermanentWidget(self.count_label)
        bar.addPermanentWidget(self.zoom_label)
        from app.ui.rename_offer import RenameOffer

        self.rename_offer = RenameOffer(self.controller, self)  # after a rename: update the instructions?
        bar.addWidget(self.rename_offer)

    # -- settings -------------------------------------------------------------------------------
    def _restore_settings(self) -> None:
        s = settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = s.value("window/state")
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)

    def _save_settings(self) -> None:
        s = settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())

    recent_folders = staticmethod(recent_folders)
    last_folder = staticmethod(last_folder)

    def _remember_folder(self, folder: Path) -> None:
        if self.remember:
            remember_folder(folder)

    def _fill_recent_menu(self) -> None:
        fill_recent_menu(self.recent_menu, lambda f: self.open_team(f, background=True))

    # -- opening and saving ---------------------------------------------------------------------
    def open_team(self, path, layout: bool = True, check_after_paint: bool = False,
                  background: bool = False) -> bool:
        """Open the team folder at `path`. Returns False (after saying why) if it cannot be opened.
        `check_after_paint`: paint the team from its files first and check them against the
        schema (problems included) right after the window's first paint (model/sketch.py).
        `background`: read it on a worker thread, with progress and Cancel (ui/team_opening.py);
        True then means that the opening has started, and the team arrives a moment later."""
        folder = Path(path).expanduser()
        if self.team is not None and not self.maybe_save():
            return False
        if not folder.is_dir():
            self.show_error(f"There is no folder at {folder}." if not folder.exists()
                            else f"{folder} is a file; please choose the folder that holds the agent files.",
                            dialog=True)
            return False
        folder = team_folder(folder).resolve()  # a project folder: the agents in its .claude/agents
        if background:
            self._edits_at_open = self.controller.undo_stack.index()
            self.opening.start(folder, layout)
            return True
        team = load_team(folder, check=not check_after_paint)
        if isinstance(team, str):
            self.show_error(team, dialog=True)
            return False
        self._adopt_team(team, None, layout)
        return True

    def _opened_in_background(self, team: Team, placement, place: bool) -> None:
        # The old team could still be edited until the progress dialog showed: ask again if it was.
        if (self.team is not None and self.controller.undo_stack.index() != self._edits_at_open
                and not self.maybe_save()):
            return
        self._adopt_team(team, placement, place)

    def _adopt_team(self, team: Team, placement, place: bool) -> None:
        self.team = team
        self.controller.set_team(team, place=place, placement=placement)  # unplaced agents placed
        if not team.checked:  # problems after the frame that shows the team and what it queued
            after_next_paint(self.canvas.viewport(), lambda: QTimer.singleShot(0, team.check))
        self._remember_folder(team.root)
        self._refresh_find_names()
        self._update_counts()
        notes = []
        if team.unreadable:
            notes.append(f"{len(team.unreadable)} file(s) could not be read (see Problems)")
        if team.sidecar_problem:
            notes.append(team.sidecar_problem)
        n = len(team.names())
        msg = f"Opened {team_title(team.root)}: {n} agent{'s' if n != 1 else ''}"
        self.statusBar().showMessage(msg + (". " + "; ".join(notes) if notes else ""), 8000)
        self.update_title()

    def choose_folder(self) -> bool:
        start = str(team_home(self.team.root).parent) if self.team is not None else (self.last_folder() or str(Path.home()))
        folder = QFileDialog.getExistingDirectory(self, "Open a team folder", start)
        return self.open_team(folder, background=True) if folder else False

    def open_sample_team(self) -> bool:
        try:
            from app.resources import ResourceError, copy_sample_team
        except ImportError:
            self.show_error("The sample team is not part of this installation.", dialog=True)
            return False
        try:
            folder = copy_sample_team()
        except ResourceError as exc:
            self.show_error(str(exc), dialog=True)
            return False
        if not self.open_team(folder):
            return False
        # A fresh copy each time ("… (2)" beside an earlier one): say where it went.
        self.statusBar().showMessage(f"Copied the sample team to {folder}; your edits are saved there.", 12000)
        return True

    def save_all(self) -> bool:
        """Write every changed file (and the layout). Returns True when everything was written."""
        if self.team is None:
            return True
        if self.session is not None and hasattr(self.session, "save_all"):
            result = self.session.save_all()
            ok = result if isinstance(result, bool) else not result
        else:
            failures = self.team.save()
            ok = not failures
            if failures:
                lines = "\n".join(f"• {f}" for f in failures[:12])
                more = f"\n…and {len(failures) - 12} more" if len(failures) > 12 else ""
                self.show_error("Some files could not be saved. Your edits are still here; fix the cause "
                                f"and save again.\n\n{lines}{more}", dialog=True)
        if ok:
            from app.model.save_summary import saved_message

            self.controller.undo_stack.setClean()
            summary, self._save_summary = self._save_summary, None
            self.statusBar().showMessage(saved_message(summary) if summary is not None else "Saved", 8000)
        self.update_title()
        return ok

    def is_dirty(self) -> bool:
        return self.team is not None and self.team.dirty()

    def maybe_save(self) -> bool:
        """True when it is fine to let go of the current team (saved, discarded, or clean)."""
        if self.team is None or not self.team.dirty():
            return True
        if not self.ask_before_discarding:
            return True
        if self.session is not None and hasattr(self.session, "confirm_close"):
            return bool(self.session.confirm_close())
        if not self.can_ask():
            return False  # nobody to ask: keep the unsaved work
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Unsaved changes")
        box.setText(f"Save the changes to {team_title(self.team.root)}?")
        box.setInformativeText("If you don't save, your changes since the last save are lost.")
        box.setStandardButtons(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                               | QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            return self.save_all()
        return answer == QMessageBox.StandardButton.Discard

    def closeEvent(self, event) -> None:
        if not self.maybe_save():
            event.ignore()
            return
        if self.remember:
            self._save_settings()
        self.canvas_actions.shutdown()
        self.opening.stop()
        if self.session is not None and hasattr(self.session, "stop"):
            self.session.stop()
        event.accept()

    # -- drag and drop a folder ------------------------------------------------------------------
    @staticmethod
    def _dropped_folder(mime) -> str | None:
        if not mime.hasUrls():
            return None
        for url in mime.urls():
            if url.isLocalFile() and os.path.isdir(url.toLocalFile()):
                return url.toLocalFile()
        return None

    def dragEnterEvent(self, event) -> None:
        if self._dropped_folder(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event) -> None:
        if self._dropped_folder(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        folder = self._dropped_folder(event.mimeData())
        if folder:
            event.acceptProposedAction()
            self.open_team(folder, background=True)

    # -- small commands -------------------------------------------------------------------------
    def new_agent(self) -> str | None:
        """Add an agent in the middle of the visible canvas; returns its name."""
        return self.canvas_actions.new_agent(self.canvas.visible_center())

    def new_agent_guided(self):
        """Open the guided new-agent dialog (window-modal, not blocking); Create adds the agent in
        the free space nearest to the middle of the visible canvas. Returns the dialog."""
        if self.team is None:
            return None
        from app.model.new_agent import sample_starters, team_starters
        from app.resources import ResourceError, sample_team_dir
        from app.ui.new_agent_dialog import NewAgentDialog

        try:
            samples = sample_starters(sample_team_dir())
        except ResourceError:
            samples = []  # an incomplete installation still offers a blank agent and copies
        dialog = NewAgentDialog(self.team, [*samples, *team_starters(self.team)], self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.canvas_actions.create(dialog.spec(), self.canvas.visible_center()))
        dialog.open()
        return dialog

    def delete_selection(self) -> bool:
        return self.canvas_actions.delete(*self.canvas.selection())

    def duplicate_selection(self) -> list[str]:
        return self.canvas_actions.duplicate(self.canvas.canvas_scene.selected_names(),
                                             near=self.canvas.visible_center())

    def select_all(self) -> None:
        self.controller.select(sorted(self.canvas.canvas_scene.cards))

    def find_agent(self) -> None:
        self.toolbar.show()
        self.find_field.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.find_field.selectAll()

    def _refresh_find_names(self, *_args) -> None:
        if self.team is not None:
            self.find_names.setStringList(self.team.names())

    def _find_entered(self) -> None:
        self._find_name(self.find_field.text())

    def _find_name(self, text: str) -> None:
        if self.team is None:
            return
        text = text.strip()
        names = self.team.names()
        match = text if text in names else next((n for n in names if text.lower() in n.lower()), None)
        if match is None:
            self.statusBar().showMessage(f"No agent matches “{text}”", 4000)
            return
        self.canvas.focus_agent(match)
        self._show_zoom(self.canvas.zoom())  # focus_agent may zoom in without saying so
        self.canvas.setFocus()

    def export_canvas(self, kind: str) -> bool:
        if self.team is None:
            return False
        home = team_home(self.team.root)  # beside the team's folder, or beside the project
        default = str(home.parent / f"{home.name}.{kind}")
        filters = "PNG image (*.png)" if kind == "png" else "SVG image (*.svg)"
        path, _ = QFileDialog.getSaveFileName(self, f"Export the canvas as {kind.upper()}", default, filters)
        if not path:
            return False
        if not path.lower().endswith(f".{kind}"):
            path += f".{kind}"
        ok = self.canvas.export_png(path) if kind == "png" else self.canvas.export_svg(path)
        if ok:
            self.statusBar().showMessage(f"Exported {path}", 6000)
        else:
            self.show_error(f"Could not write {path}. Check that the folder exists and you may write there.",
                            dialog=True)
        return ok

    def about(self) -> None:
        QMessageBox.about(
            self, "About Agent Canvas",
            f"<h3>Agent Canvas {__version__}</h3>"
            "<p>A visual editor for teams of AI agents kept as Markdown files. It changes only the "
            "lines you edit and never rewrites a file you did not touch.</p>",
        )

    # -- status ---------------------------------------------------------------------------------
    def can_ask(self) -> bool:
        """A modal question can be answered: dialogs are on and there is a screen to show them."""
        return self.ask_before_discarding and self.isVisible() and \
            QGuiApplication.platformName() != "offscreen"

    def _confirm(self, title: str, question: str) -> bool:
        """Yes or Cancel, before deleting several agents (yes without a screen to ask on)."""
        if QGuiApplication.platformName() == "offscreen":
            return True
        answer = QMessageBox.question(
            self, title, question, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Yes

    def show_error(self, message: str, dialog: bool = False) -> None:
        self.last_error = message
        if dialog and self.can_ask():
            QMessageBox.warning(self, "Agent Canvas", message)
        self.statusBar().showMessage(message.splitlines()[0] if message else "", 10000)

    def _on_selection(self, names: list[str]) -> None:
        self._update_counts()

    def _update_counts(self) -> None:
        if self.team is None:
            self.count_label.setText("")
            return
        n = len(self.team.names())
        sel = len(self.controller.selection)
        text = f"{n} agent{'s' if n != 1 else ''}"
        if sel:
            text += f" · {sel} selected"
        self.count_label.setText(text)

    def _show_zoom(self, zoom: float) -> None:
        self.zoom_label.setText(f"{round(zoom * 100)}%")

    def _schedule_title(self) -> None:
        self._title_timer.start()

    def update_title(self) -> None:
        team = self.team
        for act in self._team_actions:
            act.setEnabled(team is not None)
        if team is None:
            self.setWindowTitle("Agent Canvas")
            self.setWindowModified(False)
            return
        self.setWindowTitle(f"{team_title(team.root)}[*] — Agent Canvas")
        self.setWindowModified(team.dirty())
        self._update_counts()
