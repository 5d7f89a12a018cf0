"""Problems in a team, with stable codes and messages a non-programmer understands.

Every check is linear in the size of the team (cycles are found per strongly connected component,
never by enumerating paths). Line numbers come from a cheap scan of the frontmatter, done only for
files that have a problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from app.model.agent import DOCUMENTED_COLORS, NAME_RULE, is_known_model, name_problem

if TYPE_CHECKING:
    from app.model.team import AgentFile, Relation, Team

Severity = Literal["error", "warning", "info"]

# code → severity. Codes are stable: the CLI's --json output and the GUI key on them.
CODES: dict[str, Severity] = {
    "yaml-error": "error",
    "unreadable-file": "error",
    "missing-name": "error",
    "invalid-name": "error",
    "missing-description": "error",
    "duplicate-name": "error",
    "unknown-reference": "error",
    "asymmetric-handoff": "warning",
    "asymmetric-parallel": "warning",
    "self-reference": "warning",
    "unknown-color": "warning",
    "unknown-model": "warning",
    "invalid-value": "warning",
    "layout-file": "warning",
    "no-frontmatter": "info",
    "name-file-mismatch": "info",
    "handoff-cycle": "info",
}


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    file: str | None  # relative POSIX path inside the team folder
    line: int | None  # 1-based line in the file
    agent: str | None
    message: str
    field: str | None = None  # "model", "coordination.hands_off_to"…


class _Lines:
    """Line numbers of keys in files, computed once per file and only when needed."""

    def __init__(self) -> None:
        self._cache: dict[str, dict[str, int]] = {}

    def line(self, f: AgentFile, field: str | None) -> int | None:
        if f.doc is None or f.doc.frontmatter is None:
            return None
        keys = self._cache.get(f.path)
        if keys is None:
            keys = self._cache[f.path] = key_lines(f.doc.frontmatter, f.doc.frontmatter_line)
        if field is None:
            return f.doc.frontmatter_line
        return keys.get(field) or keys.get(field.split(".", 1)[0]) or f.doc.frontmatter_line


_KEY = re.compile(r"""^( *)["']?([^\s"':#][^"':]*?)["']?[ \t]*:(?:[ \t]|$)""")


def key_lines(frontmatter: str, first_line: int) -> dict[str, int]:
    """{"model": 4, "coordination": 6, "coordination.hands_off_to": 7, …} by a line scan."""
    out: dict[str, int] = {}
    parent = None
    for i, text in enumerate(frontmatter.split("\n")):
        m = _KEY.match(text)
        if not m:
            continue
        indent, key = len(m.group(1)), m.group(2).strip()
        if indent == 0:
            parent = key
            out.setdefault(key, first_line + i)
        elif parent is not None:
            out.setdefault(f"{parent}.{key}", first_line + i)
    return out


def _and(names: list[str], limit: int = 8) -> str:
    if len(names) > limit:  # a loop through 5,000 agents is reported, not recited
        return ", ".join(names[:limit]) + f" and {len(names) - limit:,} others"
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


_EXPECTED = {
    "name": "a name",
    "description": "a sentence of text",
    "tools": "a list of tool names",
    "disallowedTools": "a list of tool names",
    "model": "a model name such as sonnet",
    "permissionMode": "one word such as default or plan",
    "maxTurns": "a whole number",
    "skills": "a list of skill names",
    "mcpServers": "a list or mapping of MCP servers",
    "hooks": "a mapping of hooks",
    "memory": "text, true/false or a mapping",
    "background": "true or false",
    "effort": "a level (low, medium, high, xhigh or max) or a whole number",
    "isolation": "worktree or remote",
    "initialPrompt": "text",
    "color": "a colour name such as blue",
    "omitClaudeMd": "true or false",
    "autoCompactWindow": "a whole number of at least 100000",
    "observer": "a list of up to 4 agent names",
    "observerMessage": "text",
    "observeSubagents": "true or false",
    "observeToolResults": "true or false",
    "experimental": "a block such as cacheTtl: 5m (or 1h)",
    "coordination": "a block with hands_off_to, receives_from and parallel_with lists",
}


