"""PyInstaller runtime hook for Agent Canvas; custom runtime hooks run before PyInstaller's own,
so this runs before PySide6's hook imports QtCore.

shiboken6 reads SBK_EMBED when it starts: "1" deletes the `shiboken6/files.dir` folder that the
bundle ships (its support modules, pre-compiled; see agent-canvas.spec), "0" writes one. Either
would change the installed program (a per-user Windows install and a macOS .app are writable),
so the variable, meant for shiboken's own developers, is ignored here."""

import os

os.environ.pop("SBK_EMBED", None)
