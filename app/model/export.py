"""The team's graph as Mermaid, Graphviz dot or JSON. Output is deterministic (sorted), so an export
checked into a repository only changes when the team does."""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from app.model.team import Relation, Team

ONE_SIDED_COLOR = "#f59e0b"  # amber, as on the canvas


def _agents(team: Team) -> list[tuple[str, Any]]:
    """(name, AgentFile) for each agent name, the first file when a name is used twice."""
    return [(name, team.agent(name)) for name in team.names()]


def _relations(team: Team) -> list[Relation]:
    return sorted(team.relations(), key=lambda r: (r.kind != "handoff", r.source, r.target))


def _declared(r: Relation) -> str:
    return f"declared only by {next(iter(r.declared_by))}"


# -- Mermaid --------------------------------------------------------------------------------------

def _mermaid_ids(names: list[str]) -> dict[str, str]:
    ids: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        base = re.sub(r"[^A-Za-z0-9_]", "_", name) or "agent"
        if base[0].isdigit():
            base = "a_" + base
        candidate, i = base, 2
        while candidate in used:
            candidate, i = f"{base}_{i}", i + 1
        used.add(candidate)
        ids[name] = candidate
    return ids


def _mermaid_label(text: str) -> str:
    return text.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def to_mermaid(team: Team) -> str:
    """flowchart LR: hand-offs `-->`, parallel links `<-.->`; one-sided links labelled and amber."""
    agents = _agents(team)
    ids = _mermaid_ids([n for n, _ in agents])
    lines = ["flowchart LR"]
    for name, _ in agents:
        lines.append(f'    {ids[name]}["{_mermaid_label(name)}"]')
    one_sided: list[int] = []
    for i, r in enumerate(_relations(team)):
        arrow = {"handoff": "-->", "parallel": "<-.->", "spawn": "-.->|may start|",
                 "observer": "-.->|observed by|"}[r.kind]
        if r.one_sided:
            lines.append(f"    %% one-sided: {_declared(r)}")
            lines.append(f"    {ids[r.source]} {arrow}|one-sided| {ids[r.target]}")
            one_sided.append(i)
        else:
            lines.append(f"    {ids[r.source]} {arrow} {ids[r.target]}")
    if one_sided:
        lines.append(f"    linkStyle {','.join(map(str, one_sided))} stroke:{ONE_SIDED_COLOR},color:{ONE_SIDED_COLOR}")
    return "\n".join(lines) + "\n"


# -- Graphviz dot ---------------------------------------------------------------------------------

def _dot(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(team: Team) -> str:
    """digraph, left to right; parallel links dashed without heads; one-sided links amber."""
    lines = [
        "digraph team {",
        "    rankdir=LR;",
        '    node [shape=box, style=rounded, fontname="sans-serif"];',
    ]
    for name, f in _agents(team):
        attrs = [f"label={_dot(name)}"]
        description = f.agent.description if f is not None and f.agent is not None else None
        if isinstance(description, str) and description:
            attrs.append(f"tooltip={_dot(description)}")
        lines.append(f"    {_dot(name)} [{', '.join(attrs)}];")
    for r in _relations(team):
        attrs = []
        if r.kind == "parallel":
            attrs += ["dir=none", "style=dashed"]
        elif r.kind in ("spawn", "observer"):
            attrs += ["style=dotted", f"label={_dot('may start' if r.kind == 'spawn' else 'observed by')}"]
        if r.one_sided:
            attrs += [f'color="{ONE_SIDED_COLOR}"', f"tooltip={_dot('one-sided: ' + _declared(r))}"]
        tail = f" [{', '.join(attrs)}]" if attrs else ""
        lines.append(f"    {_dot(r.source)} -> {_dot(r.target)}{tail};")
    lines.append("}")
    return "\n".join(lines) + "\n"


# -- JSON -----------------------------------------------------------------------------------------

def laid_out(team: Team) -> dict[str, tuple[float, float]]:
    """Every agent's card position as the editor shows it: the saved one, and for an agent without
    one the place the editor gives it when the folder is opened (laid out around the saved ones)."""
    from app.model.layout import layered_layout  # only JSON needs it

    names = set(team.names())
    saved = {n: p for n, p in team.positions.items() if n in names}
    if len(saved) == len(names):
        return saved
    return layered_layout(team, saved)


def to_data(team: Team) -> dict:
    from app.model.layout import CARD_HEIGHT, CARD_WIDTH

    agents = []
    where = laid_out(team)
    for name, f in _agents(team):
        a = f.agent
        x, y = where[name]
        agents.append({
            "x": x,
            "y": y,
            "width": CARD_WIDTH,
            "height": CARD_HEIGHT,
            "name": name,
            "file": f.path,
            "description": a.description,
            "model": a.model,
            "color": a.color,
            "tools": a.tool_names(),
            "valid_yaml": f.error is None,
        })
    relations = [{
        "kind": r.kind,
        "source": r.source,
        "target": r.target,
        "declared_by": sorted(r.declared_by),
        "one_sided": r.one_sided,
    } for r in _relations(team)]
    return {"agents": agents, "relations": relations}


def to_json(team: Team) -> str:
    """{"agents": [...], "relations": [...]}, sorted keys, indent 2; each agent with its card's
    x, y (top-left, canvas pixels), width and height as laid out."""
    return json.dumps(to_data(team), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


FORMATS = {"mermaid": to_mermaid, "dot": to_dot, "json": to_json}
