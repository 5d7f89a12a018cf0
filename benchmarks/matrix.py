"""Does the relation matrix of a big team scroll without dropped frames? Figures, not a test: it
prints and never fails.

A generated team (default 1,000 seed-like agents, benchmarks/generate.py with --one-sided 0.8
--messy: hand-offs mostly declared on one side, subfolders), offscreen, a 1024x700 window. Timed
in the same run:

  build        ours: the MatrixView for the open team (RelationMatrix, table model, headers)
               until its first paint; peer: a plain QTableWidget of the same size with every
               non-empty cell's words as an item (the usual way to show such a table)
  scroll step  one step down (three rows) or right (three columns) and the synchronous repaint
               of the viewport it causes, median and worst of 120 steps

Goal (the issue): < 16 ms a scroll step at 1,000 agents (one frame at 60 Hz).

    QT_QPA_PLATFORM=offscreen python benchmarks/matrix.py [--size 1000] [--steps 120]
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


def scroll_steps(table, steps: int, app) -> list[float]:
    """ms per step: half the steps down, half to the right, each repainted at once."""
    bars = (table.verticalScrollBar(), table.horizontalScrollBar())
    out = []
    painted = Counter(table.viewport())
    for i in range(steps):
        bar = bars[i % 2]
        t = time.perf_counter()
        bar.setValue(bar.value() + 3 * 22)  # three rows (or about two columns) a wheel notch
        table.viewport().repaint()
        out.append((time.perf_counter() - t) * 1000)
    app.processEvents()
    assert painted.paints >= steps, f"only {painted.paints} paints for {steps} steps: nothing was timed"
    return out


class Counter:
    """Counts the paints a widget gets (so a step that paints nothing is not taken as fast)."""

    def __init__(self, widget) -> None:
        from PySide6.QtCore import QEvent, QObject

        outer = self

        class Filter(QObject):
            def eventFilter(self, _watched, event) -> bool:
                if event.type() == QEvent.Type.Paint:
                    outer.paints += 1
                return False

        self.paints = 0
        self._filter = Filter()
        widget.installEventFilter(self._filter)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1000)
    ap.add_argument("--steps", type=int, default=120)
    args = ap.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import generate
    from PySide6.QtWidgets import QApplication, QMainWindow, QTableWidget, QTableWidgetItem

    app = QApplication([])
    from app.model.relation_matrix import RelationMatrix, describe_cell
    from app.model.team import Team
    from app.ui.controller import Controller
    from app.ui.matrix.view import MatrixView

    with tempfile.TemporaryDirectory() as tmp:
        generate.generate_team(tmp, args.size, body_lines=20, one_sided=0.8, messy=True)
        team = Team.load(Path(tmp))
        relations = team.relations()
        one_sided = sum(r.one_sided for r in relations)
        print(f"{len(team.names())} agents, {len(relations)} relations ({one_sided} one-sided); window 1024x700")

        controller = Controller()
        controller.set_team(team, place=False)
        window = QMainWindow()
        window.resize(1024, 700)
        t = time.perf_counter()
        view = MatrixView(controller)
        window.setCentralWidget(view)
        window.show()
        app.processEvents()  # laid out: the viewport has its size
        view.table.viewport().repaint()
        ours_build = time.perf_counter() - t
        ours = scroll_steps(view.table, args.steps, app)

        peer_window = QMainWindow()
        peer_window.resize(1024, 700)
        t = time.perf_counter()
        matrix = RelationMatrix.of_team(team)
        names = matrix.names
        peer = QTableWidget(len(names), len(names))
        peer.setHorizontalHeaderLabels(names)
        peer.setVerticalHeaderLabels(names)
        for r in relations:
            for a, b in ((r.source, r.target), (r.target, r.source)):
                i, j = matrix.index(a), matrix.index(b)
                if i is not None and j is not None and peer.item(i, j) is None:
                    peer.setItem(i, j, QTableWidgetItem(describe_cell(matrix.marks(a, b), a, b)))
        peer.horizontalHeader().setDefaultSectionSize(30)
        peer.verticalHeader().setDefaultSectionSize(22)
        peer_window.setCentralWidget(peer)
        peer_window.show()
        app.processEvents()
        peer.viewport().repaint()
        peer_build = time.perf_counter() - t
        theirs = scroll_steps(peer, args.steps, app)

    def row(label: str, values: list[float]) -> str:
        return f"  {label:<28} median {statistics.median(values):6.2f} ms   worst {max(values):6.2f} ms"

    print(f"build until first paint: ours {ours_build * 1000:.0f} ms, peer QTableWidget {peer_build * 1000:.0f} ms "
          f"(ours/peer {ours_build / peer_build:.2f})")
    print("scroll step (3 rows down / right, repainted):")
    print(row("ours (MatrixView)", ours))
    print(row("peer (QTableWidget, words)", theirs))
    ratio = statistics.median(ours) / statistics.median(theirs)
    verdict = "met" if max(ours) < 16 else "NOT met"
    print(f"  ours/peer median {ratio:.2f}; goal < 16 ms a step: {verdict} (worst {max(ours):.2f} ms)")


if __name__ == "__main__":
    main()
