"""What a card shows of an agent: a few display values taken from the model."""

from __future__ import annotations

from collections.abc import Mapping

from app.ui.canvas.card import CardData


def card_data(team, name: str, problems: dict[str, tuple[int, str | None]],
              overridden: Mapping[str, str] | None = None) -> CardData:
    """The few display values of one agent; `overridden`: agent → the file of the definition
    Claude Code uses instead (Controller.overridden)."""
    af = team.agent(name)
    agent = af.summary if af is not None else None  # the sketch until the team is checked
    count, severity = problems.get(name, (0, None))
    pinned = name in team.pinned
    beaten = overridden.get(name) if overridden else None
    if agent is None:
        return CardData(name=name, problems=count, severity=severity, pinned=pinned,
                        invalid=getattr(af, "error", None) is not None, model="?", tools="?",
                        overridden=beaten)
    tools = agent.tool_names()
    if tools is None:
        tools_label = "all tools"
    elif not tools:
        tools_label = "no tools"
    else:
        tools_label = f"{len(tools)} tool{'s' if len(tools) != 1 else ''}"
    model = agent.model if isinstance(agent.model, str) and agent.model.strip() else "inherit"
    return CardData(
        name=name,
        description=agent.description if isinstance(agent.description, str) else "",
        model=model,
        tools=tools_label,
        color=agent.color if isinstance(agent.color, str) else None,
        problems=count,
        severity=severity,
        pinned=pinned,
        invalid=getattr(af, "error", None) is not None,
        overridden=beaten,
    )


def problems_by_agent(team) -> dict[str, tuple[int, str | None]]:
    """{agent: (count, worst severity)} for errors and warnings; info is not worth a dot."""
    out: dict[str, tuple[int, str | None]] = {}
    by_file: dict[str, str] = {}
    for problem in getattr(team, "problems", []) or []:
        if problem.severity not in ("error", "warning"):
            continue
        name = problem.agent
        if not name and problem.file:
            if not by_file:
                by_file = {path: af.name for path, af in team.files.items() if af.name}
            name = by_file.get(problem.file)
        if not name:
            continue
        count, worst = out.get(name, (0, None))
        worst = "error" if problem.severity == "error" or worst == "error" else "warning"
        out[name] = (count + 1, worst)
    return out
