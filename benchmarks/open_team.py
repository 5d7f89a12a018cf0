"""How long does a user wait for a big real team to open? Figures, not a test: it prints and
never fails.

Whole processes, each started fresh with a fresh HOME (no settings, no parse cache) on a folder
without .agent-canvas.json (so the first open lays the team out), QT_QPA_PLATFORM=offscreen:

  first paint   `python -m app DIR` with AGENT_CANVAS_STARTUP_PROBE=1: from the exec until it
                prints "first paint" (app/ui/app.py FirstPaintProbe: the canvas has painted with
                the team; the schema check and the problems come right after, see
                MainWindow.open_team(check_after_paint=True))
  screenshot    `python -m app DIR --screenshot shot.png`: until the process has written the PNG
                and exited (the team loads checked, problems panel filled)
  peak MB       ru_maxrss of that child (os.wait4); the editor's run goes on after its first
                paint to check the team and fill the problems panel, then quits

beside the same for the peer (benchmarks/peer_canvas.py, a NodeGraphQt-style canvas), in its own
fresh process: the same Team.load (checked) and layered_layout, its scene, a QGraphicsView shown;
"first paint" on its first paint, then the whole window grabbed to a PNG. Ratios are ours/peer,
the runs interleaved (ours, peer, ours, peer…) so a busy moment of the machine touches both.

Teams: benchmarks/generate.py at each size with --one-sided 0.8 --messy (hand-offs mostly
declared on one side, about six problems an agent; subfolders; one file in a hundred broken),
and the real collections of the corpus with 100 agents or more (copied to a temporary folder).

Goals (the issue, this 2-core machine): 1,000 agents to first paint <= 1.0 s and <= 0.25 x the
peer; 10,000 <= 5 s and <= 700 MB peak; the corpus collections to first paint <= 0.8 s.

    python benchmarks/open_team.py [--sizes 200 1000 5000 10000] [--runs 1] [--no-corpus] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
CORPUS = Path("/work/shared/corpus")
GOALS = {1000: (1.0, 0.25, None), 10000: (5.0, None, 700.0)}
CORPUS_GOAL_S = 0.8

PEER = r"""
import sys
from pathlib import Path
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import QApplication, QGraphicsView, QMainWindow

sys.path.insert(0, sys.argv[3])
app = QApplication(sys.argv[:1])
from app.model.layout import layered_layout
from app.model.team import Team
from peer_canvas import build_scene

team = Team.load(Path(sys.argv[1]))
positions = layered_layout(team, {})
scene, nodes, edges = build_scene(team, positions)
window = QMainWindow()
view = QGraphicsView(scene)
view.setRenderHint(QPainter.RenderHint.Antialiasing)
view.setBackgroundBrush(QColor("#1e2027"))
window.setCentralWidget(view)
window.resize(1400, 900)


def shoot():
    print("first paint", flush=True)
    view.fitInView(scene.itemsBoundingRect())
    app.processEvents()
    window.grab().save(sys.argv[2], "PNG")
    app.quit()


class Probe(QObject):
    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            watched.removeEventFilter(self)
            QTimer.singleShot(0, shoot)
        return False


probe = Probe()
view.viewport().installEventFilter(probe)
window.show()
app.exec()
"""


def run_child(args: list[str], env: dict[str, str], wait_for_line: bool, timeout: float = 300) -> dict:
    """Start `args`; seconds until it prints "first paint" (when asked) and until it exits, and
    its peak resident memory."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(args, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                            cwd=ROOT)
    watchdog = threading.Timer(timeout, proc.kill)  # a run that hangs is stopped, not waited for
    watchdog.start()
    out: dict = {}
    if wait_for_line:
        line = proc.stdout.readline()
        out["paint_s"] = time.perf_counter() - t0
        if line != "first paint\n":
            out["error"] = f"printed {line!r}, not 'first paint'"
    proc.stdout.read()
    _pid, status, usage = os.wait4(proc.pid, 0)  # POSIX: the child's own peak, not the parent's
    out["exit_s"] = time.perf_counter() - t0
    watchdog.cancel()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        out.setdefault("error", f"exit status {proc.returncode}")
    peak = usage.ru_maxrss
    out["peak_mb"] = peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024
    return out


