"""Safe saving: save all, other programs' changes to the team's files, and the crash journal.

`Session(controller, parent_widget)`:
- `save_all()` writes every changed file through `team.save()`; a failure is said in words and
  the edits stay in memory (the team stays dirty). A file another program changed unnoticed (the
  watcher had not reported it yet, or does not watch it) gets the same question as a watched
  change before anything is written, so a save never just refuses.
- A QFileSystemWatcher on the team's files and folders notices other programs' changes. Bursts
  are debounced; a change is judged by comparing the bytes on disk with the bytes the team last
  read or wrote, so our own saves (and editors that touch without changing) are ignored. A clean
  file is reloaded in place; a file with unsaved edits asks: keep mine / take the disk's / show
  the differences. Past MAX_FILE_WATCHES files only folders are watched, and the files' sizes
  and times are compared every POLL_MS instead (while the editor is the active application).
  `reload_from_disk()` (File → Reload from Disk) looks at every file at once.
- Unsaved edits are journaled (JSON, journal.py) shortly after a change and at least every
  JOURNAL_MAX_WAIT_MS while changes go on, and the journal is removed after a save or a clean
  close. When a team is opened and a journal of a window that is gone exists for its folder (or,
  when that folder no longer exists, for a team holding the same files), the user is offered to
  restore it. Files whose disk bytes changed since are not restored, nor the rest of a change to
  several files that one of them belongs to; their text is kept aside in the journal folder and
  the user is told where.

Every question goes through `ask()` / `inform()` / `show_diff()`, which tests replace.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QFileSystemWatcher, QObject, Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from app.model.folder import walk
from app.model.operations import RestoreFiles
from app.model.save_summary import SaveSummary, save_summary
from app.ui.diff_dialog import DiffDialog, aligned_diff, ask_with_buttons
from app.ui.journal import (
    JOURNAL_VERSION,
    WindowJournal,
    joined_groups,
    journal_dir,
    read_journal,
    set_aside,
    team_identity,
)

__all__ = ["JOURNAL_VERSION", "DiffDialog", "Session", "aligned_diff", "journal_dir"]

WATCH_DEBOUNCE_MS = 250
JOURNAL_DEBOUNCE_MS = 800
JOURNAL_MAX_WAIT_MS = 2000  # steady typing restarts the debounce; this bounds what a crash loses
MAX_FILE_WATCHES = 4000
POLL_MS = 2000
SAVE_ROUNDS = 3  # a save that meets outside changes asks about them and tries again, this often


def _sha(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def _stat(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_size, st.st_mtime_ns


class Session(QObject):
    def __init__(self, controller, parent_widget: QWidget | None = None, journal_folder: Path | None = None):
        super().__init__(parent_widget)
        self.controller = controller
        self.parent_widget = parent_widget
        self.journal_folder = Path(journal_folder) if journal_folder else journal_dir()
        self.journal = WindowJournal(self.journal_folder)
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
        self._journal_wait = QTimer(self)  # not restarted by further changes: the max-wait
        self._journal_wait.setSingleShot(True)
        self._journal_wait.setInterval(JOURNAL_MAX_WAIT_MS)
        self._journal_wait.timeout.connect(self.write_journal)
        self._poll_timer = QTimer(self)
        self._poll_timer.setInterval(POLL_MS)
        self._poll_timer.timeout.connect(self._poll_tick)
        self._stats: dict[str, tuple[int, int] | None] = {}  # polled files: (size, mtime_ns)
        self._sha_cache: dict[str, tuple[object, str | None]] = {}  # rel → (disk base, its sha)
        self._identity_value: str | None = None  # of the disk bases in _sha_cache
        # Every file a change named since the team was opened: the only ones that can be unsaved,
        # so a journal write of a team of 10,000 looks at a handful.
        self._touched: set[str] = set()
        app = QGuiApplication.instance()
        if isinstance(app, QGuiApplication):
            app.applicationStateChanged.connect(self._app_state)
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
        self._journal_wait.stop()
        self._poll_timer.stop()
        self._changed_paths.clear()
        self.journal.release()
        paths = self.watcher.files() + self.watcher.directories()
        if paths:
            self.watcher.removePaths(paths)
        app = QGuiApplication.instance()
        pairs = [(self.controller.teamOpened, self._team_opened),
                 (self.controller.teamChanged, self._team_changed)]
        if isinstance(app, QGuiApplication):
            pairs.append((app.applicationStateChanged, self._app_state))
        for signal, slot in pairs:
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
        return ask_with_buttons(self.parent_widget, title, text, choices, default)

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
        if self._changed_paths and not self._busy:  # reported, not looked at yet: look now
            self._watch_timer.stop()
            self.process_disk_changes()
        for _round in range(SAVE_ROUNDS):
            # What the watcher missed (a write just before the save, a large team's in-place
            # writes) is asked about like a watched change, instead of failing as a conflict.
            self.settle_outside_changes()
            try:
                failures = team.save()
            except (OSError, ValueError) as exc:  # never a traceback; the edits stay in memory
                failures = [f"The team could not be saved: {exc}"]
                break
            if not failures or not self._outside_changes():
                break
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

    def _unsaved_paths(self) -> list[str]:
        """Files with unsaved edits, and files of removed agents not yet deleted on disk."""
        team = self.team
        return ([rel for rel, f in team.files.items() if f.dirty]
                + [rel for rel in team.disk if rel not in team.files])

    def _outside_changes(self) -> list[str]:
        team = self.team
        return [rel for rel in self._unsaved_paths() if team.disk_changed(rel)]

    def settle_outside_changes(self) -> None:
        """Ask about every unsaved file that another program changed since it was read."""
        if self._busy:
            return
        self._busy = True
        try:
            for rel in self._outside_changes():
                self._handle(rel)
        finally:
            self._busy = False

    def reload_from_disk(self) -> list[str]:
        """File → Reload from Disk: take every outside change, asking as for a watched change
        where there are unsaved edits. Returns the files that had changed on disk."""
        team = self.team
        if team is None or self._busy:
            return []
        self._flush_editors()
        self._watch_timer.stop()
        self._changed_paths.clear()
        try:
            on_disk = {rel for rel, _entry in walk(Path(team.root))}
        except OSError:
            on_disk = set()
        changed = [rel for rel in sorted(on_disk | set(team.files) | set(team.disk))
                   if team.disk_changed(rel)]
        if not changed:
            self.controller.error.emit("Nothing to reload: no file of this team changed on disk since "
                                       "it was opened or saved.")
            return []
        self._busy = True
        try:
            for rel in changed:
                self._handle(rel)
        finally:
            self._busy = False
        self._rewatch()
        return changed

    # -------------------------------------------------------------------- watching the disk ----
    def _team_opened(self, team) -> None:
        self._changed_paths.clear()
        self._sha_cache.clear()
        self._identity_value = None
        self._touched = set(self._unsaved_paths())
        self._rewatch()
        self.offer_restore()

    def _team_changed(self, change) -> None:
        files = change.files
        self._touched |= files
        disk = self.team.disk if self.team is not None else None
        if self._identity_value is not None and disk is not None and any(
                (self._sha_cache.get(rel) or (None,))[0] is not disk.base(rel) for rel in files):
            self._identity_value = None  # read or saved: the team's disk identity changed
        # Debounced: write_journal() runs once per burst and removes the journal when nothing is
        # unsaved any more. The max-wait timer is not restarted, so steady typing is journaled too.
        if self.team is not None:
            self._journal_timer.start()
            if not self._journal_wait.isActive():
                self._journal_wait.start()

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
            # atomically) are still noticed; a file rewritten in place is noticed by polling.
            self._stats = {f: _stat(f) for f in files}
            if not self._poll_timer.isActive():
                self._poll_timer.start()
            files = []
        else:
            self._stats = {}
            self._poll_timer.stop()
        paths = sorted(folders) + [f for f in files if os.path.exists(f)]
        if paths:
            self.watcher.addPaths(paths)

    def _app_state(self, state) -> None:
        if state == Qt.ApplicationState.ApplicationActive and self._stats:
            self.poll_files()  # back from another program, which may have written

    def _poll_tick(self) -> None:
        # Only while the editor is the active application: the user cannot act meanwhile, and
        # coming back polls at once (_app_state).
        if QGuiApplication.applicationState() == Qt.ApplicationState.ApplicationActive:
            self.poll_files()

    def poll_files(self) -> None:
        """Report the files (of a team too large to watch each file) whose size or modification
        time changed since the last look, as the watcher would."""
        for path, before in list(self._stats.items()):
            now = _stat(path)
            if now != before:
                self._stats[path] = now
                self._path_changed(path)

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
        if not team.disk_changed(rel):
            return  # our own save, or a touch that changed nothing
        disk_now = _read(Path(team.root) / rel)
        if af is None and rel in team.disk:  # its agent was removed or renamed here, unsaved
            if disk_now is None:
                team.adopt_disk(rel, None)  # gone there too: nothing to decide
                return
            choice = self._ask_conflict(rel, "", disk_now, (
                f"{rel} was changed by another program, but you removed it here (or renamed its "
                "agent) and have not saved yet.\n\nKeep your version (saving removes the file with "
                "the other change), take the version on disk (the file comes back as an agent), or "
                "compare them first?"))
            if choice == "disk":
                self.reload(rel)
            else:
                self.keep_mine(rel, disk_now)
            return
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

    def _ask_conflict(self, rel: str, mine: str, disk_now: bytes, text: str | None = None) -> str:
        disk_text = disk_now.decode("utf-8", errors="replace")
        while True:
            choice = self.ask(
                "conflict",
                "A file changed on disk",
                text or
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
        """This window's journal for the team in `root` (the open team by default)."""
        return self.journal.path(Path(root if root is not None else self.team.root))

    def _identity(self) -> str:
        if self._identity_value is None:
            self._identity_value = team_identity(self.team.disk, self._sha_cache)
        return self._identity_value

    def _steps_done(self) -> list[set[str]]:
        """The files of each undo step done (not those undone)."""
        stack = self.controller.undo_stack
        return [set(getattr(stack.command(i), "files", ())) for i in range(stack.index())]

    def journal_data(self) -> dict | None:
        team = self.team
        if team is None:
            return None
        files: dict[str, dict] = {}
        for rel in sorted(self._touched):
            f = team.files.get(rel)
            if f is not None and f.dirty:
                files[rel] = {"text": f.text, "base_sha256": _sha(f.disk)}
            elif f is None and rel in team.disk:  # removed (or renamed away), not yet deleted on disk
                files[rel] = {"text": None, "base_sha256": _sha(team.disk[rel])}
        self._touched = set(files)  # the others are saved (or as on disk): a change re-adds them
        if not files and not team.layout_dirty():
            return None
        layout = None
        if team.layout_dirty():
            layout = {
                "positions": {n: list(p) for n, p in sorted(team.positions.items())},
                "pinned": sorted(team.pinned),
            }
        return {
            "version": JOURNAL_VERSION,
            "team": str(Path(team.root).resolve()),
            "identity": self._identity(),
            "window": self.journal.window,
            "written": time.strftime("%Y-%m-%dT%H:%M:%S"),
            "files": files,
            "groups": joined_groups(set(files), self._steps_done()),
            "layout": layout,
        }

    def write_journal(self, flush: bool = True) -> None:
        if flush and self.team is not None:
            # Text typed but not yet committed (its pause has not come) goes in too; editors
            # commit it as the typing step it would become anyway, so no undo step is added.
            self.controller.aboutToJournal.emit()
        self._journal_timer.stop()
        self._journal_wait.stop()
        data = self.journal_data()
        if data is None:
            self.remove_journal()
            return
        try:
            self.journal.write(Path(self.team.root), data)
        except OSError as exc:
            self.controller.error.emit(f"Could not write the recovery journal ({exc.strerror or exc}).")

    def remove_journal(self) -> None:
        self._journal_timer.stop()
        self._journal_wait.stop()
        if self.team is None:
            return
        self.journal.remove(Path(self.team.root))

    def _journals_for_team(self) -> list[tuple[Path, dict]]:
        """Journals of windows that are gone, for this folder; else journals of a folder that no
        longer exists whose team held exactly the files this one holds (the folder was moved)."""
        root = Path(self.team.root)
        found: list[tuple[Path, dict]] = []
        for path in self.journal.journals(root):
            try:
                found.append((path, read_journal(path)))
            except FileNotFoundError:
                continue
            except (OSError, ValueError, UnicodeDecodeError):
                self.inform("Recovery journal unreadable",
                            "A recovery journal for this folder exists but cannot be read; it was set aside.")
                set_aside(path)
        if found:
            return found
        identity = None
        for path in self.journal.journals(None):
            try:
                data = read_journal(path)
                was = data.get("team")
                if not isinstance(was, str) or not data.get("identity") or os.path.exists(was):
                    continue
            except (OSError, ValueError, UnicodeDecodeError):
                continue
            identity = identity or self._identity()
            if data["identity"] == identity:
                found.append((path, data))
        return found

    def offer_restore(self) -> bool:
        """If a journal exists for the open team, offer to restore it. True when restored."""
        if self.team is None:
            return False
        restored = False
        for path, data in self._journals_for_team():
            restored = self._offer_journal(path, data) or restored
        return restored

    def _offer_journal(self, path: Path, data: dict) -> bool:
        team = self.team
        root = Path(team.root)
        files = data["files"]
        stale = {rel for rel, entry in files.items()
                 if _sha(_read(root / rel)) != (entry or {}).get("base_sha256")}
        # A change to several files (a rename) comes back whole or not at all.
        held = set()
        for group in data.get("groups") or []:
            if stale & set(group):
                held |= set(group) - stale
        restorable = {rel: entry.get("text") for rel, entry in sorted(files.items())
                      if rel not in stale and rel not in held}
        layout = data.get("layout")
        moved = data.get("team") != str(root.resolve())
        where = f" (when it was in {data.get('team')})" if moved else ""
        if not restorable and not layout:
            kept, _whole = self.journal.keep_texts_aside(path, files, stale | held)
            if stale or held:
                self.inform("Unsaved changes not restored",
                            "Unsaved changes from an earlier session were found, but every file they "
                            "belong to has changed on disk since, so they were not restored:\n\n"
                            + "\n".join(f"• {r}" for r in sorted(stale | held)) + kept)
            set_aside(path)
            return False
        n = len(restorable)
        text = (f"Agent Canvas closed without saving changes to this team{where} "
                f"({n} file{'s' if n != 1 else ''}{' and the layout' if layout else ''}, "
                f"last noted {data.get('written', 'earlier')}). Restore them?")
        if stale or held:
            text += ("\n\nThese files changed on disk since, so their changes cannot be restored:\n"
                     + "\n".join(f"• {r}" for r in sorted(stale)))
        if held:
            text += ("\n\nThese were changed together with one of them, so they are not restored either:\n"
                     + "\n".join(f"• {r}" for r in sorted(held)))
        choice = self.ask("restore", "Restore unsaved changes?", text,
                          [("restore", "Restore"), ("discard", "Discard them")], "restore")
        if choice != "restore":
            set_aside(path)
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
        if not ok:
            set_aside(path)
            return False
        kept, whole = self.journal.keep_texts_aside(path, files, stale | held)
        if stale or held:
            self.inform("Some changes not restored",
                        "These files changed on disk since, so their unsaved changes were not restored:\n\n"
                        + "\n".join(f"• {r}" for r in sorted(stale | held)) + kept)
        self.write_journal(flush=False)  # the restored changes are in this window's journal now
        if whole:
            self.journal.remove_file(path)
        else:
            set_aside(path)
        return True
