"""Problems in a team, with stable codes and messages a non-programmer understands.

Pure functions of the files, the names in the team and their relations: the team keeps the
results up to date as files change (team.py), `validate()` computes them all at once. Every check
is linear in the size of the team (loops are found per strongly connected component, never by
enumerating paths). Line numbers come from a cheap scan of the frontmatter, done only for files
that have a problem.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any, Literal, NamedTuple

from app.io.reader import claude_code_text
from app.model.agent import (
    DOCUMENTED_COLORS,
    MAX_NAME_LENGTH,
    NAME_RULE,
    is_known_model,
    loader_refusal,
    name_problem,
    name_style_problem,
)
from app.model.agent_file import AgentFile
from app.model.relations import OddReference, Relation, RelationIndex, RelationKey, handoff_loops

Severity = Literal["error", "warning", "info"]

# Claude Code skips an agent for these (the message starts with it); the file stays shown.
NOT_LOADED = "Claude Code will not load this agent: "

# code → severity. Codes are stable: the CLI's --json output and the GUI key on them.
CODES: dict[str, Severity] = {
    "yaml-error": "error",
    "invalid-hooks": "error",
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
    "outside-link": "warning",
    "lenient-yaml": "warning",
    "no-frontmatter": "info",
    "name-file-mismatch": "info",
    "name-style": "info",
    "handoff-cycle": "info",
}


class Problem(NamedTuple):
    """One problem, immutable. A NamedTuple: a big team has tens of thousands of them, and one is
    built 4x faster than a frozen dataclass."""

    code: str
    severity: Severity
    file: str | None  # relative POSIX path inside the team folder
    line: int | None  # 1-based line in the file
    agent: str | None
    message: str
    field: str | None = None  # "model", "coordination.hands_off_to"…
    relation: RelationKey | None = None  # the relation it is about: (kind, source, target)
    other: str | None = None  # the other agent it names (the missing side, an unknown name…)


class KeyLines:
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


def duplicate_message(name: str, path: str, others: list[str]) -> str:
    """Two files of one folder name the same agent: Claude Code keeps one, picked by the order it
    reads the folder (which is not documented), and never runs the other."""
    files = _and([path, *others])
    both = "both name" if len(others) == 1 else "all name"
    rest = "the other never runs" if len(others) == 1 else "the others never run"
    return (f"{files} {both} their agent \"{name}\". Claude Code loads only one of them (which one "
            f"depends on the order it reads the folder), so {rest}. Give each agent its own name.")


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


def validate(files: Mapping[str, AgentFile], unreadable: Mapping[str, str] | None = None,
             sidecar_problem: str | None = None, outside_links: Collection[str] = ()) -> list[Problem]:
    """Every problem of a team, from scratch: team-wide ones, each file's, each relation's, then
    loops. The same list, in the same order, as a Team keeps up to date while it is edited."""
    names = names_index(files)
    index = RelationIndex()
    index.rebuild(files, names)
    lines = KeyLines()
    problems = team_problems(unreadable or {}, sidecar_problem, outside_links)
    for path, f in files.items():
        problems += file_problems(f, names, index.odd_references(path), lines)
    first = {name: files[paths[0]] for name, paths in names.items()}
    problems += [relation_problem(r, first[next(iter(r.declared_by))], lines)
                 for r in index.relations() if r.one_sided]
    problems += loop_problems(handoff_loops(names, index.handoffs()), first.__getitem__, lines)
    return problems


def names_index(files: Mapping[str, AgentFile]) -> dict[str, list[str]]:
    """Agent name → the paths of the files with that name, in path order."""
    by_name: dict[str, list[str]] = {}
    for path, f in files.items():
        name = f.name
        if name:
            by_name.setdefault(name, []).append(path)
    return by_name


def team_problems(unreadable: Mapping[str, str], sidecar_problem: str | None,
                  outside_links: Collection[str] = ()) -> list[Problem]:
    """Files that cannot be read, links that lead out of the team, a damaged layout file."""
    out = [Problem("unreadable-file", "error", path, None, None, f"{path} cannot be read: {reason}")
           for path, reason in sorted(unreadable.items())]
    out += [Problem("outside-link", "warning", path, None, None,
                    f"{path} is a link to a file outside this team; it is shown, but edits are not saved "
                    "through it. Copy the file into the team to edit it here.")
            for path in sorted(outside_links)]
    if sidecar_problem:
        out.append(Problem("layout-file", "warning", ".agent-canvas.json", None, None, sidecar_problem))
    return out


def file_problems(f: AgentFile, names: Mapping[str, Sequence[str]], odd: Sequence[OddReference] = (),
                  lines: KeyLines | None = None) -> list[Problem]:
    """The problems of one file. Depends only on the file, on which names exist in the team
    (name → paths) and on the file's odd references (to itself, or to names not in the team)."""
    lines = lines or KeyLines()
    out: list[Problem] = []
    add = out.append
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
                    f"{NOT_LOADED}{f.error.message} Until it is fixed, {who} is shown read-only.", None))
    if f.lenient and f.doc is not None and f.doc.frontmatter is not None:
        add(_lenient_problem(f, name, who))
    # Values of the wrong type (set aside, so the rest of the agent still loads).
    for key, value in f.invalid.items():
        if key == "hooks" and isinstance(value, list):
            add(Problem("invalid-hooks", "error", path, lines.line(f, "hooks"), name,
                        f"{NOT_LOADED}the hooks of {who} are a list ({_short(value)}), but hooks must be "
                        "a mapping of events to commands (PreToolUse: …). Remove the hooks line or write "
                        "the hooks by event.", "hooks"))
            continue
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
                        f"{NOT_LOADED}{path} has no name, so Claude Code ignores it as documentation. "
                        f"Add a line such as \"name: {suggested_name(f.stem)}\" so Claude Code can find "
                        "this agent.", "name"))
    else:
        reason = name_problem(name)
        style = name_style_problem(name)
        if reason:
            start = NOT_LOADED + "the name" if loader_refusal(name) else "The name"
            add(Problem("invalid-name", "error", path, lines.line(f, "name"), name,
                        f"{start} \"{name}\" is not valid: {reason}.", "name"))
        elif style:
            add(Problem("name-style", "info", path, lines.line(f, "name"), name,
                        f"Claude Code loads the name \"{name}\", but it is not in the documented style: "
                        f"{style}.", "name"))
        if len(names.get(name, ())) > 1:
            others = [p for p in names[name] if p != path]
            add(Problem("duplicate-name", "error", path, lines.line(f, "name"), name,
                        duplicate_message(name, path, others), "name"))
        if name != f.stem:
            add(Problem("name-file-mismatch", "info", path, lines.line(f, "name"), name,
                        f"The agent is called {name} but its file is {f.stem}.md.", "name"))
    if not (isinstance(agent.description, str) and agent.description.strip()) \
            and "description" not in f.invalid:
        add(Problem("missing-description", "error", path, lines.line(f, "description"), name,
                    f"{NOT_LOADED}{who} has no description. Claude Code reads the description to decide when to "
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
    for key, other in odd:
        if key in ("tools", "observer"):  # Agent(...) in tools, and observers: the source's own keys
            if other == name:
                add(Problem("self-reference", "warning", path, lines.line(f, key), name,
                            f"{name} names itself under {key}; an agent cannot start or observe itself.",
                            key, other=other))
            else:
                what = f"may start {other} (Agent({other}) in tools)" if key == "tools" else \
                    f"names {other} as an observer"
                add(Problem("unknown-reference", "error", path, lines.line(f, key), name,
                            f"{name} {what}, but there is no agent called {other} in this team.",
                            key, other=other))
            continue
        field = f"coordination.{key}"
        if other == name:
            add(Problem("self-reference", "warning", path, lines.line(f, field), name,
                        f"{name} lists itself under {key}; an agent cannot hand work to or work "
                        "alongside itself.", field, other=other))
        else:
            add(Problem("unknown-reference", "error", path, lines.line(f, field), name,
                        f"{name} lists {other} under {key}, but there is no agent called {other} "
                        "in this team.", field, other=other))
    return out


def _lenient_problem(f: AgentFile, name: str | None, who: str) -> Problem:
    """The warning for a file Claude Code reads only through its fallback, on its first line the
    fallback rewrites."""
    assert f.doc is not None and f.doc.frontmatter is not None
    original = f.doc.frontmatter.split("\n")
    rewritten = (claude_code_text(f.doc.frontmatter) or "").split("\n")
    index = next((i for i, (a, b) in enumerate(zip(original, rewritten)) if a != b), 0)
    why = "is indented with a tab" if "\t" in original[index] else "has a value that YAML needs in quotes"
    line = f.doc.frontmatter_line + index
    return Problem("lenient-yaml", "warning", f.path, line, name,
                   f"Line {line} of {who} {why}. Claude Code reads this file, but other YAML tools reject "
                   "it; Repair makes it standard YAML.", None)


def relation_problem(r: Relation, f: AgentFile, lines: KeyLines | None = None) -> Problem:
    """The warning for a relation declared on one side only, on the declaring agent's line
    (`f`: the declaring agent's file)."""
    lines = lines or KeyLines()
    declarer = next(iter(r.declared_by))
    key = (r.kind, r.source, r.target)
    if r.kind == "handoff":
        if declarer == r.source:
            field = "coordination.hands_off_to"
            msg = (f"{r.source} hands work to {r.target}, but {r.target} does not list "
                   f"{r.source} under receives_from.")
            other = r.target
        else:
            field = "coordination.receives_from"
            msg = (f"{r.target} receives work from {r.source}, but {r.source} does not list "
                   f"{r.target} under hands_off_to.")
            other = r.source
        return Problem("asymmetric-handoff", "warning", f.path, lines.line(f, field), declarer, msg, field,
                       key, other)
    other = r.target if declarer == r.source else r.source
    field = "coordination.parallel_with"
    return Problem("asymmetric-parallel", "warning", f.path, lines.line(f, field), declarer,
                   f"{declarer} works in parallel with {other}, but {other} does not list "
                   f"{declarer} under parallel_with.", field, key, other)


def loop_problems(loops: Sequence[Sequence[str]], file_of: Callable[[str], AgentFile],
                  lines: KeyLines | None = None) -> list[Problem]:
    """One note per loop of hand-offs (each loop sorted, as handoff_loops gives them), on the
    first agent's line."""
    lines = lines or KeyLines()
    out = []
    for component in loops:
        first = component[0]
        f = file_of(first)
        out.append(Problem("handoff-cycle", "info", f.path, lines.line(f, "coordination.hands_off_to"), first,
                           f"{_and(list(component))} hand work to each other in a loop. That can be intended "
                           "(review and rework), but make sure the loop has a way to end.",
                           "coordination.hands_off_to"))
    return out


def suggested_name(text: str) -> str:
    """A name in the documented style (lowercase words joined by hyphens) for any text."""
    cleaned = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:MAX_NAME_LENGTH].strip("-")
    return cleaned or "my-agent"
