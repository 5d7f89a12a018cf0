"""The problems panel's order and severity filter, read from its model's rows.

The panel sorts and filters in its own model (no proxy) so that 60,000 problems sort in a few
milliseconds; these tests pin what the user sees: the first order is the one the proxy showed
before (severity first: errors, warnings, info; then the message); a click on a column sorts
by severity, then that column's text, both ways, ties in the team's order (the proxy left ties
in the order of the sort before, so the same click could give different orders); a severity
filter shows exactly the problems of the checked severities. The oracle is a
plain Python sort of keys written out here from the problems' fields."""

from __future__ import annotations

import random

import pytest
from PySide6.QtCore import Qt

from app.model.validation import Problem
from app.ui.controller import Controller
from app.ui.panels.problems import ProblemsPanel

ORDER = ("error", "warning", "info")
ASC, DESC = Qt.SortOrder.AscendingOrder, Qt.SortOrder.DescendingOrder


def shown_text(p: Problem, column: int) -> str:
    """What the column shows, spelled out independently of the panel."""
    if column == 0:
        return p.message
    if column == 1:
        return p.agent or ""
    if not p.file:
        return ""
    return f"{p.file}:{p.line}" if p.line else p.file


def expected(problems, column: int, order, severities=ORDER) -> list[Problem]:
    kept = [p for p in problems if p.severity in severities]
    return sorted(kept, key=lambda p: (ORDER.index(p.severity), shown_text(p, column)),
                  reverse=order == DESC)


def many_problems(n: int = 400, seed: int = 3) -> list[Problem]:
    """Few distinct messages, agents and files, so that many problems tie on a column (the
    order of ties is what a careless sort gets wrong); some without an agent, file or line."""
    rng = random.Random(seed)
    out = []
    for i in range(n):
        file = rng.choice([None, "a.md", "a.md-b.md", "sub/c.md", "b.md"])
        out.append(Problem(
            code=f"code-{i}", severity=rng.choice(ORDER), file=file,
            line=rng.choice([None, 2, 9, 10, 31]) if file else None,
            agent=rng.choice([None, "alpha", "beta", "Gamma", "beta-2"]),
            message=rng.choice(["alpha hands off to beta", "Beta lacks a description", "an unknown model",
                                "alpha hands off to beta, beta does not list alpha"])))
    return out


class FakeTeam:
    def __init__(self, problems):
        self.problems = problems


@pytest.fixture
def panel(qtbot):
    controller = Controller()
    panel = ProblemsPanel(controller)
    qtbot.addWidget(panel)
    problems = many_problems()
    controller.team = FakeTeam(problems)
    panel.refresh()
    return panel, problems


def test_the_first_order_is_severity_then_message(panel):
    panel, problems = panel
    assert panel.visible_problems() == expected(problems, 0, ASC)


@pytest.mark.parametrize("column", [0, 1, 2])
@pytest.mark.parametrize("order", [ASC, DESC])
def test_sorting_by_a_column_is_a_plain_sort_of_its_keys(panel, column, order):
    panel, problems = panel
    panel.view.sortByColumn(column, order)
    assert panel.visible_problems() == expected(problems, column, order)
    panel.view.sortByColumn(0, ASC)  # and back: the same as the first order
    assert panel.visible_problems() == expected(problems, 0, ASC)


@pytest.mark.parametrize("severities", [("error",), ("warning",), ("info",), ("error", "info"), ORDER, ()])
def test_the_severity_filter_shows_exactly_those_problems(panel, severities):
    panel, problems = panel
    panel.view.sortByColumn(2, DESC)
    for sev, button in panel.filters.items():
        button.setChecked(sev in severities)
    assert panel.visible_problems() == expected(problems, 2, DESC, severities)
    panel.view.sortByColumn(1, ASC)  # sorting while filtered keeps the filter
    assert panel.visible_problems() == expected(problems, 1, ASC, severities)


def test_new_problems_keep_the_order_and_the_filter(panel):
    panel, problems = panel
    panel.view.sortByColumn(1, DESC)
    panel.filters["info"].setChecked(False)
    fewer = problems[::2]
    panel.controller.team = FakeTeam(fewer)
    panel.refresh()
    assert panel.visible_problems() == expected(fewer, 1, DESC, ("error", "warning"))
    assert panel.filters["warning"].text() == f"Warnings {sum(p.severity == 'warning' for p in fewer)}"


def test_the_current_problem_stays_current_through_sorts_and_filters(panel):
    panel, problems = panel
    target = next(p for p in expected(problems, 0, ASC)[50:] if p.severity == "warning")
    row = panel.visible_problems().index(target)
    panel.view.setCurrentIndex(panel.model.index(row, 0))
    assert panel.current_problem() is target
    panel.view.sortByColumn(2, DESC)
    assert panel.current_problem() is target
    assert panel.visible_problems().index(target) == panel.view.currentIndex().row()
    panel.filters["error"].setChecked(False)
    assert panel.current_problem() is target
    panel.filters["warning"].setChecked(False)  # its own severity hidden: nothing is current
    assert panel.current_problem() is None