def measure(folder: Path, runs: int) -> dict[str, list[dict]]:
    shot = Path(tempfile.mkdtemp(prefix="open-team-shot-"))
    figures: dict[str, list[dict]] = {"ours first paint": [], "ours screenshot": [], "peer": []}
    base = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "QT_QPA_PLATFORM": "offscreen",
            "PYTHONDONTWRITEBYTECODE": ""}
    commands = {
        "ours first paint": ([sys.executable, "-m", "app", str(folder)], {"AGENT_CANVAS_STARTUP_PROBE": "1"}, True),
        "ours screenshot": ([sys.executable, "-m", "app", str(folder), "--screenshot", str(shot / "ours.png")],
                            {}, False),
        "peer": ([sys.executable, "-c", PEER, str(folder), str(shot / "peer.png"), str(HERE)], {}, True),
    }
    for _ in range(runs):
        for name, (args, extra, line) in commands.items():
            (folder / ".agent-canvas.json").unlink(missing_ok=True)  # a first open: laid out afresh
            home = tempfile.mkdtemp(prefix="open-team-home-")
            figures[name].append(run_child(args, {**base, **extra, "HOME": home}, line))
            shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(shot, ignore_errors=True)
    return figures


def median(rows: list[dict], key: str) -> float | None:
    values = [r[key] for r in rows if key in r and "error" not in r]
    return statistics.median(values) if values else None


def report(label: str, figures: dict[str, list[dict]], goal: tuple | None) -> None:
    peer_paint, peer_exit = median(figures["peer"], "paint_s"), median(figures["peer"], "exit_s")
    paint, shot = median(figures["ours first paint"], "paint_s"), median(figures["ours screenshot"], "exit_s")

    def cell(v, unit="s"):
        return f"{v:8.2f} {unit}" if v is not None else "   failed "

    def ratio(a, b):
        return f"{a / b:5.2f}" if a is not None and b else "  -  "

    def peak_of(name):
        return max((r["peak_mb"] for r in figures[name]), default=None)

    peak = max(v for v in (peak_of("ours first paint"), peak_of("ours screenshot")) if v is not None)
    print(f"{label:26s} paint {cell(paint)} (peer {cell(peer_paint)}, x{ratio(paint, peer_paint)})  "
          f"png {cell(shot)} (peer {cell(peer_exit)}, x{ratio(shot, peer_exit)})  "
          f"peak MB: editor {peak_of('ours first paint'):.0f}, screenshot {peak_of('ours screenshot'):.0f} "
          f"(peer {peak_of('peer'):.0f})")
    for name, rows in figures.items():
        for r in rows:
            if "error" in r:
                print(f"    {name}: {r['error']}")
    if goal is None or paint is None:
        return
    limit_s, limit_ratio, limit_mb = goal
    verdicts = [f"paint {paint:.2f} s {'<=' if paint <= limit_s else '>'} {limit_s} s"]
    if limit_ratio is not None and peer_paint:
        verdicts.append(f"x{paint / peer_paint:.2f} {'<=' if paint / peer_paint <= limit_ratio else '>'} "
                        f"{limit_ratio}")
    if limit_mb is not None and peak is not None:
        verdicts.append(f"peak {peak:.0f} MB {'<=' if peak <= limit_mb else '>'} {limit_mb:.0f} MB")
    print(f"    goal: {'; '.join(verdicts)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[200, 1000, 5000, 10000])
    parser.add_argument("--runs", type=int, default=1, help="interleaved runs per team (medians)")
    parser.add_argument("--no-corpus", action="store_true")
    parser.add_argument("--keep", metavar="DIR", help="generate the teams here (kept; reused if present)")
    options = parser.parse_args()
    from generate import generate_team

    work = Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="open-team-"))
    try:
        print(f"first open of a folder, whole process, {options.runs} run(s) each (medians); ours / peer:")
        for n in options.sizes:
            folder = work / f"team-{n}"
            if not folder.exists():
                generate_team(folder, n, one_sided=0.8, messy=True)
            report(f"{n} generated agents", measure(folder, options.runs), GOALS.get(n))
        if not options.no_corpus and CORPUS.is_dir():
            for collection in sorted(p for p in CORPUS.iterdir() if p.is_dir()):
                if sum(1 for _ in collection.rglob("*.md")) < 100:
                    continue
                copy = work / "corpus" / collection.name
                if not copy.exists():
                    shutil.copytree(collection, copy)
                report(collection.name, measure(copy, options.runs), (CORPUS_GOAL_S, None, None))
    finally:
        if not options.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
