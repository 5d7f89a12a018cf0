"""How fast is the canvas with big teams? Figures, not a test: it prints and never fails.

For each size (default 1,000 and 5,000 generated seed-like agents, benchmarks/generate.py), in a
fresh interpreter each, with QT_QPA_PLATFORM=offscreen and the real MainWindow:

  first frame (new)   open_team() on a folder without .agent-canvas.json (load + auto-layout +
                      cards and edges) until the first frame of the canvas is painted
  first frame (saved) the same folder again once its layout is saved (the usual case)
  fit repaint         a full repaint of the canvas zoomed to fit everything (cold = just after
                      the zoom, pixmap caches empty; warm = median of 20)
  1:1 repaint         a full repaint at 100 % zoom (warm median)
  drag                one card dragged with real mouse events, 60 steps; each step is the move
                      plus the repaint it causes (median and 95th percentile), at 100 % and at fit
  rss                 resident memory after opening and dragging

Goals (issue 3, this 2-core machine): 1,000 agents to first frame < 1 s; drag repaint < 16 ms
at 1,000 agents; 1,000 agents < 300 MB resident.

Each figure is printed beside the same figure for a peer: a conventional QGraphicsView node canvas
(benchmarks/peer_canvas.py, NodeGraphQt-style), run on the same team in its own interpreter, with
the ratio ours/peer. At 5,000 agents the peer is abandoned after --peer-timeout seconds.

    QT_QPA_PLATFORM=offscreen python benchmarks/canvas.py [--sizes 1000 5000] [--keep DIR] [--no-peer]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

GOALS = {"first_frame_s": 1.0, "drag_ms": 16.0, "rss_mb": 300.0}


def rss_mb() -> float:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def child(folder: Path) -> dict:
    """Runs in a fresh interpreter: every measurement for one team folder."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    t_start = time.perf_counter()
    from PySide6.QtCore import QEvent, QObject, QPointF, QSettings, Qt
    from PySide6.QtGui import QMouseEvent
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    settings_dir = tempfile.mkdtemp(prefix="canvas-bench-settings-")
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, settings_dir)
    from app.model import operations as ops
    from app.ui.main_window import MainWindow

    class PaintCounter(QObject):
        paints = 0

        def eventFilter(self, obj, event):
            if event.type() == QEvent.Type.Paint:
                PaintCounter.paints += 1
            return False

    window = MainWindow(remember=False, session=False)
    window.ask_before_discarding = False
    window.resize(1400, 900)
    window.show()
    app.processEvents()
    view = window.canvas
    counter = PaintCounter()
    view.viewport().installEventFilter(counter)
    t_ready = time.perf_counter()
    out: dict = {"startup_s": t_ready - t_start,
                 "viewport": [view.viewport().width(), view.viewport().height()]}

    def open_to_first_frame() -> tuple[float, float]:
        """(wall seconds, CPU seconds of this process): other programs on a shared machine
        stretch the first, not the second."""
        PaintCounter.paints = 0
        t0, c0 = time.perf_counter(), time.process_time()
        assert window.open_team(folder)
        view.viewport().repaint()  # the first frame, synchronously
        while PaintCounter.paints == 0:
            app.processEvents()
        return time.perf_counter() - t0, time.process_time() - c0

    # Break the first open down once, by hand, to see where the time goes.
    from app.model.layout import layered_layout
    from app.model.team import Team

    t0 = time.perf_counter()
    team = Team.load(folder)
    out["load_s"] = time.perf_counter() - t0
    t0 = time.perf_counter()
    layered_layout(team, {})
    out["layout_s"] = time.perf_counter() - t0
    del team

    out["first_frame_new_s"], out["first_frame_new_cpu_s"] = open_to_first_frame()
    out["agents"] = len(window.team.names())
    out["edges"] = len(view.canvas_scene.edges)
    # Save the layout, as after any real session (the automatic first layout alone is not a change).
    first = window.team.names()[0]
    x, y = window.team.positions[first]
    window.controller.do(ops.MoveAgents({first: (x, y + 8.0)}))
    assert window.save_all()
    window.team = None  # open the same folder again without a "save changes?" question
    out["first_frame_saved_s"], out["first_frame_saved_cpu_s"] = open_to_first_frame()
    out["rss_open_mb"] = rss_mb()

    def full_repaint_ms(n: int) -> tuple[float, float]:
        t0 = time.perf_counter()
        view.viewport().repaint()
        cold = (time.perf_counter() - t0) * 1000
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            view.viewport().repaint()
            times.append((time.perf_counter() - t0) * 1000)
        return cold, statistics.median(times)

    view.zoom_to_fit()
    out["fit_zoom"] = view.zoom()
    out["fit_repaint_cold_ms"], out["fit_repaint_ms"] = full_repaint_ms(20)
    scene = view.canvas_scene
    # the card with the most relations: the worst case for a drag (all its edges move)
    busiest = max(scene.cards.values(), key=lambda c: len(c.edges))
    out["drag_card_edges"] = len(busiest.edges)

    def drag_ms(steps: int = 60) -> tuple[list[float], list[float]]:
        vp = view.viewport()
        view.centerOn(busiest.center())
        app.processEvents()
        start = QPointF(view.mapFromScene(busiest.center()))
        left = Qt.MouseButton.LeftButton

        def send(kind, pos, button, buttons):
            ev = QMouseEvent(kind, pos, QPointF(vp.mapToGlobal(pos.toPoint())), button, buttons,
                             Qt.KeyboardModifier.NoModifier)
            QApplication.sendEvent(vp, ev)

        send(QEvent.Type.MouseButtonPress, start, left, left)
        app.processEvents()
        times, cpu = [], []
        for i in range(1, steps + 1):
            PaintCounter.paints = 0
            pos = start + QPointF(8.0 * i, 8.0 * (i % 2))  # whole grid steps: every step moves the card
            t0, c0 = time.perf_counter(), time.process_time()
            send(QEvent.Type.MouseMove, pos, Qt.MouseButton.NoButton, left)
            while PaintCounter.paints == 0 and time.perf_counter() - t0 < 1.0:
                app.processEvents()
            times.append((time.perf_counter() - t0) * 1000)
            cpu.append((time.process_time() - c0) * 1000)
        send(QEvent.Type.MouseButtonRelease, start + QPointF(8.0 * steps, 0.0), left,
             Qt.MouseButton.NoButton)
        app.processEvents()
        return times, cpu

    def summary(times: list[float]) -> tuple[float, float]:
        ordered = sorted(times)
        return statistics.median(ordered), ordered[int(len(ordered) * 0.95) - 1]

    times, cpu = drag_ms()
    out["drag_fit_ms"], out["drag_fit_p95_ms"] = summary(times)
    out["drag_fit_cpu_ms"] = statistics.median(cpu)
    view.resetTransform()
    out["one_repaint_cold_ms"], out["one_repaint_ms"] = full_repaint_ms(20)
    times, cpu = drag_ms()
    out["drag_ms"], out["drag_p95_ms"] = summary(times)
    out["drag_cpu_ms"] = statistics.median(cpu)
    out["undo_steps"] = window.undo_stack.count()  # two drags → two MoveAgents
    out["rss_mb"] = rss_mb()
    window.team = None
    window.close()
    shutil.rmtree(settings_dir, ignore_errors=True)
    return out


