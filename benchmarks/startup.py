"""How long until the editor's window shows the sample team? Figures, not a test: it prints and
never fails.

Each run starts a fresh process and times, from the exec until a line arrives on its standard
output, how long the window takes to paint for the first time:

  ours (frozen)   the PyInstaller bundle (packaging/out/dist/agent-canvas, from `make package`)
                  on its bundled sample team, AGENT_CANVAS_STARTUP_PROBE=1 (app/ui/app.py: the
                  ordinary start-up path prints "first paint" once the canvas has painted with
                  the team, then quits). Skipped when there is no bundle.
  ours (python)   the same from the checkout: `python -m app agents`
  peer            a bare PySide6 window in the same interpreter: QApplication, a QMainWindow
                  with a QGraphicsView of 12 labelled boxes, shown; it prints on its first paint.
                  The floor any PySide6 editor pays (importing Qt, the platform plugin, fonts);
                  ours/peer says what the editor adds on top.

The runs are interleaved (ours, peer, ours, peer…) so that a busy moment of the machine touches
both; best, median and mean of --runs after 2 warm-up rounds, with ratios ours/peer.
The goal (issue 4): the frozen binary shows its window with the sample team in < 0.6 s warm.

    QT_QPA_PLATFORM=offscreen python benchmarks/startup.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "packaging" / "out" / "dist" / "agent-canvas"

PEER = r"""
import sys
from PySide6.QtCore import QEvent, QObject, QRectF, Qt, QTimer
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QGraphicsScene, QGraphicsView, QMainWindow

app = QApplication(sys.argv[:1])
window = QMainWindow()
scene = QGraphicsScene()
for i in range(12):
    box = scene.addRect(QRectF((i % 4) * 280, (i // 4) * 140, 240, 84), QColor("#8a8a96"),
                        QColor("#f4f4f6"))
    text = scene.addText(f"agent-{i}", QFont())
    text.setPos((i % 4) * 280 + 18, (i // 4) * 140 + 9)
view = QGraphicsView(scene)
window.setCentralWidget(view)
window.resize(1400, 900)


class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, lambda: (print("first paint", flush=True), app.quit()))
        return False


probe = Probe()
view.viewport().installEventFilter(probe)
window.show()
app.exec()
"""


def first_paint(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    watchdog = threading.Timer(60, proc.kill)  # a run that never prints is stopped, not waited for
    watchdog.start()
    line = proc.stdout.readline()
    elapsed = time.perf_counter() - t0
    proc.stdout.read()
    watchdog.cancel()
    proc.wait()
    if line != "first paint\n":
        raise SystemExit(f"startup.py: {args[0]} printed {line!r} (exit {proc.returncode}), not 'first paint'")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()

    home = tempfile.mkdtemp(prefix="agent-canvas-startup-")
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": home, "QT_QPA_PLATFORM": "offscreen",
           "AGENT_CANVAS_STARTUP_PROBE": "1", "PYTHONDONTWRITEBYTECODE": ""}
    candidates = {
        "ours (frozen)": [str(BUNDLE / "agent-canvas"), str(BUNDLE / "_internal" / "agents")],
        "ours (python)": [sys.executable, "-m", "app", str(ROOT / "agents")],
        "peer": [sys.executable, "-c", PEER],
    }
    if not (BUNDLE / "agent-canvas").exists():
        print("startup.py: no bundle at packaging/out/dist (run `make package`): frozen figures skipped")
        del candidates["ours (frozen)"]
    times: dict[str, list[float]] = {name: [] for name in candidates}
    old = Path.cwd()
    os.chdir(ROOT)  # `python -m app` takes the checkout's package
    try:
        for round_ in range(options.runs + 2):
            for name, args in candidates.items():
                t = first_paint(args, env)
                if round_ >= 2:
                    times[name].append(t)
    finally:
        os.chdir(old)

    print(f"start to first paint of the window, {options.runs} runs each (after 2 warm-up rounds):")
    for name, values in times.items():
        print(f"  {name:14s} best {min(values):.3f} s  median {statistics.median(values):.3f} s  "
              f"mean {statistics.mean(values):.3f} s")
    peer = times["peer"]
    for name in (n for n in times if n != "peer"):
        ratios = [a / b for a, b in zip(times[name], peer)]
        print(f"  {name} / peer: median of paired ratios {statistics.median(ratios):.2f}, "
              f"ratio of means {statistics.mean(times[name]) / statistics.mean(peer):.2f}")
    if "ours (frozen)" in times:
        mean = statistics.mean(times["ours (frozen)"])
        print(f"  goal: frozen mean {mean:.3f} s {'<' if mean < 0.6 else '>='} 0.6 s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
