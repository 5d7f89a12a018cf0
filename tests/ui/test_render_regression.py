"""PySide6 6.12.0 on CPython 3.11 drops a reference to None on every Python paint(), and the
process aborts (none_dealloc) after a few thousand paints. This drives 10,000 repaints of a
200-agent canvas, each one running at least one card's Python paint(), and checks that the
process lives and that the reference count of None does not drift."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from app.ui.canvas import scene as scene_module
from app.ui.canvas.card import CardItem
from app.ui.main_window import MainWindow

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "benchmarks"))
from generate import generate_team

REPAINTS = 10_000
TOLERANCE = 200  # a few transient references; the bug loses one per paint (10,000+)


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))


class CountingCard(CardItem):
    """A card that counts its Python paint() calls (the scene builds these in this test)."""

    paints = 0

    def paint(self, painter, option, widget=None):
        CountingCard.paints += 1
        super().paint(painter, option, widget)


def test_ten_thousand_repaints_do_not_leak_none(qtbot, tmp_path, monkeypatch):
    generate_team(tmp_path / "team", 200, body_lines=5)
    monkeypatch.setattr(scene_module, "CardItem", CountingCard)
    window = MainWindow(session=False)
    window.ask_before_discarding = False
    qtbot.addWidget(window)
    window.resize(1000, 700)
    window.show()
    qtbot.waitExposed(window)
    assert window.open_team(tmp_path / "team")
    view = window.canvas
    view.resetTransform()  # 1:1: full detail, text and badges, the costliest paint
    cards = list(view.canvas_scene.cards.values())
    assert len(cards) == 200
    assert all(isinstance(c, CountingCard) for c in cards)
    view.centerOn(cards[0].center())
    QApplication.processEvents()
    visible = [c for c in cards
               if view.mapToScene(view.viewport().rect()).boundingRect().intersects(c.sceneBoundingRect())]
    assert visible

    viewport = view.viewport()
    for _ in range(50):  # warm up caches before taking the baseline
        viewport.repaint()
    baseline = sys.getrefcount(None)
    CountingCard.paints = 0
    for i in range(REPAINTS):
        card = visible[i % len(visible)]
        card.update()  # invalidates its pixmap cache: the next repaint calls paint() in Python
        viewport.repaint(view.mapFromScene(card.sceneBoundingRect()).boundingRect())
    drift = sys.getrefcount(None) - baseline
    assert CountingCard.paints >= REPAINTS
    assert abs(drift) < TOLERANCE, f"None's refcount drifted by {drift} over {CountingCard.paints} paints"
