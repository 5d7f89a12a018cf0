"""Generate a large, seed-like team of agent files for benchmarks.

Every file looks like a real agent definition in the seed's format: name, a one-sentence
description, a comma-separated tools string, model, color, and a `coordination:` block with
three to five hand-offs and parallel partners among the generated names, followed by a long
Markdown body (about as long as the seed's). Relations are declared on both sides unless
`one_sided` asks for some that are not, so `validate` on a generated team reports no warnings
by default. With `--one-sided F` that fraction of hand-offs lacks the matching receives_from
and that fraction of parallel partners the line back: at 0.8 about six warnings per agent (the
team benchmarks/validate.py times). Output is deterministic for a given seed.

With `--messy` it looks more like a real collection: the agents are spread over a few
subfolders (by role family) and about one file in a hundred is broken the ways real ones are
(frontmatter that is not YAML, no description, an unknown model, a notes file without
frontmatter, a name that does not match the file).

    python benchmarks/generate.py DIR N [--seed S] [--body-lines L] [--one-sided F] [--messy]

Other benchmarks import `generate_team`.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

ROLES = (
    "backend-specialist", "frontend-specialist", "api-designer", "database-specialist",
    "test-engineer", "code-reviewer", "security-auditor", "devops-engineer",
    "performance-optimizer", "docs-sync-agent", "code-architect", "project-manager",
    "data-analyst", "migration-specialist", "release-manager", "ui-designer",
)
TOOLS = ("Read", "Write", "Edit", "MultiEdit", "Bash", "Grep", "Glob", "TodoWrite", "WebFetch", "WebSearch")
MODELS = ("sonnet", "sonnet", "sonnet", "opus", "haiku", "inherit")
COLORS = ("red", "blue", "green", "yellow", "purple", "orange", "pink", "cyan")

_TOPICS = (
    "request handling", "data access", "caching", "authentication", "background jobs", "observability",
    "error handling", "configuration", "deployment", "schema changes", "API contracts", "test fixtures",
    "accessibility", "dependency updates", "rate limiting", "search indexing", "file uploads", "billing",
)
_FRAMEWORKS = (
    "Express", "FastAPI", "Django", "Spring Boot", "Gin", "Rails", "Laravel", "ASP.NET Core", "NestJS",
    "Flask", "Phoenix", "Actix", "Next.js", "SvelteKit", "Vue", "React", "PostgreSQL", "Redis", "Kafka",
)
_VERBS = ("Design", "Implement", "Review", "Measure", "Document", "Refactor", "Validate", "Monitor", "Plan")
_OBJECTS = (
    "service boundaries", "input validation", "retry policies", "index coverage", "release notes",
    "error budgets", "feature flags", "migration steps", "access rules", "query plans", "test data",
)


def agent_names(n: int) -> list[str]:
    return [f"{ROLES[i % len(ROLES)]}-{i:05d}" for i in range(n)]


def _relations(n: int, rng: random.Random, one_sided: float):
    """hands_off_to / receives_from / parallel_with per agent index, mostly declared on both sides."""
    hands: list[list[int]] = [[] for _ in range(n)]
    receives: list[list[int]] = [[] for _ in range(n)]
    parallel: list[list[int]] = [[] for _ in range(n)]
    if n < 2:
        return hands, receives, parallel
    window = min(n - 1, 60)
    for i in range(n):
        targets = rng.sample(range(1, window + 1), min(window, rng.randint(3, 5)))
        for step in targets:
            j = (i + step) % n
            if j in hands[i]:
                continue
            hands[i].append(j)
            if rng.random() >= one_sided:
                receives[j].append(i)
    for i in range(n):
        wanted = rng.randint(3, 5)
        for step in rng.sample(range(1, window + 1), min(window, 8)):
            if len(parallel[i]) >= wanted:
                break
            j = (i + step) % n
            if j == i or j in parallel[i] or len(parallel[j]) >= 5:
                continue
            parallel[i].append(j)
            if rng.random() >= one_sided:
                parallel[j].append(i)
    return hands, receives, parallel


def _body(name: str, rng: random.Random, lines: int) -> str:
    role = name.rsplit("-", 1)[0].replace("-", " ")
    out = [
        "",
        "## Purpose",
        "",
        (f"The {role} owns {rng.choice(_TOPICS)} and {rng.choice(_TOPICS)} for the team, from the first "
         f"design note to the change that ships. It works in {rng.choice(_FRAMEWORKS)} and "
         f"{rng.choice(_FRAMEWORKS)} codebases and follows the conventions it finds there."),
        "",
    ]
    section = 0
    while len(out) < lines:
        section += 1
        topic = rng.choice(_TOPICS)
        out += [f"## {section}. {topic.capitalize()}", ""]
        for _ in range(rng.randint(2, 4)):
            out += [f"### {rng.choice(_VERBS)} {rng.choice(_OBJECTS)}", ""]
            for _ in range(rng.randint(4, 8)):
                out.append(
                    f"- **{rng.choice(_FRAMEWORKS)}**: {rng.choice(_VERBS).lower()} {rng.choice(_OBJECTS)} "
                    f"for {topic}, then {rng.choice(_VERBS).lower()} {rng.choice(_OBJECTS)}"
                )
            out.append("")
        if section % 3 == 0:
            out += ["```bash", f"make check TOPIC={topic.replace(' ', '-')}", "```", ""]
    return "\n".join(out[:lines]) + "\n"


def _flow(names: list[str]) -> str:
    return "[" + ", ".join(names) + "]"


def agent_text(i: int, names: list[str], rng: random.Random, relations, body_lines: int) -> str:
    hands, receives, parallel = relations
    name = names[i]
    role = name.rsplit("-", 1)[0].replace("-", " ")
    tools = ", ".join(rng.sample(TOOLS, rng.randint(3, 8)))
    lines = [
        "---",
        f"name: {name}",
        (f"description: Expert {role} focused on {rng.choice(_TOPICS)} and {rng.choice(_TOPICS)}. "
         f"Auto-invoked for {rng.choice(_TOPICS)} tasks, {rng.choice(_OBJECTS)} and {rng.choice(_OBJECTS)}."),
        f"tools: {tools}",
        f"model: {rng.choice(MODELS)}",
        f"color: {COLORS[i % len(COLORS)]}",
    ]
    coordination = [
        (key, [names[j] for j in indices])
        for key, indices in (("hands_off_to", hands[i]), ("receives_from", receives[i]),
                             ("parallel_with", parallel[i]))
        if indices
    ]
    if coordination:
        lines.append("coordination:")
        lines += [f"  {key}: {_flow(value)}" for key, value in coordination]
    lines.append("---")
    return "\n".join(lines) + "\n" + _body(name, rng, body_lines)


SUBFOLDERS = {"backend": "engineering", "frontend": "engineering", "api": "engineering",
              "database": "data", "data": "data", "migration": "data", "devops": "operations",
              "release": "operations", "security": "operations"}


def _subfolder(name: str) -> str:
    return SUBFOLDERS.get(name.split("-", 1)[0], "")


def _broken(i: int, name: str, text: str) -> str:
    """One of the ways real agent files go wrong, by turns."""
    kind = i % 5
    if kind == 0:  # frontmatter that is not YAML
        return text.replace("\ncolor:", "\ncolor: [unclosed\nbroken:", 1)
    if kind == 1:  # no description
        return "\n".join(ln for ln in text.split("\n") if not ln.startswith("description:"))
    if kind == 2:
        return text.replace("\nmodel: ", "\nmodel: gpt-legacy-", 1)
    if kind == 3:  # notes kept beside the agents
        return f"# Notes about {name}\n\nNo frontmatter here, just a to-do list.\n"
    return text.replace(f"\nname: {name}\n", f"\nname: {name}-renamed\n", 1)


def generate_team(
    folder: str | Path, n: int, *, seed: int = 1, body_lines: int = 400, one_sided: float = 0.0,
    messy: bool = False,
) -> list[Path]:
    """Write n agent files into folder (created if needed); returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    names = agent_names(n)
    relations = _relations(n, rng, one_sided)
    paths = []
    for i, name in enumerate(names):
        path = folder / _subfolder(name) / f"{name}.md" if messy else folder / f"{name}.md"
        text = agent_text(i, names, rng, relations, body_lines)
        if messy and i % 100 == 50:
            text = _broken(i // 100, name, text)
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", metavar="DIR")
    parser.add_argument("n", type=int, metavar="N")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--body-lines", type=int, default=400)
    parser.add_argument("--one-sided", type=float, default=0.0,
                        help="fraction of relations declared on one side only (0..1)")
    parser.add_argument("--messy", action="store_true",
                        help="subfolders and about 1 %% broken files, as in real collections")
    args = parser.parse_args(argv)
    paths = generate_team(args.folder, args.n, seed=args.seed, body_lines=args.body_lines,
                          one_sided=args.one_sided, messy=args.messy)
    print(f"wrote {len(paths)} agents to {args.folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
