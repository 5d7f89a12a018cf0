"""Our auto-layout against Graphviz `dot` on real teams, measured by one function for both.

For each team: straight-segment crossings, segments through other cards, overlapping cards and the
bounding-box area (app/model/layout_metrics.measure), for our layout (app/model/layout.py, what
Ctrl+L and `agent-canvas layout` do) and for `dot -Tjson` on the same graph with every node a fixed
240×84 box (points = our pixels), rankdir=LR, parallel links undirected. Then 1,000 and 5,000
generated agents (benchmarks/generate.py) laid out, timed, against dot's time on the same graph.

With python-igraph installed, igraph's Sugiyama layout (Graph.layout_sugiyama) is measured too.
Needs `dot` on PATH (Debian: apt-get install graphviz). Figures, not a test: it prints, never fails.

    python benchmarks/layout_vs_dot.py [DIR ...] [--sizes 1000]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from app.model.export import _dot
from app.model.layout import CARD_HEIGHT, CARD_WIDTH, layered_layout
from app.model.layout_metrics import LayoutMetrics, measure
from app.model.team import Team

CORPUS = HERE.parent.parent.parent / "shared" / "corpus"
if not CORPUS.exists():
    CORPUS = Path("/work/shared/corpus")


def default_teams() -> list[tuple[str, Path]]:
    teams = [("sample (agents/)", HERE.parent / "agents")]
    seed = CORPUS / "TaylorHuston__ai-coding-template__dee5906" / ".claude" / "agents"
    plugin = CORPUS / "TaylorHuston__ai-coding-template" / "plugins" / "ai-toolkit" / "agents"
    largest = CORPUS / "wshobson__agents"
    for label, path in (("seed's team", seed), ("seed's plugin", plugin), ("largest corpus", largest)):
        if path.exists():
            teams.append((label, path))
    return teams


def edges_of(names: list[str], triples) -> list[tuple[str, str, str]]:
    known = set(names)
    return [(s, t, k) for s, t, k in triples if s in known and t in known]


def dot_source(names: list[str], triples) -> str:
    w, h = CARD_WIDTH / 72, CARD_HEIGHT / 72  # dot sizes nodes in inches, positions in points
    lines = ["digraph team {", "  rankdir=LR;",
             f"  node [shape=box, fixedsize=true, width={w:.6f}, height={h:.6f}, label=\"\"];"]
    lines += [f"  {_dot(n)};" for n in names]
    for s, t, k in triples:
        attrs = " [dir=none, style=dashed]" if k == "parallel" else ""
        lines.append(f"  {_dot(s)} -> {_dot(t)}{attrs};")
    lines.append("}")
    return "\n".join(lines) + "\n"


DOT_TIMEOUT = 120.0  # seconds; dot's crossing minimisation can run for many minutes on thousands


def dot_layout(names: list[str], triples) -> tuple[dict[str, tuple[float, float]] | None, float]:
    """Top-left corners from dot (y flipped to grow downwards, as on the canvas) and its time;
    None when dot did not finish within DOT_TIMEOUT."""
    src = dot_source(names, triples)
    t = time.perf_counter()
    try:
        out = subprocess.run(["dot", "-Tjson"], input=src.encode(), capture_output=True, check=True,
                             timeout=DOT_TIMEOUT).stdout
    except subprocess.TimeoutExpired:
        return None, time.perf_counter() - t
    elapsed = time.perf_counter() - t
    data = json.loads(out)
    pos = {}
    for obj in data.get("objects", []):
        x, y = (float(v) for v in obj["pos"].split(","))
        pos[obj["name"]] = (x - CARD_WIDTH / 2, -y - CARD_HEIGHT / 2)
    return pos, elapsed


def igraph_layout(names: list[str], triples) -> dict[str, tuple[float, float]] | None:
    """igraph's Sugiyama layout (when python-igraph is installed), on our layer and row steps: the
    well-kept library the issue suggested, measured here beside ours."""
    try:
        import igraph
    except ImportError:
        return None
    from app.model.layout import LAYER_STEP, ROW_STEP

    index = {n: i for i, n in enumerate(names)}
    g = igraph.Graph(n=len(names), edges=[(index[s], index[t]) for s, t, _ in triples], directed=True)
    coords = g.layout_sugiyama().coords
    return {n: (coords[i][1] * LAYER_STEP, coords[i][0] * ROW_STEP) for i, n in enumerate(names)}


def row(label: str, m: LayoutMetrics) -> str:
    return (f"  {label:<6} crossings {m.crossings:>5}  through cards {m.through_cards:>5}  "
            f"overlaps {m.overlaps:>3}  area {m.width:>7.0f} × {m.height:<7.0f} = {m.area / 1e6:7.2f} Mpx²")


def compare(label: str, names: list[str], triples, ours: dict) -> None:
    pairs = [(s, t) for s, t, _ in triples]
    ours_m = measure(ours, pairs, CARD_WIDTH, CARD_HEIGHT)
    theirs, took = dot_layout(names, triples)
    if theirs is None:
        print(f"{label}: {len(names)} agents, {len(triples)} relations — dot gave up after {took:.0f} s")
        print(row("ours", ours_m))
        return
    dot_m = measure(theirs, pairs, CARD_WIDTH, CARD_HEIGHT)
    verdict = all((ours_m.crossings <= dot_m.crossings, ours_m.through_cards <= dot_m.through_cards,
                   ours_m.area <= dot_m.area, ours_m.overlaps == 0))
    print(f"{label}: {len(names)} agents, {len(triples)} relations — "
          f"{'as good as dot or better on every count' if verdict else 'WORSE than dot somewhere'}")
    print(row("ours", ours_m))
    print(row("dot", dot_m))
    sugiyama = igraph_layout(names, triples)
    if sugiyama is not None:
        print(row("igraph", measure(sugiyama, pairs, CARD_WIDTH, CARD_HEIGHT)))
    print(f"  ratio  crossings {ratio(ours_m.crossings, dot_m.crossings)}  through cards "
          f"{ratio(ours_m.through_cards, dot_m.through_cards)}  area {ratio(ours_m.area, dot_m.area)}")


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else ("1.00" if a == 0 else "inf")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("dirs", nargs="*", type=Path)
    ap.add_argument("--sizes", nargs="*", type=int, default=[1000])
    args = ap.parse_args()
    if shutil.which("dot") is None:
        sys.exit("dot is not on PATH (Debian: apt-get install graphviz)")
    teams = [(str(d), d) for d in args.dirs] or default_teams()
    for label, path in teams:
        team = Team.load(path)
        names = team.names()
        triples = edges_of(names, [(r.source, r.target, r.kind) for r in team.relations()])
        compare(label, names, triples, layered_layout(team))
    import generate  # benchmarks/generate.py: seed-like agents with hand-offs, loops, parallel links

    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            generate.generate_team(tmp, n, body_lines=5)
            team = Team.load(tmp)
            names = team.names()
            triples = edges_of(names, [(r.source, r.target, r.kind) for r in team.relations()])
            best = float("inf")
            for _ in range(3):
                t = time.perf_counter()
                ours = layered_layout(team)
                best = min(best, time.perf_counter() - t)
            theirs, dot_time = dot_layout(names, triples)
            dot_text = f"dot {dot_time * 1000:.0f} ms" if theirs is not None else f"dot > {DOT_TIMEOUT:.0f} s"
            print(f"{n} generated agents, {len(triples)} relations: ours {best * 1000:.0f} ms "
                  f"(best of 3, goal < 1000 ms), {dot_text}, ratio {best / dot_time:.4f}")
            if theirs is not None:
                pairs = [(s, t) for s, t, _ in triples]
                print(row("ours", measure(ours, pairs, CARD_WIDTH, CARD_HEIGHT)))
                print(row("dot", measure(theirs, pairs, CARD_WIDTH, CARD_HEIGHT)))


if __name__ == "__main__":
    main()
