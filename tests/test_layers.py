"""app/io, app/model, app/cli.py and app/report_formats.py never import Qt: the CLI must run where Qt cannot. Nor does the
property panel's presenter (app/ui/panels/presenter.py): its rules are tested without Qt."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "app"
QT = ("PySide6", "PyQt5", "PyQt6", "shiboken6", "app.ui")
NO_QT_UI = [ROOT / "ui" / "panels" / "presenter.py", ROOT / "ui" / "journal.py"]  # Qt-free modules of the GUI


def _modules() -> list[Path]:
    return sorted([*(ROOT / "io").rglob("*.py"), *(ROOT / "model").rglob("*.py"), ROOT / "cli.py",
                   *(ROOT / "commands").rglob("*.py"),
                   *NO_QT_UI, ROOT / "report_formats.py"])


def _imports(path: Path) -> list[str]:
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_layers_import_no_qt():
    modules = _modules()
    assert len(modules) >= 5 and all(p.is_file() for p in NO_QT_UI)  # the check is not vacuous
    offenders = [f"{p.relative_to(ROOT.parent)} imports {name}" for p in modules for name in _imports(p)
                 if name.split(".")[0] in QT or name.startswith("app.ui")]
    assert offenders == []


def test_the_check_sees_qt_imports(tmp_path):
    sample = tmp_path / "m.py"
    sample.write_text("def f():\n    from PySide6.QtCore import QObject\n")
    assert _imports(sample) == ["PySide6.QtCore"]
