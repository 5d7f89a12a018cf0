"""Safe saving: save all, other programs' changes to the team's files, and the crash journal.

`Session(controller, parent_widget)`:
- `save_all()` writes every changed file through `team.save()`; a failure is said in words and
  the edits stay in memory (the team stays dirty).
- A QFileSystemWatcher on the team's files and folders notices other programs' changes. Bursts
  are debounced; a change is judged by comparing the bytes on disk with the bytes the team last
  read or wrote, so our own saves (and editors that touch without changing) are ignored. A clean
  file is reloaded in place; a file with unsaved edits asks: keep mine / take the disk's / show
  the differences.
- Unsaved edits are journaled (JSON) shortly after every change, and the journal is removed after
  a save or a clean close. When a team is opened and a journal exists for its folder, the user is
  offered to restore it; files whose disk bytes changed since are not restored, and the user is
  told which.

Every question goes through `ask()` / `inform()` / `show_diff()`, which tests replace.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QFontDatabase, QGuiApplication, QTextCursor, QTextFormat
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.model.operations import RestoreFiles
from app.model.save_summary import SaveSummary, save_summary

JOURNAL_VERSION = 1
WATCH_DEBOUNCE_MS = 250
JOURNAL_DEBOUNCE_MS = 800
MAX_FILE_WATCHES = 4000


def journal_dir() -> Path:
    """Where crash journals live: AGENT_CANVAS_JOURNAL_DIR, else the user's data folder."""
    override = os.environ.get("AGENT_CANVAS_JOURNAL_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("agent-canvas", appauthor=False)) / "journal"


def _sha(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError:
        return None


class Session(QObject):
    def __init__(self, controller, parent_widget: QWidget | None = None, journal_folder: Path | None = None):
        super().__init__(parent_widget)
        self.controller = controller
        self.parent_widget = parent_widget
        self.journal_folder = Path(journal_folder) if journal_folder else journal_dir()
        self.watcher = QFileSystemWatcher(self)
        self.watcher.fileChanged.connect(self._path_changed)
        self.watcher.directoryChanged.connect(self._path_changed)
        self._changed_paths: set[str] = set()
        self._watch_timer = QTimer(self)
        self._watch_timer.setSingleShot(True)
        self._watch_timer.setInterval(WATCH_DEBOUNCE_MS)
        self._watch_timer.timeout.connect(self.process_disk_changes)
        self._journal_timer = QTimer(self)
        self._journal_timer.setSingleShot(True)
        self._journal_timer.setInterval(JOURNAL_DEBOUNCE_MS)
        self._journal_timer.timeout.connect(self.write_journal)
        self._busy = False  # a dialog about the disk is open: queue further changes
        controller.teamOpened.connect(self._team_opened)
        controller.teamChanged.connect(self._team_changed)
        if controller.team is not None:
            self._team_opened(controller.team)
            # Made after the team was read (the editor's start makes the session after the first
            # paint): what changed on disk in between is looked at as if the watcher had seen it.
            for folder in self.watcher.directories():
                self._path_changed(folder)

    @property
    def team(self):
        return self.controller.team

    def stop(self) -> None:
        """Stop watching and journaling (the window is going away). The journal file stays."""
        self._watch_timer.stop()
        self._journal_timer.stop()
        self._changed_paths.clear()
        paths = self.watcher.files() + self.watcher.directories()
        if paths:
            self.watcher.removePaths(paths)
        for signal, slot in ((self.controller.teamOpened, self._team_opened),
                             (self.controller.teamChanged, self._team_changed)):
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass

    # -------------------------------------------------------------------------- questions ----
    def ask(self, kind: str, title: str, text: str, choices: list[tuple[str, str]], default: str) -> str:
        """Ask the user; returns the key of the chosen (key, label) pair. Tests replace this.

        kind: "close", "conflict", "deleted", "restore", "save-failed"."""
        if QGuiApplication.platformName() == "offscreen":
            # No screen (tests, --screenshot): a modal box would wait forever. Take the answer
            # that loses nothing and writes nothing, and say so.
            safe = {"close": "cancel", "conflict": "mine", "deleted": "mine", "restore": "discard"}
            keys = [k for k, _label in choices]
            answer = safe.get(kind, default)
            if answer not in keys:
                answer = default
            self.controller.error.emit(f"{title}: {text} (no screen to ask on; chose “{answer}”)")
            return answer
        box = QMessageBox(self.parent_widget)
        box.setWindowTitle(title)
        box.setIcon(QMessageBox.Icon.Question)
        box.setText(text)
        buttons: dict[object, str] = {}
        for key, label in choices:
            role = {
                "cancel": QMessageBox.ButtonRole.RejectRole,
                "discard": QMessageBox.ButtonRole.DestructiveRole,
            }.get(key, QMessageBox.ButtonRole.AcceptRole)
            b = box.addButton(label, role)
            buttons[b] = key
            if key == default:
                box.setDefaultButton(b)
        box.exec()
        return buttons.get(box.clickedButton(), default if default == "cancel" else choices[-1][0])

    def inform(self, title: str, text: str) -> None:
        """Tell the user something went wrong. Tests replace this."""
        if QGuiApplication.platformName() == "offscreen":
            self.controller.error.emit(f"{title}: {text}")
            return
        QMessageBox.warning(self.parent_widget, title, text)

    def show_diff(self, path: str, mine: str, disk: str) -> str | None:
        """Side-by-side differences; returns "mine", "disk" or None (decide later). Tests replace this."""
        if QGuiApplication.platformName() == "offscreen":
            return None
        dialog = DiffDialog(path, mine, disk, self.parent_widget)
        dialog.exec()
        return dialog.choice

    # ------------------------------------------------------------------------------ saving ----
    def _flush_editors(self) -> None:
        # A name being typed commits when its field loses focus; make Save see it.
        self.controller.aboutToSave.emit()

    # The window's review before saving: shown what will be written (a SaveSummary), it returns
    # False to cancel. None: save without asking (tests, --screenshot).
    confirm_save: Callable[[SaveSummary], bool] | None = None

    def save_all(self) -> bool:
        """Write every changed file. True when everything was saved."""
        team = self.team
        if team is None:
            return True
        self._flush_editors()
        if self.confirm_save is not None and not self.confirm_save(save_summary(team)):
            return False
        try:
            failures = team.save()
        except (OSError, ValueError) as exc:  # never a traceback; the edits stay in memory
            failures = [f"The team could not be saved: {exc}"]
        self._rewatch()
        if failures:
            lines = "\n".join(f"• {f}" for f in failures)
            self.inform(
                "Some files were not saved",
                f"These files could not be saved:\n\n{lines}\n\n"
                "Your changes are still here and nothing was lost. Fix the cause (for example free "
                "some disk space or allow writing to the folder) and save again.",
            )
            self.write_journal()
            return False
        self.remove_journal()
        return True

    def confirm_close(self) -> bool:
        """True when the window may close: nothing unsaved, saved, or the user discarded."""
        team = self.team
        if team is None or not team.dirty():
            self.remove_journal()
            return True
        n = sum(1 for f in team.files.values() if f.dirty)
        what = f"{n} agent file{'s' if n != 1 else ''}" if n else "the layout"
        choice = self.ask(
            "close",
            "Unsaved changes",
            f"You have unsaved changes in {what}. Save them before closing?",
            [("save", "Save"), ("discard", "Discard"), ("cancel", "Cancel")],
            "save",
        )
        if choice == "save":
            return self.save_all()
        if choice == "discard":
            self.remove_journal()
            return True
        return False

    # -------------------------------------------------------------------- watching the disk ----
    def _team_opened(self, team) -> None:
        self._changed_paths.clear()
        self._rewatch()
        self.offer_restore()

    def _team_changed(self, _change) -> None:
        # Debounced: write_journal() checks dirtiness once per burst (it encodes every file) and
        # removes the journal when nothing is unsaved any more.
        if self.team is not None:
            self._journal_timer.start()

    def _rewatch(self) -> None:
        """Watch every agent file and every folder of the team (atomic replaces drop a file from
        the watcher, so this runs after each save and each processed change)."""
        team = self.team
        old = self.watcher.files() + self.watcher.directories()
        if old:
            self.watcher.removePaths(old)
        if team is None:
            return
        root = Path(team.root)
        folders = {str(root)}
        for rel in team.files:
            parent = (root / rel).parent
            while parent != root and root in parent.parents:
                folders.add(str(parent))
                parent = parent.parent
        for dirpath, dirnames, _files in os.walk(root):
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
            folders.add(dirpath)
            if len(folders) > 2000:  # stay well inside the OS's watch limits
                break
        files = [str(root / rel) for rel in team.files]
        if len(files) > MAX_FILE_WATCHES:
            # inotify's per-user limit is shared with every other program: past this many files,
            # watch folders only. Files added, removed or replaced (git, editors that save
            # atomically) are still noticed; a file rewritten in place is not.
            files = []
        paths = sorted(folders) + [f for f in files if os.path.exists(f)]
        if paths:
            self.watcher.addPaths(paths)

    def _path_changed(self, path: str) -> None:
        self._changed_paths.add(path)
        self._watch_timer.start()

    def _rel(self, path: str) -> str:
        return Path(os.path.relpath(path, self.team.root)).as_posix()

    def candidates(self) -> set[str]:
        """Relative paths to look at after watcher events: changed files, and .md files that
        appeared in or vanished from a changed folder."""
        team = self.team
        root = Path(team.root)
        out: set[str] = set()
        for path in self._changed_paths:
            p = Path(path)
            if p.is_dir() or p == root or (p.suffix.lower() != ".md" and not p.exists()):
                folder = p
                rel_folder = "" if folder == root else self._rel(str(folder)) + "/"
                try:
                    present = {
                        rel_folder + e.name for e in os.scandir(folder)
                        if e.name.lower().endswith(".md") and e.is_file()
                    }
                except OSError:
                    present = set()
                known = {r for r in team.files if r.startswith(rel_folder) and "/" not in r[len(rel_folder):]}
                out |= present ^ known
                out |= {r for r in present & known if self._disk_differs(r)}
            else:
                out.add(self._rel(path))
        self._changed_paths.clear()
        return {r for r in out if not r.startswith("..")}

    def _disk_differs(self, rel: str) -> bool:
        af = self.team.files.get(rel)
        disk_now = _read(Path(self.team.root) / rel)
        base = af.disk if af is not None else None
        return disk_now != base

    def process_disk_changes(self) -> None:
        """Handle what the watcher reported (called on a debounce; tests call it directly)."""
        team = self.team
        if team is None:
            self._changed_paths.clear()
            return
        if self._busy:
            self._watch_timer.start()
            return
        self._busy = True
        try:
            for rel in sorted(self.candidates()):
                self._handle(rel)
        finally:
            self._busy = False
        self._rewatch()

    def _handle(self, rel: str) -> None:
        team = self.team
        af = team.files.get(rel)
        disk_now = _read(Path(team.root) / rel)
        base = af.disk if af is not None else None
        if disk_now == base:
            return  # our own save, or a touch that changed nothing
        if af is None:
            if disk_now is not None and rel.lower().endswith(".md"):
                team.reload_file(rel)  # a new file from another program joins the team
            return
        if not af.dirty:
            self.reload(rel)
            return
        if disk_now is None:
            choice = self.ask(
                "deleted",
                "A file was deleted",
                f"{rel} was deleted by another program, but you have unsaved changes in it.\n\n"
                "Keep your version (it is written again when you save), or let it go?",
                [("mine", "Keep my version"), ("disk", "Remove it")],
                "mine",
            )
        else:
            choice = self._ask_conflict(rel, af.text, disk_now)
        if choice == "disk":
            self.reload(rel)
        else:
            self.keep_mine(rel, disk_now)

    def reload(self, rel: str) -> None:
        """Take the disk's version of `rel`. Undo steps hold exact snapshots of the files they
        changed; replaying one over the new text would silently undo the other program's change,
        so history that touched this file is cleared (and the user is told)."""
        self.team.reload_file(rel)
        stack = self.controller.undo_stack
        if any(rel in stack.command(i).files for i in range(stack.count())):
            stack.clear()
            self.controller.error.emit(
                f"{rel} was changed by another program and reloaded; the undo history was cleared "
                "so undo cannot bring back the old text over that change."
            )

    def _ask_conflict(self, rel: str, mine: str, disk_now: bytes) -> str:
        disk_text = disk_now.decode("utf-8", errors="replace")
        while True:
            choice = self.ask(
                "conflict",
                "A file changed on disk",
                f"{rel} was changed by another program, and you have unsaved changes in it.\n\n"
                "Keep your version (saving will replace the other change), take the version on "
                "disk (your unsaved changes to this file are dropped), or compare them first?",
                [("mine", "Keep mine"), ("disk", "Take the disk's"), ("diff", "Show differences…")],
                "mine",
            )
            if choice != "diff":
                return choice
            decided = self.show_diff(rel, mine, disk_text)
            if decided in ("mine", "disk"):
                return decided

    def keep_mine(self, rel: str, disk_now: bytes | None) -> None:
        """The user keeps their text over an outside change: base the file on the bytes now on
        disk, so the next save replaces them instead of refusing as a conflict."""
        self.team.adopt_disk(rel, disk_now)
        self._journal_timer.start()

    # ------------------------------------------------------------------------ crash journal ----
    def journal_path(self, root: Path | None = None) -> Path:
        root = Path(root if root is not None else self.team.root).resolve()
        key = hashlib.sha256(str(root).encode("utf-8")).hexdigest()[:20]
        return self.journal_folder / f"{key}.json"

    def journal_data(self) -> dict | None:
        team = self.team
        if team is None or not team.dirty():
            return None
        files: dict[str, dict] = {}
        for rel, f in team.files.items():
            if f.dirty:
                files[rel] = {"text": f.text, "base_sha256": _sha(f.disk)}
        for rel, data in getattr(team, "_disk", {}).items():
            if rel not in team.files:  # removed (or renamed away) and not yet deleted on disk
                files[rel] = {"text": None, "base_sha256": _sha(data)}
        layout = None
        if team.layout_dirty():
            layout = {
                "positions": {n: list(p) for n, p in sorted(team.positions.items())},
                "pinned": sorted(team.pinned),
            }
        return {
            "version": JOURNAL_VERSION,
            "team": str(Path(team.root).resolve()),
            "written": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "files": files,
            "layout": layout,
        }

    def write_journal(self) -> None:
        data = self.journal_data()
        if data is None:
            self.remove_journal()
            return
        path = self.journal_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
            os.replace(tmp, path)
        except OSError as exc:
            self.controller.error.emit(f"Could not write the recovery journal ({exc.strerror or exc}).")

    def remove_journal(self) -> None:
        self._journal_timer.stop()
        if self.team is None:
            return
        try:
            self.journal_path().unlink()
        except FileNotFoundError:
            pass
        except OSError:
            pass

    def offer_restore(self) -> bool:
        """If a journal exists for the open team, offer to restore it. True when restored."""
        team = self.team
        if team is None:
            return False
        path = self.journal_path()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            files = data["files"]
            if data.get("version") != JOURNAL_VERSION or not isinstance(files, dict):
                raise ValueError
        except FileNotFoundError:
            return False
        except (OSError, ValueError, KeyError, TypeError):
            self.inform("Recovery journal unreadable",
                        "A recovery journal for this folder exists but cannot be read; it was set aside.")
            self._set_aside(path)
            return False
        root = Path(team.root)
        restorable: dict[str, str | None] = {}
        stale: list[str] = []
        for rel, entry in sorted(files.items()):
            disk_now = _read(root / rel)
            if _sha(disk_now) == entry.get("base_sha256"):
                restorable[rel] = entry.get("text")
            else:
                stale.append(rel)
        layout = data.get("layout")
        if not restorable and not layout:
            if stale:
                self.inform("Unsaved changes not restored",
                            "Unsaved changes from an earlier session were found, but every file they "
                            "belong to has changed on disk since, so they were not restored:\n\n"
                            + "\n".join(f"• {r}" for r in stale))
            self._set_aside(path)
            return False
        n = len(restorable)
        text = (f"Agent Canvas closed without saving changes to this team "
                f"({n} file{'s' if n != 1 else ''}{' and the layout' if layout else ''}, "
                f"last noted {data.get('written', 'earlier')}). Restore them?")
        if stale:
            text += ("\n\nThese files changed on disk since, so their changes cannot be restored:\n"
                     + "\n".join(f"• {r}" for r in stale))
        choice = self.ask("restore", "Restore unsaved changes?", text,
                          [("restore", "Restore"), ("discard", "Discard them")], "restore")
        if choice != "restore":
            self._set_aside(path)
            return False
        positions: dict = {}
        pinned: dict = {}
        if layout:
            saved = {n: (float(p[0]), float(p[1])) for n, p in (layout.get("positions") or {}).items()}
            positions = {n: saved.get(n) for n in set(saved) | set(team.positions)}
            was = set(layout.get("pinned") or [])
            pinned = {n: n in was for n in was | set(team.pinned)}
        op = RestoreFiles("Restore unsaved changes", tuple(sorted(restorable.items())),
                          tuple(sorted(positions.items())), tuple(sorted(pinned.items())))
        ok = self.controller.do(op)
        if ok and stale:
            self.inform("Some changes not restored",
                        "These files changed on disk since, so their unsaved changes were not restored:\n\n"
                        + "\n".join(f"• {r}" for r in stale))
        self.write_journal()
        return ok

    def _set_aside(self, path: Path) -> None:
        # Keep one old journal next to it instead of deleting: nothing the user typed is destroyed.
        try:
            os.replace(path, path.with_suffix(".old.json"))
        except OSError:
            pass


def aligned_diff(disk: str, mine: str) -> tuple[list[str], list[str], list[str]]:
    """Both texts as lists of lines padded so equal lines sit side by side; and per row a tag:
    "equal", "replace", "delete" (only on disk) or "insert" (only in mine)."""
    a, b = disk.splitlines(), mine.splitlines()
    left: list[str] = []
    right: list[str] = []
    tags: list[str] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        n = max(i2 - i1, j2 - j1)
        left += a[i1:i2] + [""] * (n - (i2 - i1))
        right += b[j1:j2] + [""] * (n - (j2 - j1))
        tags += [tag] * n
    return left, right, tags


class DiffDialog(QDialog):
    """The disk's version and the user's, side by side with changed lines marked, scrolling
    together; and the two choices."""

    def __init__(self, path: str, mine: str, disk: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(f"Differences in {path}")
        self.choice: str | None = None
        left, right, tags = aligned_diff(disk, mine)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        self.left = self._pane("diff.disk", left, tags, "#fecaca", mono)
        self.right = self._pane("diff.mine", right, tags, "#bbf7d0", mono)
        for a, b in ((self.left, self.right), (self.right, self.left)):
            a.verticalScrollBar().valueChanged.connect(b.verticalScrollBar().setValue)
            a.horizontalScrollBar().valueChanged.connect(b.horizontalScrollBar().setValue)
        changed = sum(1 for t in tags if t != "equal")
        note = QLabel(f"Left: the file on disk now. Right: your unsaved version. "
                      f"{changed} line{'s' if changed != 1 else ''} differ.", self)
        panes = QHBoxLayout()
        panes.setSpacing(8)
        for title, pane in (("On disk", self.left), ("Your version", self.right)):
            col = QVBoxLayout()
            head = QLabel(title, self)
            font = head.font()
            font.setBold(True)
            head.setFont(font)
            col.addWidget(head)
            col.addWidget(pane, 1)
            panes.addLayout(col, 1)
        buttons = QDialogButtonBox(self)
        mine_b = QPushButton("Keep mine", self)
        disk_b = QPushButton("Take the disk's", self)
        buttons.addButton(mine_b, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(disk_b, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        mine_b.clicked.connect(lambda: self._choose("mine"))
        disk_b.clicked.connect(lambda: self._choose("disk"))
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(16, 16, 16, 16)
        lay.setSpacing(8)
        lay.addWidget(note)
        lay.addLayout(panes, 1)
        lay.addWidget(buttons)
        self.resize(1100, 640)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        first = next((i for i, t in enumerate(tags) if t != "equal"), 0)
        self.left.verticalScrollBar().setValue(max(0, first - 3))

    def _pane(self, name: str, lines: list[str], tags: list[str], tone: str, font) -> QPlainTextEdit:
        pane = QPlainTextEdit(self)
        pane.setObjectName(name)
        pane.setReadOnly(True)
        pane.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        pane.setFont(font)
        pane.setPlainText("\n".join(lines))
        marks = []
        block = pane.document().firstBlock()
        for tag in tags:
            if tag != "equal":
                sel = QTextEdit.ExtraSelection()
                sel.format.setBackground(QColor(tone))
                sel.format.setForeground(QColor("#111827"))  # dark text on the light mark, 4.5:1+
                sel.format.setProperty(QTextFormat.Property.FullWidthSelection, True)
                sel.cursor = QTextCursor(block)
                marks.append(sel)
            block = block.next()
        pane.setExtraSelections(marks)
        return pane

    def _choose(self, choice: str) -> None:
        self.choice = choice
        self.accept()