def _run_child(args: list[str], timeout: float | None) -> dict:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    proc = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, env=env,
                          check=False, timeout=timeout)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("{")]
    if proc.returncode != 0 or not lines:
        raise RuntimeError(f"the benchmark child failed:\n{proc.stderr[-3000:]}")
    return json.loads(lines[-1])


def run_size(n: int, keep: Path | None, peer: bool, peer_timeout: float) -> tuple[dict, dict | None, str]:
    """Ours, then the peer, each in its own interpreter (so neither's memory counts for the
    other). The peer reads the layout ours saved, like ours does on its second open."""
    from generate import generate_team

    base = Path(tempfile.mkdtemp(prefix="canvas-bench-")) if keep is None else keep
    folder = base / f"team-{n}"
    if folder.exists():
        shutil.rmtree(folder)
    generate_team(folder, n)
    try:
        ours = _run_child(["--child", str(folder)], None)
        if not peer:
            return ours, None, "peer not run (--no-peer)"
        w, h = ours["viewport"]
        budget = 8.0 if n <= 1000 else 3.0  # seconds per peer loop
        try:
            theirs = _run_child(["--peer-child", str(folder), "--view", str(w), str(h),
                                 "--budget", str(budget)], peer_timeout)
        except subprocess.TimeoutExpired:
            return ours, None, f"peer skipped: it took over {peer_timeout:.0f} s at {n} agents"
        return ours, theirs, ""
    finally:
        if keep is None:
            shutil.rmtree(base, ignore_errors=True)


def mark(value: float, goal: float | None) -> str:
    if goal is None:
        return ""
    return "ok" if value < goal else "OVER GOAL"


