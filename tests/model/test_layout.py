"""layered_layout: hand-offs read left to right, loops and parallel links handled, no overlaps."""

from __future__ import annotations

import networkx as nx
from teamkit import agent_md

from app.model.layout import (
    CARD_HEIGHT,
    CARD_WIDTH,
    layered_layout,
)
from app.model.relations import Relation
from app.model.sidecar import parse_sidecar, sidecar_bytes


def relation_graph(nodes, rels):
    g = nx.MultiDiGraph()
    g.add_nodes_from(nodes)
    g.add_edges_from((r.source, r.target, r.kind, {"relation": r}) for r in rels)
    return g


def graph(handoffs=(), parallels=(), loose=()):
    rels = [Relation("handoff", s, t, frozenset({s, t})) for s, t in handoffs]
    rels += [Relation("parallel", *sorted((a, b)), frozenset({a, b})) for a, b in parallels]
    nodes = sorted({n for r in rels for n in (r.source, r.target)} | set(loose))
    return relation_graph(nodes, rels)


def no_overlap(pos):
    boxes = sorted(pos.values())
    for i, (x1, y1) in enumerate(boxes):
        for x2, y2 in boxes[i + 1:]:
            assert abs(x1 - x2) >= CARD_WIDTH + 8 or abs(y1 - y2) >= CARD_HEIGHT + 8, ((x1, y1), (x2, y2))


def test_chain_reads_left_to_right_on_the_grid():
    pos = layered_layout(graph([("a", "b"), ("b", "c"), ("a", "c")]))
    assert pos["a"][0] < pos["b"][0] < pos["c"][0]
    assert pos["c"][0] - pos["b"][0] >= CARD_WIDTH + 64  # room for the arrow between layers
    assert all(x % 8 == 0 and y % 8 == 0 for x, y in pos.values())
    no_overlap(pos)


