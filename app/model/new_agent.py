"""The rules of the guided new-agent dialog, without Qt: a name suggested from plain words, the
checks that keep a half-made agent out of the team, the plain model and tool choices, the
starting points (the sample team's roles, or a copy of any agent) and the one operation that
creates it all (one undo step).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from app.io.document import UnreadableFile, decode, parse_document, read_bytes
from app.io.reader import read_frontmatter
from app.model import operations as ops
from app.model.agent import DOCUMENTED_COLORS, name_problem, name_style_problem, split_names
from app.model.layout import free_spot

if TYPE_CHECKING:
    from app.model.team import Team

Point = tuple[float, float]

# Words that say nothing about what the agent does: left out of a suggested name.
FILLER = frozenset(w for w in """a an the and or but to of for with in on at by from into that which who
whose this these those my our your their its it is are be will can should would please i we you
me us them agent assistant helper something someone""".split())  # noqa: SIM905 - a word list reads better as text
MAX_NAME_WORDS = 4
MAX_NAME_LENGTH = 48

# (label shown, the value written, what it means): by meaning, not by model id.
MODELS: tuple[tuple[str, str, str], ...] = (
    ("Balanced", "sonnet", "good for most work"),
    ("Fastest", "haiku", "quick, simple jobs; costs least"),
    ("Most capable", "opus", "hard problems; slower and costs most"),
    ("Same as the main session", "inherit", "whatever model Claude is using when it asks"),
)

# Plain groups of Claude Code tools. "Everything" leaves the tools key out: all tools.
TOOL_GROUPS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("read", "Read files", ("Read", "Grep", "Glob")),
    ("edit", "Edit files", ("Edit", "MultiEdit", "Write")),
    ("run", "Run commands", ("Bash",)),
    ("web", "Search the web", ("WebSearch", "WebFetch")),
)
EVERYTHING = "everything"

DESCRIPTION_EXAMPLE = ("Answers customer questions about orders, refunds and delivery using the help "
                       "centre articles. Use when a customer writes in with a question or complaint.")
MIN_DESCRIPTION = 20  # characters: less cannot say what the agent does and when to use it
WHEN_WORDS = re.compile(r"\b(use|when|whenever|after|before|for any|if)\b", re.IGNORECASE)


def suggest_name(purpose: str, taken: Iterable[str] = ()) -> str:
    """A valid agent name from plain words: "Customer Support Bot" → customer-support-bot; the
    first few meaningful words, and -2, -3… when the name is taken."""
    ascii_text = unicodedata.normalize("NFKD", purpose).encode("ascii", "ignore").decode("ascii")
    words = [w for w in re.split(r"[^a-z0-9]+", ascii_text.lower()) if w]
    meaningful = [w for w in words if w not in FILLER] or words
    name = ""
    for word in meaningful[:MAX_NAME_WORDS]:
        candidate = f"{name}-{word}" if name else word
        if len(candidate) > MAX_NAME_LENGTH:
            break
        name = candidate
    name = name or (meaningful[0][:MAX_NAME_LENGTH] if meaningful else "") or "new-agent"
    taken = set(taken)
    if name not in taken:
        return name
    n = 2
    while f"{name}-{n}" in taken:
        n += 1
    return f"{name}-{n}"


def name_message(name: str, team: Team) -> str | None:
    """Why `name` cannot be the new agent's name, as a sentence; None when it can."""
    # A new agent keeps to the documented style too (Claude Code would load other names, but a
    # guided flow should not start a team on one it flags).
    reason = name_problem(name) or name_style_problem(name)
    if reason:
        return "Type a name." if name.strip() == "" else reason[:1].upper() + reason[1:] + "."
    if team.agent(name) is not None:
        return f"There is already an agent called {name} in this team."
    if team.path_taken(f"{name}.md") or (team.root / f"{name}.md").exists():
        return f"The team folder already has a file called {name}.md."
    return None


def description_message(text: str, template_description: str = "") -> str | None:
    """Why the description cannot be used yet; None when it can. A placeholder, or the starting
    agent's own words unchanged, would tell Claude nothing about this agent."""
    text = text.strip()
    if not text:
        return "Say what the agent does and when Claude should use it."
    placeholders = {t["description"] for t in ops.TEMPLATES.values()} | {DESCRIPTION_EXAMPLE}
    if text in placeholders:
        return "That is the example text; describe this agent in your own words."
    if template_description and text == template_description.strip():
        return "That is still the description of the agent you started from; say what this one does."
    if len(text) < MIN_DESCRIPTION:
        return "Say a little more: what the agent does, and when Claude should use it."
    return None


def description_hint(text: str) -> str | None:
    """A gentle hint (not a refusal) when the description never says when to use the agent."""
    if text.strip() and not WHEN_WORDS.search(text):
        return "Tip: say when Claude should use it, for example “Use when …”."
    return None


def tools_for(groups: Iterable[str]) -> list[str] | None:
    """The tool list for the chosen groups; None (the key left out: all tools) for everything."""
    chosen = set(groups)
    if EVERYTHING in chosen:
        return None
    return [tool for key, _label, tools in TOOL_GROUPS if key in chosen for tool in tools]