def validate(team: Team) -> list[Problem]:
    """Every problem of the team: team-wide ones, each file's, each relation's, then loops."""
    lines = _Lines()
    problems = team_problems(team)
    for f in team.files.values():
        problems += file_problems(team, f, lines)
    for r in team._relations:
        if r.one_sided:
            problems.append(relation_problem(team, r, lines))
    problems += cycle_problems(team, lines)
    return problems


def team_problems(team: Team) -> list[Problem]:
    """Files that cannot be read and a damaged layout file."""
    out = [Problem("unreadable-file", "error", path, None, None, f"{path} cannot be read: {reason}")
           for path, reason in sorted(team.unreadable.items())]
    if team.sidecar_problem:
        out.append(Problem("layout-file", "warning", ".agent-canvas.json", None, None, team.sidecar_problem))
    return out


def file_problems(team: Team, f: AgentFile, lines: _Lines | None = None) -> list[Problem]:
    """The problems of one file. Depends only on the file and on which names exist in the team."""
    lines = lines or _Lines()
    out: list[Problem] = []
    add = out.append
    names = team._by_name  # name → paths
    path = f.path
    agent = f.agent
    if agent is None:
        if f.doc is not None and f.doc.unterminated:
            msg = (f"{path} starts with a --- line but the frontmatter is never closed with a second "
                   "--- line, so it is not read as an agent.")
        else:
            msg = (f"{path} has no frontmatter (no --- block at the top), so it is treated as "
                   "documentation, not as an agent.")
        add(Problem("no-frontmatter", "info", path, 1, None, msg))
        return out
    name = agent.name
    who = name or path
    if f.error is not None:
        add(Problem("yaml-error", "error", path, f.error.line, name,
                    f"{f.error.message} Until it is fixed, {who} is shown read-only.", None))
    # Values of the wrong type (set aside, so the rest of the agent still loads).
    for key, value in f.invalid.items():
        if key == "name":
            add(Problem("invalid-name", "error", path, lines.line(f, "name"), None,
                        f"The name of {path} is {_short(value)}, which is not text: {NAME_RULE}.", "name"))
            continue
        expected = _EXPECTED.get(key.split(".")[-1] if key.startswith("coordination.") else key,
                                 "a list of agent names" if key.startswith("coordination.") else None)
        if expected is None:
            continue
        add(Problem("invalid-value", "warning", path, lines.line(f, key), name,
                    f"{key} of {who} should be {expected}, but is {_short(value)}; it is ignored "
                    "until it is corrected.", key))
    if not name:
        if "name" not in f.invalid:
            add(Problem("missing-name", "error", path, lines.line(f, None), None,
                        f"{path} has no name. Add a line such as \"name: {_suggest(f.stem)}\" so "
                        "Claude Code can find this agent.", "name"))
    else:
        reason = name_problem(name)
        if reason:
            add(Problem("invalid-name", "error", path, lines.line(f, "name"), name,
                        f"The name \"{name}\" is not valid: {reason}.", "name"))
        if len(names.get(name, ())) > 1:
            others = [p for p in names[name] if p != path]
            add(Problem("duplicate-name", "error", path, lines.line(f, "name"), name,
                        f"{name} is also the name of {_and(others)}. Claude Code needs each agent to "
                        "have its own name.", "name"))
        if name != f.stem:
            add(Problem("name-file-mismatch", "info", path, lines.line(f, "name"), name,
                        f"The agent is called {name} but its file is {f.stem}.md.", "name"))
    if not (isinstance(agent.description, str) and agent.description.strip()) \
            and "description" not in f.invalid:
        add(Problem("missing-description", "error", path, lines.line(f, "description"), name,
                    f"{who} has no description. Claude Code reads the description to decide when to "
                    "use the agent, so say what it does and when to call it.", "description"))
    if agent.color is not None and agent.color not in DOCUMENTED_COLORS:
        add(Problem("unknown-color", "warning", path, lines.line(f, "color"), name,
                    f"{who} has the colour \"{agent.color}\", which Claude Code does not list "
                    f"({', '.join(DOCUMENTED_COLORS)}); it is kept, and shown in a neutral tone.",
                    "color"))
    if agent.model is not None and not is_known_model(agent.model):
        add(Problem("unknown-model", "warning", path, lines.line(f, "model"), name,
                    f"{who} uses the model \"{agent.model}\", which is not one Claude Code knows "
                    "(inherit, sonnet, opus, haiku, fable or a full id such as claude-opus-5).", "model"))
    # References to itself or to nobody (collected while the relations were built).
    for key, other in team._odd_references.get(path, ()):
        field = f"coordination.{key}"
        if other == name:
            add(Problem("self-reference", "warning", path, lines.line(f, field), name,
                        f"{name} lists itself under {key}; an agent cannot hand work to or work "
                        "alongside itself.", field))
        else:
            add(Problem("unknown-reference", "error", path, lines.line(f, field), name,
                        f"{name} lists {other} under {key}, but there is no agent called {other} "
                        "in this team.", field))
    return out


