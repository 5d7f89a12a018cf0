"""Applying a focus (focus.py) to the canvas: cards outside it dimmed, its relations drawn at full
strength on the overlay, hand-off paths lit. Only the cards and relations whose state changes are
touched (`full`: all, after the team changed): at 1,000 agents a new selection must repaint within
a frame (benchmarks/canvas_focus.py)."""

from __future__ import annotations

from collections.abc import Iterable

from app.ui.canvas.focus import Focus, focus_of

DIM = 0.22  # the opacity of what is out of focus


def apply(scene, names: list[str], full: bool = False) -> None:
    old = scene.focus
    if names:
        cards = scene.cards
        incident = {e.key for n in names if n in cards for e in cards[n].edges}
        # Paths between two agents need the whole hand-off graph; neighbours only their relations.
        new = focus_of(names, incident, scene.edges if len(names) == 2 else None)
    else:
        new = Focus()
    scene.focus = new
    if old == new and not full:
        return
    candidates: Iterable[str] = old.agents ^ new.agents if old.active and new.active and not full \
        else scene.cards
    for n in candidates:
        card = scene.cards.get(n)
        if card is not None:
            card.setOpacity(DIM if new.active and n not in new.agents else 1.0)
    # Opacity is applied when the cached layer is blitted: dimming costs no redraw of it.
    scene.edge_layer.setOpacity(DIM * 0.6 if new.active else 1.0)
    for key in old.relations | old.path:
        e = scene.edges.get(key)
        if e is not None:
            e.focus = e.on_path = False
    for key in new.relations:
        e = scene.edges.get(key)
        if e is not None:
            e.focus = True
    for key in new.path:
        e = scene.edges.get(key)
        if e is not None:
            e.on_path = True
    scene._refresh_overlay()
