"""What every command shares: exit codes, the error it stops with, loading a team, and
showing its files and problems the same way."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

EXIT_OK = 0


EXIT_FAILED = 1


EXIT_CANNOT_RUN = 2


class CliError(Exception):
    """A plain-English reason the command stopped; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code


class _Display:
    """How file paths are shown. When DIR is a project whose agents are in .claude/agents, they
    are shown relative to DIR (".claude/agents/a.md"), so what a command prints can be found from
    where it was given. One command runs per process, so one shared setting is enough."""

    prefix = ""


DISPLAY = _Display()


def _shown(rel: str) -> str:
    return DISPLAY.prefix + rel


def _load_team(folder: str, project: bool = True):
    """The team in `folder` (`project`: or in its .claude/agents, see team_folder)."""
    DISPLAY.prefix = ""
    root = Path(folder)
    try:
        if not root.exists():
            if root.is_symlink():
                raise CliError(f"{folder} is a symbolic link that points nowhere (or loops).", EXIT_CANNOT_RUN)
            raise CliError(f"There is no folder at {folder}.", EXIT_CANNOT_RUN)
        if not root.is_dir():
            raise CliError(f"{folder} is a file, not a folder. Give the folder that holds the agent files.",
                           EXIT_CANNOT_RUN)
    except OSError as e:  # e.g. a symlink loop, a path that is too long
        raise CliError(f"Cannot open {folder}: {e.strerror or e}.", EXIT_CANNOT_RUN) from None
    from app.model.team import Team, TeamError, team_folder

    inner = team_folder(root) if project else root
    if inner != root:  # a project folder: its agents are in .claude/agents
        print(f"agent-canvas: reading the agents in {inner}", file=sys.stderr)
        DISPLAY.prefix = inner.relative_to(root).as_posix() + "/"
    try:
        team = Team.load(inner)
    except TeamError as e:
        raise CliError(str(e), EXIT_CANNOT_RUN) from None
    except OSError as e:
        raise CliError(f"Cannot read the folder {folder}: {e.strerror or e}.", EXIT_CANNOT_RUN) from None
    if team.recovered:
        print(f"agent-canvas: {team.recovered}", file=sys.stderr)
    return team


def _agent_count(team) -> int:
    return sum(1 for f in team.files.values() if f.agent is not None)


def _relative(team, file: str | None) -> str | None:
    if not file:
        return file
    if not os.path.isabs(file):  # what problems name: a POSIX path inside the team, as it is shown
        return DISPLAY.prefix + file  # (no Path per problem: 58,000 of them cost a second)
    p = Path(file)
    try:
        return DISPLAY.prefix + p.relative_to(team.root).as_posix()
    except ValueError:
        return p.as_posix()


_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def summary(team) -> str:
    """'12 agents, 0 errors, 2 warnings' (+ notes when there are any)."""
    counts = {"error": 0, "warning": 0, "info": 0}
    for p in team.problems:
        counts[p.severity] = counts.get(p.severity, 0) + 1
    text = f"{_plural(_agent_count(team), 'agent')}, {_plural(counts['error'], 'error')}, " \
           f"{_plural(counts['warning'], 'warning')}"
    if counts["info"]:
        text += f", {_plural(counts['info'], 'note')}"
    return text


def _sorted_problems(team) -> list:
    return sorted(
        team.problems,
        key=lambda p: (_shown(p.file) if p.file else "", p.line or 0, _SEVERITY_ORDER.get(p.severity, 3), p.code),
    )


def _print_problems(team, problems: Sequence, out: TextIO) -> None:
    """Problems grouped by file, errors first within a line: file, then one indented line each."""
    by_file: dict[str, list] = {}
    for p in problems:
        by_file.setdefault(_relative(team, p.file) or "(team)", []).append(p)
    for file, items in by_file.items():
        print(file, file=out)
        for p in items:
            where = f"line {p.line}" if p.line else ""
            print(f"  {where:<9} {p.severity:<7} {p.code:<20} {p.message}", file=out)


def _problem_key(team, p) -> tuple:
    return (p.code, p.severity, _relative(team, p.file), p.agent, p.message)


def _apply_and_save(team, op, out: TextIO, trash: bool = True) -> int:
    from app.model.operations import OperationError

    before = {_problem_key(team, p) for p in team.problems}
    paths_before = set(team.files)
    try:
        team.apply(op)
    except OperationError as e:
        raise CliError(f"{e} Nothing was changed.") from None
    changed = sorted(path for path, f in team.files.items() if f.dirty)
    moved = _moved_away(team)
    failures = team.save(op.label[:1].lower() + op.label[1:], trash=trash)
    if failures:
        for failure in failures:
            print(f"agent-canvas: {_failure_text(failure)}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{op.label}.", file=out)
    for path in changed:
        print(f"  wrote {_shown(path)}", file=out)
    for path in sorted(paths_before - set(team.files)):
        trashed = trash and path not in moved
        print(f"  moved {_shown(path)} to the trash" if trashed else f"  removed {_shown(path)}", file=out)
    new = [p for p in _sorted_problems(team)
           if p.severity in ("error", "warning") and _problem_key(team, p) not in before]
    if new:
        print("This change left the team with:", file=out)
        _print_problems(team, new, out)
    return EXIT_OK


def _failure_text(failure) -> str:
    path = getattr(failure, "path", None)
    message = getattr(failure, "message", None) or getattr(failure, "reason", None) or str(failure)
    return f"{path}: {message}" if path else str(message)


def _require_agent(team, name: str) -> None:
    if team.agent(name) is None:
        names = team.names()
        hint = ""
        close = [n for n in names if name in n or n in name][:3]
        if close:
            hint = " Did you mean " + " or ".join(close) + "?"
        raise CliError(f"There is no agent named {name!r} in {team.root}.{hint}")


def _refuse_invalid_files(team, names: Sequence[str]) -> None:
    """An agent whose file is not valid YAML is read-only until repaired: say where and why."""
    for name in names:
        f = team.agent(name)
        if f is not None and f.error is not None:
            line = f" line {f.error.line}" if f.error.line else ""
            raise CliError(
                f"{_shown(f.path)}{line}: the frontmatter is not valid YAML, so {name} cannot be edited "
                f"({f.error.message}). Fix it by hand or run `agent-canvas repair "
                f"{Path(team.root, f.path)}` first; the file was left as it was."
            )


def _moved_away(team) -> set[str]:
    """Removed files whose content moved to a new file (a rename): unlinked, not trashed."""
    from app.model.disk import Step, moved_away

    new = [Step(p, f.text.encode("utf-8"), None) for p, f in team.files.items() if f.disk is None]
    return moved_away(new + [Step(p, None, data) for p, data in team.removed_files().items()])
