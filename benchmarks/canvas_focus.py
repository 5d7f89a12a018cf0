"""How fast does the canvas follow a new selection? Figures, not a test: it prints, never fails.

A generated team (default 1,000 seed-like agents, benchmarks/generate.py), the real MainWindow
offscreen, zoomed to fit and at 1:1 on a selected card. Timed, each over 40 different agents:

  select + repaint    controller.select([name]) (the focus: dims the non-neighbours, lights the
                      relations) and the synchronous repaint of the canvas it causes
  peer: refocus all   the same with every card's opacity and every relation's state set again
                      (apply_focus(full=True)), the way a change of team refreshes it
  floor: repaint      a repaint of the same view with nothing changed

Goal: < 16 ms at 1,000 agents (one frame at 60 Hz).

    QT_QPA_PLATFORM=offscreen python benchmarks/canvas_focus.py [--size 1000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1000)
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import generate
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    settings_dir = tempfile.mkdtemp(prefix="canvas-focus-settings-")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, settings_dir)
    from app.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        generate.generate_team(tmp, args.size, body_lines=20)
        window = MainWindow(remember=False, session=False)
        window.ask_before_discarding = False
        window.resize(1400, 900)
        window.show()
        app.processEvents()
        assert window.open_team(Path(tmp))
        app.processEvents()
        view, scene, controller = window.canvas, window.canvas.canvas_scene, window.controller
        names = sorted(scene.cards)[:: max(1, len(scene.cards) // 40)][:40]
        print(f"{len(scene.cards)} agents, {len(scene.edges)} relations; viewport "
              f"{view.viewport().width()}x{view.viewport().height()}")

        def timed(step) -> list[float]:
            out = []
            for name in names:
                t = time.perf_counter()
                step(name)
                view.viewport().repaint()
                out.append((time.perf_counter() - t) * 1000)
            return out

        def full(name: str) -> None:
            controller.select([name])
            scene.apply_focus(full=True)

        for label, zoom in (("fit", view.zoom_to_fit), ("1:1", None)):
            if zoom is not None:
                zoom()
            else:
                view.resetTransform()
                view.centerOn(scene.cards[names[0]])
            app.processEvents()
            controller.select([])
            view.viewport().repaint()
            ours = timed(lambda n: controller.select([n]))
            peer = timed(full)
            floor = timed(lambda n: None)
            med = statistics.median
            p95 = sorted(ours)[int(len(ours) * 0.95) - 1]
            print(f"  {label:>3}: select + repaint median {med(ours):6.1f} ms, p95 {p95:6.1f} ms "
                  f"(goal < 16 ms: {'met' if p95 < 16 else 'MISSED'}); refocus all {med(peer):6.1f} ms "
                  f"(ratio {med(ours) / med(peer):.2f}); plain repaint {med(floor):6.1f} ms")
        window.close()


if __name__ == "__main__":
    main()
