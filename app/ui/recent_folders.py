"""The editor's settings store and the folders it remembers (File → Open Recent, the folder the
next start opens). QSettings keeps them where each system expects (registry, plist, ini)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMenu

ORG = "Agent Canvas"
APP = "Agent Canvas"
MAX_RECENT = 10


def settings() -> QSettings:
    return QSettings(ORG, APP)


def recent_folders() -> list[str]:
    value = settings().value("recentFolders", [])
    if isinstance(value, str):  # a list of one comes back as a string from some back-ends
        value = [value]
    return [str(v) for v in value] if isinstance(value, (list, tuple)) else []


def last_folder() -> str | None:
    value = settings().value("lastFolder")
    return str(value) if value else None


def remember_folder(folder: Path) -> None:
    s = settings()
    path = str(folder)
    recent = [p for p in recent_folders() if p != path]
    s.setValue("recentFolders", [path] + recent[: MAX_RECENT - 1])
    s.setValue("lastFolder", path)


def fill_recent_menu(menu: QMenu, open_folder: Callable[[str], object]) -> None:
    menu.clear()
    folders = recent_folders()
    if not folders:
        menu.addAction("No recent folders").setEnabled(False)
        return
    for folder in folders:
        menu.addAction(folder).triggered.connect(lambda _c=False, f=folder: open_folder(f))
    menu.addSeparator()
    menu.addAction("Clear the List", lambda: settings().setValue("recentFolders", []))
