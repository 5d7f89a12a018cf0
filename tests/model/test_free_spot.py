"""free_spot: where a new card goes. The oracle is a brute-force scan of every grid point around
the wanted spot, written out here independently of the row/interval search in layout.py."""

from __future__ import annotations

import math
import random

import pytest

from app.model.layout import CARD_HEIGHT, CARD_WIDTH, GRID, free_spot

GAP = 24


def clear(p, taken) -> bool:
    return all(abs(p[0] - x) >= CARD_WIDTH + GAP or abs(p[1] - y) >= CARD_HEIGHT + GAP for x, y in taken)


def brute_nearest_distance(near, taken) -> float:
    ox, oy = round(near[0] / GRID) * GRID, round(near[1] / GRID) * GRID
    best = math.inf
    for r in range(400):
        if r * GRID > best:
            break
        for dx in range(-r, r + 1):
            for dy in range(-r, r + 1):
                if max(abs(dx), abs(dy)) != r:
                    continue
                p = (ox + dx * GRID, oy + dy * GRID)
                if clear(p, taken):
                    best = min(best, math.hypot(dx * GRID, dy * GRID))
    return best


def test_an_empty_canvas_takes_the_wanted_spot_on_the_grid():
    assert free_spot([], (101.0, 45.0)) == (104.0, 48.0)


def test_never_over_another_card_and_as_near_as_the_scan_finds():
    taken = [(0.0, 0.0)]
    spot = free_spot(taken, (0.0, 0.0))
    assert clear(spot, taken)
    assert math.hypot(*spot) == pytest.approx(brute_nearest_distance((0.0, 0.0), taken))


@pytest.mark.parametrize("seed", range(12))
def test_random_crowds(seed):
    rng = random.Random(seed)
    taken = [(rng.randrange(-60, 60) * GRID, rng.randrange(-40, 40) * GRID) for _ in range(rng.randrange(1, 40))]
    near = (rng.uniform(-300, 300), rng.uniform(-200, 200))
    spot = free_spot(taken, near)
    assert clear(spot, taken)
    assert spot[0] % GRID == 0 and spot[1] % GRID == 0
    o = (round(near[0] / GRID) * GRID, round(near[1] / GRID) * GRID)
    assert math.hypot(spot[0] - o[0], spot[1] - o[1]) == pytest.approx(brute_nearest_distance(near, taken))


def test_inside_a_dense_layered_layout_it_goes_outside_it():
    taken = [(x * 304.0, y * 128.0) for x in range(20) for y in range(20)]  # layered_layout's spacing
    spot = free_spot(taken, (3000.0, 1200.0))
    assert clear(spot, taken)
    assert spot[1] < 0 or spot[1] > 19 * 128 or spot[0] < 0 or spot[0] > 19 * 304
