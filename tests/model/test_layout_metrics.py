"""layout_metrics.measure on layouts small enough to count by hand."""

from __future__ import annotations

from app.model.layout_metrics import measure, segment_hits_box, segments_cross

W, H = 10.0, 10.0  # cards 10×10: centres are corners + 5


def test_an_x_of_two_lines_crosses_once_and_sharing_a_card_does_not_count():
    # a b
    # c d   a–d and b–c cross in the middle; a–b and a–d share a.
    pos = {"a": (0, 0), "b": (100, 0), "c": (0, 100), "d": (100, 100)}
    m = measure(pos, [("a", "d"), ("b", "c"), ("a", "b")], W, H)
    assert m.crossings == 1
    assert m.through_cards == 0 and m.overlaps == 0
    assert (m.width, m.height, m.area) == (110, 110, 12100)


def test_a_line_behind_a_third_card_and_both_directions_are_one_segment():
    pos = {"a": (0, 0), "m": (50, 0), "b": (100, 0), "off": (50, 40)}
    m = measure(pos, [("a", "b"), ("b", "a")], W, H)
    assert m.through_cards == 1  # m, not off (the line runs at y=5, off spans 40..50)
    assert m.crossings == 0


def test_overlapping_cards_are_counted_pairwise_touching_ones_are_not():
    pos = {"a": (0, 0), "b": (5, 5), "c": (8, 0), "d": (20, 0)}  # a–b, a–c, b–c overlap; d is clear
    assert measure(pos, [], W, H).overlaps == 3
    assert measure({"a": (0, 0), "b": (10, 0)}, [], W, H).overlaps == 0  # edge to edge


def test_primitives():
    assert segments_cross((0, 0), (2, 2), (0, 2), (2, 0))
    assert not segments_cross((0, 0), (1, 1), (1, 1), (2, 0))  # touching at an end
    assert not segments_cross((0, 0), (2, 0), (1, 0), (3, 0))  # collinear
    assert segment_hits_box((0, 5), (20, 5), (8, 0, 12, 10))
    assert not segment_hits_box((0, 15), (20, 15), (8, 0, 12, 10))
    assert not segment_hits_box((0, 0), (5, 5), (8, 0, 12, 10))  # stops short