def groups_for(tools: Sequence[str] | None) -> set[str]:
    """The groups that cover `tools` (for a starting point's tools); None = everything."""
    if tools is None:
        return {EVERYTHING}
    have = set(tools)
    return {key for key, _label, group in TOOL_GROUPS if have & set(group)}


@dataclass(frozen=True)
class Starter:
    """A starting point: a blank agent, a sample-team role or a copy of an agent of this team."""

    label: str
    source: str = ""        # the agent name it was copied from ("" for blank)
    description: str = ""
    model: str = "sonnet"
    tools: tuple[str, ...] | None = ("Read", "Grep", "Glob")
    color: str | None = None
    body: str = ""


BLANK = Starter("A blank agent")


def _starter(label: str, data: dict, body: str) -> Starter | None:
    name = data.get("name")
    if not isinstance(name, str) or not name:
        return None
    tools = data.get("tools")
    tool_list = tuple(split_names(tools)) if tools is not None else None
    model = data.get("model")
    color = data.get("color")
    description = data.get("description")
    return Starter(label, name, description if isinstance(description, str) else "",
                   model if isinstance(model, str) else "inherit", tool_list,
                   color if isinstance(color, str) else None, body)


def sample_starters(folder: Path) -> list[Starter]:
    """The sample team's roles as starting points (files that cannot be read are left out)."""
    out: list[Starter] = []
    for path in sorted(Path(folder).glob("*.md")):
        try:
            doc = parse_document(decode(read_bytes(path)))
        except (UnreadableFile, OSError):
            continue
        fm = read_frontmatter(doc.frontmatter or "", doc.frontmatter_line)
        if fm.data is None:
            continue
        starter = _starter(f"Sample role: {fm.data.get('name')}", fm.data, doc.body.lstrip("\n"))
        if starter is not None:
            out.append(starter)
    return out


def team_starters(team: Team) -> list[Starter]:
    """A copy of each valid agent of the team as a starting point."""
    out: list[Starter] = []
    for name in team.names():
        f = team.agent(name)
        if f is None or not f.editable or f.data is None or f.doc is None:
            continue
        starter = _starter(f"A copy of {name}", f.data, f.doc.body.lstrip("\n"))
        if starter is not None:
            out.append(starter)
    return out


def starter_body(starter: Starter, name: str, purpose: str) -> str:
    """The new agent's instructions, with its final name: a copy's text with the old name
    replaced, or a short plan built from the purpose."""
    if starter.body.strip():
        if starter.source:
            return re.sub(rf"(?<![\w-]){re.escape(starter.source)}(?![\w-])", name, starter.body)
        return starter.body
    purpose = purpose.strip().rstrip(".")
    goal = f" What you do: {purpose}." if purpose else ""
    return (f"You are {name}.{goal}\n\n## How you work\n\n1. Read what you were given and ask for "
            "anything missing.\n2. Do the task, step by step.\n3. Say what you did and what is left "
            "to check.\n")


@dataclass(frozen=True)
class NewAgent:
    """Everything the dialog asks for."""

    purpose: str
    name: str
    description: str
    model: str = "sonnet"
    tools: tuple[str, ...] | None = ("Read", "Grep", "Glob")
    color: str | None = None
    starter: Starter = BLANK


def problems(spec: NewAgent, team: Team) -> dict[str, str]:
    """field → why it stops the agent being created (empty: it can be created)."""
    out: dict[str, str] = {}
    name = name_message(spec.name, team)
    if name:
        out["name"] = name
    description = description_message(spec.description, spec.starter.description)
    if description:
        out["description"] = description
    if spec.tools is not None and not spec.tools:
        out["tools"] = "Choose at least one kind of tool, or Everything."
    if spec.color is not None and spec.color not in DOCUMENTED_COLORS:
        out["color"] = f"Choose one of the colours: {', '.join(DOCUMENTED_COLORS)}."
    return out


def create_operation(spec: NewAgent, team: Team, near: Point | None = None) -> ops.Batch:
    """The one operation (one undo step) that adds the agent with all its fields, its card in the
    free space nearest to `near` (None: no position; the editor places it when it opens).
    Raises OperationError when `problems` finds any."""
    found = problems(spec, team)
    if found:
        raise ops.OperationError(" ".join(found.values()))
    position = free_spot(team.positions.values(), near) if near is not None else None
    name = spec.name
    steps: list[ops.Operation] = [
        ops.AddAgent(name, spec.description.strip(), position=position),
        ops.SetField(name, "model", spec.model),
    ]
    if spec.tools is not None:
        # Written as Claude Code's documentation and the sample team write it: "Read, Grep, Glob".
        steps.append(ops.SetField(name, "tools", ", ".join(spec.tools)))
    if spec.color:
        steps.append(ops.SetField(name, "color", spec.color))
    steps.append(ops.SetBody(name, "\n" + starter_body(spec.starter, name, spec.purpose)))
    return ops.Batch(f"Add agent {name}", tuple(steps))
