"""Quick fixes: for a problem, the operations that would fix it, each one undo step.

Qt-free, so the editor's Problems panel and `agent-canvas fix` offer exactly the same fixes. A
fix is worked out from the problem's facts (its relation, the other agent it names, its field),
never from its message.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from app.model.agent import name_problem
from app.model.edit import Operation
from app.model.operations import AddAgent, Batch, Link, RepairFile, SetField, Unlink
from app.model.relations import RelationKey
from app.model.team import Team
from app.model.validation import Problem, suggested_name

RELATION_KEYS = ("coordination.hands_off_to", "coordination.receives_from", "coordination.parallel_with")
FIELD_WORDS = {"hands_off_to": "hands-off-to", "receives_from": "receives-from", "parallel_with": "parallel-with"}


@dataclass(frozen=True)
class Fix:
    label: str
    op: Operation
    kind: str  # stable id of the kind of fix: "declare", "remove-relation", "remove-reference", …


def quick_fixes(team: Team, problem: Problem) -> list[Fix]:
    """The fixes for `problem`, the one to apply by default first."""
    build = _BUILDERS.get(problem.code)
    return build(team, problem) if build is not None else []


def _repair(team: Team, p: Problem) -> list[Fix]:
    if not p.file:
        return []
    return [Fix("Repair the YAML (rewrite the settings block, same meaning)", RepairFile(p.file), "repair")]


def _one_sided(team: Team, p: Problem) -> list[Fix]:
    return one_sided_fixes(team, p.relation) if p.relation is not None else []


def one_sided_fixes(team: Team, key: RelationKey) -> list[Fix]:
    """Declare the missing side, or remove the relation: the fixes of a one-sided relation
    (the Problems panel's, and the relation matrix's for a cell); none when it is not one-sided."""
    kind, source, target = key
    relation = team.relation(key)
    if relation is None or not relation.one_sided:
        return []
    declarer = next(iter(relation.declared_by))
    who = target if declarer == source else source  # the side that does not declare it
    if kind == "handoff":
        what = (f"add {source} to {who}'s receives-from" if who == target
                else f"add {target} to {who}'s hands-off-to")
        gone = f"{source} no longer hands work to {target}"
    else:
        other = source if who == target else target
        what = f"add {other} to {who}'s parallel-with"
        gone = f"{source} and {target} no longer work in parallel"
    # Link declares both sides and leaves the side already declared as it is; Unlink removes
    # the relation from both.
    return [Fix(f"Declare the missing side ({what})", Link(source, target, kind), "declare"),
            Fix(f"Remove this relation ({gone})", Unlink(source, target, kind), "remove-relation")]


def _listed(team: Team, agent: str | None, name: str | None, field: str | None) -> tuple[str, list[str]] | None:
    """(field, the names listed there) for the coordination list of `agent` naming `name`."""
    af = team.agent(agent) if agent else None
    if af is None or af.agent is None or name is None:
        return None
    keys = [field] if field in RELATION_KEYS else list(RELATION_KEYS)
    for key in keys:
        assert key is not None
        names = af.agent.coordination_list(key.split(".", 1)[1])
        if name in names:
            return key, names
    return None


def _reference(team: Team, p: Problem) -> list[Fix]:
    found = _listed(team, p.agent, p.other, p.field)
    if found is None or p.agent is None or p.other is None:
        return []
    key, names = found
    short = key.split(".", 1)[1]
    fixes = [Fix(f"Remove {p.other} from {p.agent}'s {FIELD_WORDS[short]}",
                 SetField(p.agent, key, [n for n in names if n != p.other]), "remove-reference")]
    if p.code == "unknown-reference":
        if short == "hands_off_to":
            link = Link(p.agent, p.other, "handoff")
        elif short == "receives_from":
            link = Link(p.other, p.agent, "handoff")
        else:
            link = Link(p.agent, p.other, "parallel")
        fixes.append(Fix(f"Create the agent {p.other} (and declare the relation on both sides)",
                         Batch(f"Create {p.other}", (AddAgent(p.other), link)), "create-agent"))
    return fixes


def _rename(team: Team, p: Problem) -> list[Fix]:
    if p.agent is None or team.agent(p.agent) is None:
        return []
    new = suggested_name(p.agent)
    if new == p.agent or team.agent(new) is not None or name_problem(new) is not None:
        return []
    return [Fix(f"Rename {p.agent} to {new}", SetField(p.agent, "name", new), "rename")]


_BUILDERS: dict[str, Callable[[Team, Problem], list[Fix]]] = {
    "yaml-error": _repair,
    "asymmetric-handoff": _one_sided,
    "asymmetric-parallel": _one_sided,
    "unknown-reference": _reference,
    "self-reference": _reference,
    "invalid-name": _rename,
    "name-style": _rename,
    "lenient-yaml": _repair,
}


@dataclass(frozen=True)
class FixReport:
    applied: list[tuple[Problem, Fix]]
    skipped: list[tuple[Problem, str]]  # (problem, why in plain words)


def fix_all(team: Team, codes: Iterable[str] | None = None, agent: str | None = None,
            kind: str | None = None) -> FixReport:
    """Apply the default fix (or the fix of `kind`) of every problem matching `codes` and
    `agent`, one after another, each as its own operation: a fix can make another problem go
    away (declaring a hand-off back fixes both sides' notes), so problems are looked up again
    after each one. Returns what was applied and what was left, and why."""
    from app.model.operations import OperationError

    wanted = set(codes) if codes else None
    applied: list[tuple[Problem, Fix]] = []
    skipped: list[tuple[Problem, str]] = []
    tried: set[Problem] = set()
    while True:
        todo = [p for p in team.problems if p not in tried and (wanted is None or p.code in wanted)
                and (agent is None or p.agent == agent or p.other == agent)]
        if not todo:
            break
        problem = todo[0]
        tried.add(problem)
        fixes = quick_fixes(team, problem)
        fix = next((f for f in fixes if kind is None or f.kind == kind), None)
        if fix is None:
            skipped.append((problem, "no automatic fix" if not fixes else f"no fix of the kind {kind}"))
            continue
        try:
            team.apply(fix.op)
        except OperationError as e:
            skipped.append((problem, str(e)))
            continue
        applied.append((problem, fix))
    return FixReport(applied, skipped)