def relation_problem(team: Team, r: Relation, lines: _Lines | None = None) -> Problem:
    """The warning for a relation declared on one side only, on the declaring agent's line."""
    lines = lines or _Lines()
    declarer = next(iter(r.declared_by))
    f = team.agent(declarer)
    if r.kind == "handoff":
        if declarer == r.source:
            field = "coordination.hands_off_to"
            msg = (f"{r.source} hands work to {r.target}, but {r.target} does not list "
                   f"{r.source} under receives_from.")
        else:
            field = "coordination.receives_from"
            msg = (f"{r.target} receives work from {r.source}, but {r.source} does not list "
                   f"{r.target} under hands_off_to.")
        return Problem("asymmetric-handoff", "warning", f.path, lines.line(f, field), declarer, msg, field)
    other = r.target if declarer == r.source else r.source
    field = "coordination.parallel_with"
    return Problem("asymmetric-parallel", "warning", f.path, lines.line(f, field), declarer,
                   f"{declarer} works in parallel with {other}, but {other} does not list "
                   f"{declarer} under parallel_with.", field)


def cycle_problems(team: Team, lines: _Lines | None = None,
                   components: list[list[str]] | None = None) -> list[Problem]:
    """One note per loop of hand-offs (`components`: the loops, when already known)."""
    lines = lines or _Lines()
    out = []
    for component in handoff_cycles(team) if components is None else components:
        first = component[0]
        f = team.agent(first)
        out.append(Problem("handoff-cycle", "info", f.path, lines.line(f, "coordination.hands_off_to"), first,
                           f"{_and(component)} hand work to each other in a loop. That can be intended "
                           "(review and rework), but make sure the loop has a way to end.",
                           "coordination.hands_off_to"))
    return out


def handoff_cycles(team: Team) -> list[list[str]]:
    """Each group of agents that can hand work around in a circle, once (Tarjan's SCCs: linear)."""
    succ: dict[str, list[str]] = {}
    for kind, source, target, _ in team._relations:
        if kind == "handoff":
            succ.setdefault(source, []).append(target)
    return sorted(sorted(c) for c in strong_components(succ) if len(c) > 1)


def strong_components(succ: dict[str, list[str]]) -> list[list[str]]:
    """The strongly connected components of the directed graph `succ` (node → successors; a node
    without successors may be left out): every node that is a key or a successor lands in exactly
    one. Tarjan's algorithm without recursion: linear in nodes + edges, with no networkx import or
    graph to build (a team of 10,000 agents opens noticeably faster). A test compares it with
    networkx."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    empty: list[str] = []
    for root, successors in succ.items():
        if root in index:
            continue
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        work = [(root, iter(successors))]
        while work:
            v, children = work[-1]
            for w in children:
                if w not in index:
                    index[w] = low[w] = len(index)
                    stack.append(w)
                    on_stack.add(w)
                    work.append((w, iter(succ.get(w, empty))))
                    break
                if w in on_stack and index[w] < low[v]:
                    low[v] = index[w]
            else:  # every successor of v done
                work.pop()
                if work:
                    u = work[-1][0]
                    low[u] = min(low[u], low[v])
                if low[v] == index[v]:
                    component = []
                    while True:
                        w = stack.pop()
                        on_stack.discard(w)
                        component.append(w)
                        if w == v:
                            break
                    out.append(component)
    return out


def _suggest(stem: str) -> str:
    cleaned = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")
    return cleaned or "my-agent"