def test_cycles_do_not_break_it_and_every_agent_is_placed():
    g = graph([("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])
    pos = layered_layout(g)
    assert set(pos) == {"a", "b", "c", "d"}
    assert pos["d"][0] > pos["c"][0]  # work leaving the loop goes right
    no_overlap(pos)


def test_parallel_agents_share_a_layer():
    pos = layered_layout(graph([("lead", "x"), ("lead", "y"), ("y", "z")], parallels=[("x", "y")]))
    assert pos["x"][0] == pos["y"][0]
    pos = layered_layout(graph([("lead", "x")], parallels=[("x", "side")]))
    assert pos["side"][0] == pos["x"][0]


def test_loose_agents_in_a_grid_below():
    g = graph([("a", "b")], loose=[f"l{i}" for i in range(9)])
    pos = layered_layout(g)
    below = max(pos["a"][1], pos["b"][1])
    loose = [pos[f"l{i}"] for i in range(9)]
    assert all(y > below for _, y in loose)
    assert len({x for x, _ in loose}) == 3 and len({y for _, y in loose}) == 3
    no_overlap(pos)


def test_keep_positions_are_untouched_and_new_ones_do_not_overlap():
    g = graph([("a", "b"), ("b", "c")], loose=["d"])
    keep = {"a": (800.0, 400.0), "b": (1200.0, 400.0)}
    pos = layered_layout(g, keep)
    assert pos["a"] == keep["a"] and pos["b"] == keep["b"]
    assert set(pos) == {"a", "b", "c", "d"}
    no_overlap(pos)


def test_barycenter_order_untangles_two_chains():
    # Without reordering, a2 and b2 would sit in name order, crossing the edges from b1 and a1.
    pos = layered_layout(graph([("b1", "a2"), ("a1", "b2"), ("a2", "a3"), ("b2", "b3")]))
    order = lambda names: [n for n in sorted(names, key=lambda n: pos[n][1])]
    first, second = order(["a1", "b1"]), order(["a2", "b2"])
    assert [{"a1": "b2", "b1": "a2"}[n] for n in first] == second


def test_accepts_a_team(make_team):
    team = make_team({"a.md": agent_md("a", handoff=["b"]), "b.md": agent_md("b", receives=["a"])})
    pos = layered_layout(team)
    assert pos["a"][0] < pos["b"][0]


def test_big_random_team_is_placed_without_overlap():
    g = nx.gnm_random_graph(600, 1500, seed=4, directed=True)
    rels = [Relation("handoff", f"n{s}", f"n{t}", frozenset({f"n{s}"})) for s, t in g.edges]
    pos = layered_layout(relation_graph([f"n{i}" for i in range(600)], rels))
    assert len(pos) == 600
    assert len(set(pos.values())) == 600


def test_sidecar_round_trip_and_damage():
    raw = sidecar_bytes({"b": (8.0, 16.5), "a": (0.0, 0.0)}, {"a"})
    assert raw.endswith(b"\n") and raw.index(b'"a"') < raw.index(b'"b"')
    assert parse_sidecar(raw) == ({"a": (0.0, 0.0), "b": (8.0, 16.5)}, {"a"}, None)
    for bad in (b"{", b"[]", b'{"agents": 3}', b"\xff\xfe"):
        positions, pinned, problem = parse_sidecar(bad)
        assert positions == {} and pinned == set() and "damaged" in problem
    positions, _, problem = parse_sidecar(b'{"agents": {"a": {"x": 1, "y": 2}, "b": {"x": NaN, "y": 0}}}')
    assert positions == {"a": (1.0, 2.0)} and "b" in problem


def _loop_heavy(n, seed=7):
    """Like benchmarks/generate.py: each agent hands off to a few others nearby, back and forth, so
    almost everything is one big loop."""
    import random

    rng = random.Random(seed)
    handoffs = set()
    for i in range(n):
        for j in rng.sample(range(max(0, i - 30), min(n, i + 30)), 4):
            if j != i:
                handoffs.add((f"a{i:04d}", f"a{j:04d}"))
    return graph(sorted(handoffs), loose=[f"a{i:04d}" for i in range(n)])


def extent(pos):
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    return max(xs) - min(xs) + CARD_WIDTH, max(ys) - min(ys) + CARD_HEIGHT


def test_big_loop_heavy_team_keeps_a_screen_shape():
    g = _loop_heavy(1000)
    assert max(len(c) for c in nx.strongly_connected_components(nx.DiGraph(g))) > 900
    pos = layered_layout(g)
    assert len(pos) == 1000
    width, height = extent(pos)
    assert 1.0 <= width / height <= 2.5, (width, height)  # was 0.05: a few columns 50,000 px tall
    assert all(x % 8 == 0 and y % 8 == 0 for x, y in pos.values())
    no_overlap(pos)


def test_wrapped_layers_still_read_left_to_right():
    # 3 layers of 60: far too tall unwrapped, so each layer becomes sub-columns, in order.
    hand = [(f"a{i}", f"b{i}") for i in range(60)] + [(f"b{i}", f"c{i}") for i in range(60)]
    pos = layered_layout(graph(hand))
    width, height = extent(pos)
    assert 1.0 <= width / height <= 2.5
    a_right = max(pos[f"a{i}"][0] for i in range(60))
    b_left, b_right = min(pos[f"b{i}"][0] for i in range(60)), max(pos[f"b{i}"][0] for i in range(60))
    assert a_right < b_left and b_right < min(pos[f"c{i}"][0] for i in range(60))
    assert len({pos[f"a{i}"][0] for i in range(60)}) > 1  # wrapped
    no_overlap(pos)


def test_a_small_team_is_not_wrapped():
    pos = layered_layout(graph([("lead", f"w{i}") for i in range(6)]))
    assert len({pos[f"w{i}"][0] for i in range(6)}) == 1


def test_pinned_agents_stay_when_a_big_team_is_laid_out():
    g = _loop_heavy(400, seed=3)
    keep = {"a0005": (0.0, 0.0), "a0100": (312.0, 128.0), "a0399": (-624.0, 64.0)}
    pos = layered_layout(g, keep)
    assert all(pos[n] == p for n, p in keep.items())
    assert len(pos) == 400
    width, height = extent({n: p for n, p in pos.items() if n not in keep})
    assert 1.0 <= width / height <= 2.5
    no_overlap(pos)


def test_many_loose_agents_fill_a_screen_shaped_grid():
    pos = layered_layout(graph(loose=[f"l{i:03d}" for i in range(200)]))
    width, height = extent(pos)
    assert 1.0 <= width / height <= 2.5
    no_overlap(pos)


# -- the untangling pass and the dot comparison's teams -------------------------------------------

def _dense(n=17, seed=5):
    import random

    rng = random.Random(seed)
    names = [f"n{i:02d}" for i in range(n)]
    hand = {(rng.choice(names), rng.choice(names)) for _ in range(n * 5)}
    par = {tuple(sorted((rng.choice(names), rng.choice(names)))) for _ in range(n * 2)}
    return graph([h for h in hand if h[0] != h[1]], [p for p in par if p[0] != p[1]])


def _segments(g, pos):
    from app.model.layout_metrics import measure

    return measure(pos, [(s, t) for s, t, _ in g.edges(keys=True)], CARD_WIDTH, CARD_HEIGHT)


def test_untangling_takes_lines_off_cards_without_overlaps(monkeypatch):
    from app.model import layout

    g = _dense()
    tidy = layered_layout(g)
    monkeypatch.setattr(layout, "UNTANGLE_BUDGET", 0)  # the same layout without the pass
    plain = layered_layout(g)
    before, after = _segments(g, plain), _segments(g, tidy)
    assert after.overlaps == 0
    weight = layout.THROUGH_WEIGHT
    assert after.crossings + weight * after.through_cards < before.crossings + weight * before.through_cards
    assert {x for x, _ in tidy.values()} == {x for x, _ in plain.values()}  # layers kept
    assert all(tidy[n][0] == plain[n][0] for n in tidy)
    no_overlap(tidy)
    assert all(x % 8 == 0 and y % 8 == 0 for x, y in tidy.values())


def test_untangling_keeps_pinned_cards_and_places_around_them():
    g = _dense()
    keep = {"n03": (0.0, 0.0), "n07": (304.0, 512.0)}
    pos = layered_layout(g, keep)
    assert all(pos[n] == p for n, p in keep.items())
    no_overlap(pos)


def test_unrelated_agents_take_no_more_room_than_dots_single_column():
    # dot (rankdir=LR) puts unrelated nodes in one rank: one column with 18 pt gaps.
    for n in (30, 202):
        pos = layered_layout(graph(loose=[f"l{i:03d}" for i in range(n)]))
        width, height = extent(pos)
        assert width * height <= CARD_WIDTH * (n * CARD_HEIGHT + (n - 1) * 18), n
        no_overlap(pos)


def test_a_few_new_cards_go_beside_their_partners_and_the_rest_stays():
    g = graph([("a", "b"), ("b", "c"), ("c", "d"), ("b", "new"), ("lonely_new", "x")], loose=["z"])
    keep = {"a": (0.0, 0.0), "b": (304.0, 0.0), "c": (608.0, 0.0), "d": (912.0, 0.0), "x": (0.0, 512.0),
            "z": (912.0, 512.0)}
    pos = layered_layout(g, keep)
    assert all(pos[n] == p for n, p in keep.items())
    assert pos["new"][0] > pos["b"][0] and abs(pos["new"][1] - pos["b"][1]) <= 2 * (CARD_HEIGHT + 44)
    assert pos["lonely_new"][0] < pos["x"][0] and abs(pos["lonely_new"][1] - pos["x"][1]) <= 2 * 128
    no_overlap(pos)
    assert all(x % 8 == 0 and y % 8 == 0 for x, y in pos.values())


def test_a_layer_with_many_links_inside_zigzags_so_they_pass_no_card(monkeypatch):
    from app.model import layout

    monkeypatch.setattr(layout, "DENSE", 1)  # a team this small counts as dense
    workers = [f"w{i}" for i in range(6)]
    g = graph([("lead", w) for w in workers], [(workers[i], workers[i + 2]) for i in range(4)])
    pos = layered_layout(g)
    inside = graph(parallels=[(workers[i], workers[i + 2]) for i in range(4)])
    assert _segments(inside, pos).through_cards == 0
    # in less height than one column of them (which would need spreading out to free the lines)
    assert extent(pos)[1] < len(workers) * (CARD_HEIGHT + 44)
    assert all(pos[w][0] > pos["lead"][0] for w in workers)  # still right of who hands them work
    no_overlap(pos)


def test_a_sparse_team_does_not_zigzag():
    pos = layered_layout(graph([("lead", f"w{i}") for i in range(6)], [("w0", "w2"), ("w1", "w3")]))
    assert len({pos[f"w{i}"][0] for i in range(6)}) == 1