# (label, key, unit, scale, format, goal key or None)
ROWS = (
    ("first frame, new folder", "first_frame_new_s", "s", 1.0, "{:9.3f}", None),
    ("  CPU", "first_frame_new_cpu_s", "s", 1.0, "{:9.3f}", None),
    ("first frame, layout saved", "first_frame_saved_s", "s", 1.0, "{:9.3f}", "first_frame_s"),
    ("  CPU", "first_frame_saved_cpu_s", "s", 1.0, "{:9.3f}", None),
    ("fit-all repaint (warm)", "fit_repaint_ms", "ms", 1.0, "{:9.1f}", None),
    ("fit-all repaint (cold)", "fit_repaint_cold_ms", "ms", 1.0, "{:9.1f}", None),
    ("1:1 repaint (warm)", "one_repaint_ms", "ms", 1.0, "{:9.1f}", None),
    ("drag at 1:1, median step", "drag_ms", "ms", 1.0, "{:9.1f}", None),
    ("drag at 1:1, p95 step", "drag_p95_ms", "ms", 1.0, "{:9.1f}", "drag_ms"),
    ("drag at 1:1, CPU per step", "drag_cpu_ms", "ms", 1.0, "{:9.1f}", None),
    ("drag at fit, median step", "drag_fit_ms", "ms", 1.0, "{:9.1f}", None),
    ("drag at fit, p95 step", "drag_fit_p95_ms", "ms", 1.0, "{:9.1f}", None),
    ("resident memory, after open", "rss_open_mb", "MB", 1.0, "{:9.0f}", None),
    ("resident memory, end", "rss_mb", "MB", 1.0, "{:9.0f}", "rss_mb"),
)


def print_table(n: int, ours: dict, peer: dict | None, note: str) -> None:
    print(f"\n{ours['agents']} agents, {ours['edges']} relations drawn (peer: "
          + (f"{peer['agents']} agents, {peer['edges']} relations" if peer else note) + ")")
    print(f"  ours: Team.load {ours['load_s']:.3f} s, layered_layout {ours['layout_s']:.3f} s; "
          f"view {ours['viewport'][0]}x{ours['viewport'][1]}; fit zoom {ours['fit_zoom'] * 100:.1f} %"
          + (f" (peer {peer['fit_zoom'] * 100:.1f} %)" if peer else ""))
    print(f"  dragged card has {ours['drag_card_edges']} relations"
          + (f" (peer {peer['drag_card_edges']})" if peer else "")
          + f"; undo steps for two drags {ours['undo_steps']}")
    print(f"\n  {'figure':30} {'ours':>9} {'peer':>9} {'':3} {'ours/peer':>9}  goal")
    for label, key, unit, scale, fmt, goal_key in ROWS:
        goal = GOALS[goal_key] if goal_key and n == 1000 else None
        value = ours[key] * scale
        other = fmt.format(peer[key] * scale) if peer else f"{'—':>9}"
        ratio = f"{value / (peer[key] * scale):9.2f}" if peer and peer[key] else f"{'—':>9}"
        goal_text = f"< {goal:g} {unit}: ours {mark(value, goal)}" if goal is not None else ""
        if goal is not None and peer:
            goal_text += f", peer {mark(peer[key] * scale, goal)}"
        print(f"  {label:30} {fmt.format(value)} {other} {unit:3} {ratio}  {goal_text}".rstrip())
    if peer:
        cut = [f"{k[:-8]} {peer[k]}" for k in ("fit_repaint_samples", "drag_fit_samples", "drag_samples")
               if k in peer and peer[k] < (20 if k == "fit_repaint_samples" else 60)]
        if cut:
            print("  peer loops stopped at their time budget, samples: " + ", ".join(cut))
        if not peer.get("peer_used_saved_layout"):
            print("  note: the peer found no saved layout and laid the team out again for 'layout saved'")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--keep", type=Path, help="generate the teams here and keep them")
    parser.add_argument("--no-peer", action="store_true", help="measure our canvas only")
    parser.add_argument("--peer-timeout", type=float, default=60.0,
                        help="seconds before the peer run is abandoned (default 60)")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--peer-child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--view", type=int, nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--budget", type=float, default=20.0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child)))
        return 0
    if args.peer_child:
        from peer_canvas import child as peer_child

        print(json.dumps(peer_child(args.peer_child, tuple(args.view), rss_mb, args.budget)))
        return 0
    print(f"canvas benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
          f"QT_QPA_PLATFORM={os.environ.get('QT_QPA_PLATFORM', 'offscreen')}")
    print("peer: a conventional QGraphicsView node canvas (benchmarks/peer_canvas.py), same team, "
          "same view size, same operations, own process")
    for n in args.sizes:
        ours, peer, note = run_size(n, args.keep, not args.no_peer, args.peer_timeout)
        print_table(n, ours, peer, note)
    return 0


if __name__ == "__main__":
    sys.exit(main())
