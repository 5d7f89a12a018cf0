"""Focus on the selection, one attachment point per relation, one name size per zoom: asserted on
the scene's geometry and state (opacities, arrow-head corners, font sizes)."""

from __future__ import annotations

import math

from PySide6.QtWidgets import QApplication
from test_canvas import isolated_settings, window, write_team  # noqa: F401 - fixtures

from app.ui.canvas.card import CARD_H, name_lines, overview_name_px
from app.ui.canvas.focus import focus_of
from app.ui.canvas.scene import DIM

CHAIN = {
    "lead": {"to": ["a", "b"]},
    "a": {"to": ["c"], "par": ["b"]},
    "b": {"to": ["c"], "par": ["a"]},
    "c": {"to": ["d"]},
    "d": {},
    "far": {"to": ["farther"]},
    "farther": {},
}


def _open(window, tmp_path, spec):  # noqa: F811 - the fixture
    assert window.open_team(write_team(tmp_path / "t", spec))
    QApplication.processEvents()
    return window.canvas.canvas_scene


def test_selection_dims_exactly_the_agents_that_are_not_neighbours_and_stays(window, tmp_path):  # noqa: F811
    scene = _open(window, tmp_path, CHAIN)
    window.controller.select(["a"])
    full = {n for n, c in scene.cards.items() if c.opacity() == 1.0}
    assert full == {"a", "lead", "b", "c"}  # a, who hands to it, its parallel partner, its target
    assert all(c.opacity() == DIM for n, c in scene.cards.items() if n not in full)
    scene.hover_card(scene.cards["far"])  # hovering elsewhere does not undo a selection
    scene.hover_card(None)
    assert {n for n, c in scene.cards.items() if c.opacity() == 1.0} == full
    assert {e.key for e in scene.overlay.edges} == {e.key for e in scene.cards["a"].edges}
    window.controller.select([])
    assert all(c.opacity() == 1.0 for c in scene.cards.values())
    assert not scene.overlay.edges


def test_two_selected_agents_light_the_hand_off_paths_between_them(window, tmp_path):  # noqa: F811
    scene = _open(window, tmp_path, CHAIN)
    window.controller.select(["lead", "d"])
    on_path = {e.key for e in scene.edges.values() if e.on_path}
    assert on_path == {("handoff", "lead", "a"), ("handoff", "lead", "b"), ("handoff", "a", "c"),
                       ("handoff", "b", "c"), ("handoff", "c", "d")}
    assert {n for n, c in scene.cards.items() if c.opacity() == 1.0} == {"lead", "a", "b", "c", "d"}
    window.controller.select(["lead"])
    assert not any(e.on_path for e in scene.edges.values())


def test_focus_of_plain_relations():
    rels = [("handoff", "x", "y"), ("handoff", "y", "z"), ("handoff", "z", "x"), ("parallel", "p", "x")]
    f = focus_of(["x", "z"], rels)
    assert f.agents == {"x", "y", "z", "p"}
    # z ⇝ x directly, and x → y → z: the loop is on a path both ways
    assert f.path == {("handoff", "x", "y"), ("handoff", "y", "z"), ("handoff", "z", "x")}
    assert focus_of(["y", "p"], rels).path == frozenset()  # parallel links are not hand-off paths


def test_arrow_heads_on_one_card_never_stack(window, tmp_path):  # noqa: F811
    senders = [f"s{i}" for i in range(6)]
    spec = {s: {"to": ["hub"]} for s in senders}
    spec["hub"] = {"to": ["s0", "s1"]}  # and two back: A→B and B→A side by side
    scene = _open(window, tmp_path, spec)
    heads = [e.head[:2] for e in scene.cards["hub"].edges if e.target.agent_name == "hub"]
    assert len(heads) == 6
    for i, (x1, y1) in enumerate(heads):
        for x2, y2 in heads[i + 1:]:
            assert math.hypot(x1 - x2, y1 - y2) >= 8, heads
    # Tips on one side are ordered as the senders are, so these relations do not cross each other.
    by_side = sorted((e.head[1], e.source.pos().y()) for e in scene.cards["hub"].edges
                     if e.target.agent_name == "hub" and e.head[0] == scene.cards["hub"].pos().x())
    assert [y for _, y in by_side] == sorted(y for _, y in by_side)
    there = scene.edges[("handoff", "hub", "s0")].segments[0][:2]
    back = scene.edges[("handoff", "s0", "hub")].segments[-1][-2:]
    assert math.hypot(there[0] - back[0], there[1] - back[1]) >= 8


def test_zoomed_out_every_name_gets_the_same_size():
    for lod in (0.08, 0.15, 0.3):
        px = overview_name_px(lod)
        assert px == overview_name_px(lod)
        from PySide6.QtGui import QFontMetricsF

        from app.ui.canvas.card import big_font
        assert QFontMetricsF(big_font(px)).height() * 2 <= CARD_H - 8  # two lines fit any card
    width = len  # one unit a character
    assert name_lines("short", width, 10) == ["short"]
    assert name_lines("performance-optimizer", width, 12) == ["performance-", "optimizer"]
    assert name_lines("averyveryverylongname", width, 10) == ["averyveryverylongname"]  # elided later
