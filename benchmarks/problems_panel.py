"""How fast does the problems panel sort and filter a big team's problems? Figures, not a test.

A generated seed-like team (benchmarks/generate.py, hand-offs mostly declared on one side:
11,000 agents give about 64,000 problems) is loaded and checked once; then, with
QT_QPA_PLATFORM=offscreen and a shown QTreeView configured as the panel's, each step is timed
until the view has laid itself out again and repainted (what a user waits for):

  ours            app/ui/panels/problems.py's panel: its model filters and sorts its own Python
                  list with plain keys; fill, the first sort by each column both ways, a sort
                  back to an order seen before (kept), filter to each severity and back
  before          the panel as it was: a QSortFilterProxyModel with a Python lessThan (one sort)
  role keys       a QSortFilterProxyModel sorting in C++ on plain keys given through a sort
                  role (one sort): every comparison still calls the Python model's data()
  filter (Python) the proxy's filterAcceptsRow reading a Python list (one filter change)
  filter (role)   setFilterRole + setFilterRegularExpression on the severity (one filter change)
  peer            the conventional all-C++ table: a QStandardItemModel behind a
                  QSortFilterProxyModel (fill, sorts, filters), the floor Qt itself sets

Goal (the issue): with 60,000+ problems, sorting by any column and filtering by severity < 100 ms.

    QT_QPA_PLATFORM=offscreen python benchmarks/problems_panel.py [--agents 10000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

GOAL_MS = 100.0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=11000)
    parser.add_argument("--keep", metavar="DIR", help="generate the team here (kept; reused if present)")
    options = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from generate import generate_team
    from PySide6.QtCore import QRegularExpression, QSortFilterProxyModel, Qt
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QHeaderView, QTableView

    from app.model.team import Team
    from app.ui.controller import Controller
    from app.ui.panels.problems import ProblemsModel, ProblemsPanel
    from app.ui.panels.severity import SEVERITIES

    app = QApplication.instance() or QApplication([])
    folder = Path(options.keep) if options.keep else Path(tempfile.mkdtemp(prefix="problems-bench-"))
    if not any(folder.glob("*.md")):
        generate_team(folder, options.agents, one_sided=0.8)
    problems = list(Team.load(folder).problems)
    if not options.keep:
        shutil.rmtree(folder, ignore_errors=True)
    print(f"{options.agents} agents, {len(problems)} problems "
          f"({', '.join(f'{sum(p.severity == s for p in problems)} {s}' for s in SEVERITIES)})")

    def sort_key(problem, column: int) -> tuple[int, str]:  # the panel's order, as before
        rank = SEVERITIES.index(problem.severity) if problem.severity in SEVERITIES else 9
        return rank, ProblemsModel.texts(problem)[column]

    def view_for(model) -> QTableView:  # a table of fixed-height rows, as the panel's
        view = QTableView()
        view.verticalHeader().hide()
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.setAlternatingRowColors(True)
        view.setModel(model)
        view.resize(1200, 300)
        view.show()
        app.processEvents()
        return view

    def timed(view: QTableView, step) -> float:
        t0 = time.perf_counter()
        step()
        app.processEvents()  # the view lays itself out again
        view.viewport().repaint()
        return (time.perf_counter() - t0) * 1000

    results: dict[str, dict[str, float]] = {}

    # -- ours --------------------------------------------------------------------------------------
    panel = ProblemsPanel(Controller())
    panel.resize(1200, 300)
    panel.show()
    app.processEvents()
    model, view = panel.model, panel.view
    ours = results["ours"] = {"fill": timed(view, lambda: model.set_problems(problems))}
    asc, desc = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder
    for column, name in enumerate(ProblemsModel.COLUMNS):
        for order, word in ((desc, "desc"), (asc, "asc")):
            ours[f"sort {name} {word}"] = timed(view, lambda c=column, o=order: model.sort(c, o))
    ours["sort Problem asc again"] = timed(view, lambda: model.sort(0, asc))  # kept from before
    for sev in SEVERITIES:
        ours[f"filter {sev} only"] = timed(view, lambda s=sev: model.set_shown([s]))
    ours["filter all again"] = timed(view, lambda: model.set_shown(SEVERITIES))
    panel.close()

    # -- the proxy ways ------------------------------------------------------------------------------
    class OldModel(ProblemsModel):  # the source model as it was: the team's list, unsorted
        def data(self, index, role=Qt.ItemDataRole.DisplayRole):
            if role == Qt.ItemDataRole.UserRole + 1:
                return sort_key(self.rows[index.row()], index.column())
            if role == Qt.ItemDataRole.UserRole + 2:  # a plain key Qt compares in C++
                key = sort_key(self.rows[index.row()], index.column())
                return f"{key[0]}\t{key[1]}"
            if role == Qt.ItemDataRole.UserRole + 3:
                return self.rows[index.row()].severity
            return super().data(index, role)

        def sort(self, column, order=Qt.SortOrder.AscendingOrder):
            pass  # the proxy sorts

    class LessThan(QSortFilterProxyModel):
        shown = frozenset(SEVERITIES)

        def lessThan(self, left, right) -> bool:
            return left.data(Qt.ItemDataRole.UserRole + 1) < right.data(Qt.ItemDataRole.UserRole + 1)

    class PythonFilter(QSortFilterProxyModel):
        shown = frozenset(SEVERITIES)

        def filterAcceptsRow(self, row, parent) -> bool:
            return source.rows[row].severity in self.shown

    source = OldModel()
    source.set_problems(problems)
    source.rows = list(problems)
    for name, proxy_type, role in (("before (Python lessThan)", LessThan, Qt.ItemDataRole.UserRole + 1),
                                   ("role keys (C++ sort)", QSortFilterProxyModel, Qt.ItemDataRole.UserRole + 2)):
        proxy = proxy_type()
        proxy.setSortRole(role)
        proxy.setSourceModel(source)
        view = view_for(proxy)
        results[name] = {"sort Problem desc": timed(view, lambda p=proxy: p.sort(0, desc))}
        view.close()
    proxy = PythonFilter()
    proxy.setSourceModel(source)
    view = view_for(proxy)

    def python_filter():
        proxy.shown = frozenset({"warning"})
        proxy.invalidate()

    results["filter (Python filterAcceptsRow)"] = {"filter warning only": timed(view, python_filter)}
    view.close()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(source)
    proxy.setFilterRole(Qt.ItemDataRole.UserRole + 3)
    view = view_for(proxy)
    results["filter (role + regular expression)"] = {"filter warning only": timed(
        view, lambda: proxy.setFilterRegularExpression(QRegularExpression("^warning$")))}
    view.close()

    # -- the peer: everything in C++ ----------------------------------------------------------------
    standard = QStandardItemModel()
    proxy = QSortFilterProxyModel()
    proxy.setSortRole(Qt.ItemDataRole.UserRole + 1)
    proxy.setFilterRole(Qt.ItemDataRole.UserRole + 3)
    proxy.setSourceModel(standard)
    view = view_for(proxy)

    def fill():
        for p in problems:
            row = []
            for column, text in enumerate(ProblemsModel.texts(p)):
                item = QStandardItem(text)
                key = sort_key(p, column)
                item.setData(f"{key[0]}\t{key[1]}", Qt.ItemDataRole.UserRole + 1)
                item.setData(p.severity, Qt.ItemDataRole.UserRole + 3)
                row.append(item)
            standard.appendRow(row)

    peer = results["peer"] = {"fill": timed(view, fill)}
    for column, name in enumerate(ProblemsModel.COLUMNS):
        for order, word in ((desc, "desc"), (asc, "asc")):
            peer[f"sort {name} {word}"] = timed(view, lambda c=column, o=order: proxy.sort(c, o))
    for sev in SEVERITIES:
        peer[f"filter {sev} only"] = timed(
            view, lambda s=sev: proxy.setFilterRegularExpression(QRegularExpression(f"^{s}$")))
    peer["filter all again"] = timed(view, lambda: proxy.setFilterRegularExpression(QRegularExpression("")))
    view.close()

    print(f"\n{'step':28s} {'ours ms':>9s} {'peer ms':>9s} {'ours/peer':>9s}")
    for step, ms in ours.items():
        other = peer.get(step)
        print(f"{step:28s} {ms:9.1f} {other:9.1f} {ms / other:9.2f}" if other else f"{step:28s} {ms:9.1f}")
    print("\nthe other ways, one step each:")
    for name, figures in results.items():
        if name in ("ours", "peer"):
            continue
        for step, ms in figures.items():
            print(f"  {name:36s} {step:22s} {ms:9.1f} ms")
    worst = max(ms for step, ms in ours.items() if step.startswith(("sort", "filter")))
    print(f"\ngoal: slowest sort or filter of ours {worst:.1f} ms {'<' if worst < GOAL_MS else '>='} "
          f"{GOAL_MS:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
