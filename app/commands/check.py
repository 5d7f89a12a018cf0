"""Commands that check a team or report on it: validate, export, fix, schema."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from app.commands.common import (
    DISPLAY,
    EXIT_CANNOT_RUN,
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    _agent_count,
    _failure_text,
    _load_team,
    _plural,
    _print_problems,
    _relative,
    _require_agent,
    _shown,
    _sorted_problems,
    summary,
)

_FAIL_ON = {"error": ("error",), "warning": ("error", "warning"), "never": ()}


def _validate_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("paths", metavar="DIR", nargs="*", help="the team folder (with --files: agent files)")
    p.add_argument("--files", action="store_true",
                   help="the arguments are agent files: validate the teams they belong to, each once "
                        "(what a pre-commit hook passes)")
    p.add_argument("--format", choices=("text", "json", "github", "sarif"), default="text",
                   help="text (default), json, github (workflow commands: annotations on a pull "
                        "request) or sarif (2.1.0, for code scanning)")
    p.add_argument("--json", action="store_const", dest="format", const="json", help="the same as --format json")
    p.add_argument("--fail-on", choices=tuple(_FAIL_ON), default="error",
                   help="exit 1 when there are problems this serious or worse (default: error)")


def cmd_validate(args, out: TextIO) -> int:
    from app import report_formats
    from app.model.folder import team_of

    if not args.files:
        if len(args.paths) != 1:
            raise CliError("Give one team folder to check (DIR), or --files FILE... to check the teams "
                           "of some agent files.", EXIT_CANNOT_RUN)
        targets = [(args.paths[0], args.paths[0])]
    else:
        if not args.paths:
            raise CliError("Give the agent files to check after --files.", EXIT_CANNOT_RUN)
        for path in args.paths:
            if os.path.isdir(path):
                raise CliError(f"{path} is a folder; with --files give agent files (or leave out --files "
                               "to check a team folder).", EXIT_CANNOT_RUN)
        folders = dict.fromkeys(team_of(f) for f in args.paths)  # each team once, in the order given
        # A team whose folder is gone (all its files deleted) has nothing left to check; "": paths
        # are shown as given.
        targets = [(folder, "") for folder in folders if os.path.isdir(folder)]
    agents = 0
    severities: set[str] = set()
    rows: list[tuple[str | None, Any]] = []
    for folder, base in targets:
        team = _load_team(folder, project=not args.files)
        if args.files:
            DISPLAY.prefix = Path(folder).as_posix() + "/"
        problems = _sorted_problems(team)
        agents += _agent_count(team)
        severities.update(p.severity for p in problems)
        if args.format == "text":
            _print_problems(team, problems, out)
            if problems:
                print(file=out)
            print(f"{DISPLAY.prefix[:-1]}: {summary(team)}" if args.files else summary(team), file=out)
        elif args.format == "json":
            rows += [(_relative(team, p.file), p) for p in problems]
        else:
            rows += [(report_formats.ci_path(base, _relative(team, p.file)), p) for p in problems]
    code = EXIT_FAILED if severities.intersection(_FAIL_ON[args.fail_on]) else EXIT_OK
    if args.format == "json":
        report_formats.write_json(out, agents, rows)
    elif args.format == "github":
        report_formats.write_github(out, rows)
    elif args.format == "sarif":
        report_formats.write_sarif(out, rows, code)
    return code


def cmd_export(args, out: TextIO) -> int:
    from app.model import export

    team = _load_team(args.folder)
    render: Callable[[Any], str] = {
        "mermaid": export.to_mermaid,
        "dot": export.to_dot,
        "json": export.to_json,
    }[args.format]
    text = render(team)
    if not text.endswith("\n"):
        text += "\n"
    if args.output is None:
        out.write(text)
        return EXIT_OK
    from app.io.atomic import WriteError, atomic_write

    target = Path(args.output)
    _refuse_team_file(target, team, args.output)
    try:
        exists = target.exists() or target.is_symlink()
        if exists and not target.exists():
            raise CliError(f"{args.output} is a link that points nowhere; nothing was written.")
        if exists and not target.is_file():
            raise CliError(f"{args.output} is a folder (or not a regular file); nothing was written. "
                           "Give a file name for the export.")
        if exists and not args.force:
            raise CliError(f"{args.output} already exists; nothing was written. Add --force to replace it.")
        expected = target.read_bytes() if exists else None
    except OSError as e:
        raise CliError(f"Cannot write {args.output}: {e.strerror or e}.") from None
    try:
        # expected=None when the file was not there: one created meanwhile is refused, not replaced.
        atomic_write(target, text.encode("utf-8"), expected=expected)
    except WriteError as e:
        raise CliError(f"Cannot write {args.output}: {e}") from None
    print(f"Wrote {args.output} ({args.format}, {_plural(_agent_count(team), 'agent')}).", file=out)
    return EXIT_OK


# Windows and macOS file systems ignore case by default, so API-Designer.md there is the file
# api-designer.md. Folding case where it is not needed only refuses more names, never fewer.
_CASE_INSENSITIVE = os.name == "nt" or sys.platform == "darwin"


def _same_path_key(path: Path) -> str:
    """`path` with links resolved, as the file system compares names."""
    real = os.path.normcase(os.path.realpath(path))
    return real.casefold() if _CASE_INSENSITIVE else real


def _refuse_team_file(target: Path, team, shown: str) -> None:
    """An export never replaces one of the team's agent files or its layout file, even with --force."""
    from app.model.sidecar import SIDECAR

    protected = {team.path_of(rel): f"the agent file {rel}" for rel in [*team.files, *team.unreadable]}
    protected[team.root / SIDECAR] = f"the team's layout file {SIDECAR}"
    key = _same_path_key(target)
    for path, what in protected.items():
        same = _same_path_key(path) == key
        if not same:
            try:  # the same file under another name: a case-insensitive disk on Linux, a hard link
                same = os.path.samefile(target, path)
            except OSError:  # either is missing (or unreadable): not one file
                pass
        if same:
            raise CliError(f"{shown} is {what} of this team; export never writes over the team's files, "
                           "even with --force. Nothing was written; choose another file name.")


def cmd_fix(args, out: TextIO) -> int:
    from app.model.fixes import fix_all
    from app.model.validation import CODES

    unknown = sorted(set(args.code or ()) - set(CODES))
    if unknown:
        raise CliError(f"There is no problem code {unknown[0]!r} (codes: {', '.join(sorted(CODES))}).",
                       EXIT_CANNOT_RUN)
    team = _load_team(args.folder)
    if args.agent is not None:
        _require_agent(team, args.agent)
    paths_before = set(team.files)
    report = fix_all(team, args.code, args.agent, "remove-relation" if args.remove else None)
    if not report.applied:
        print("Nothing to fix automatically." if not report.skipped else
              f"Nothing was fixed: {_plural(len(report.skipped), 'problem')} need a decision by hand.", file=out)
        return EXIT_OK
    changed = sorted(path for path, f in team.files.items() if f.dirty)
    failures = team.save()
    if failures:
        for failure in failures:
            print(f"agent-canvas: {_failure_text(failure)}", file=sys.stderr)
        return EXIT_FAILED
    print(f"Fixed {_plural(len(report.applied), 'problem')}:", file=out)
    for _problem, fix in report.applied:
        print(f"  {fix.label}", file=out)
    for path in changed:
        print(f"  wrote {_shown(path)}", file=out)
    for path in sorted(paths_before - set(team.files)):
        print(f"  removed {_shown(path)}", file=out)
    if report.skipped:
        print(f"Left for you: {_plural(len(report.skipped), 'problem')} with no automatic fix "
              "(agent-canvas validate lists them).", file=out)
    print(summary(team), file=out)
    return EXIT_OK


def cmd_schema(args, out: TextIO) -> int:
    """The JSON Schema made from app/model/agent.py's models, for `# yaml-language-server: $schema=`."""
    from app.model.agent_schema import frontmatter_schema

    text = json.dumps(frontmatter_schema(), indent=2, ensure_ascii=False) + "\n"
    if args.output is None:
        out.write(text)
        return EXIT_OK
    target = Path(args.output)
    if target.suffix.lower() == ".md":  # a slip of the keyboard must not replace an agent file
        raise CliError(f"{args.output} is a Markdown file, like an agent's; write the schema to a "
                       ".json file instead.")
    from app.io.atomic import WriteError, atomic_write

    try:
        atomic_write(target, text.encode("utf-8"), expected=target.read_bytes() if target.is_file() else None)
    except (OSError, WriteError) as e:
        raise CliError(f"Cannot write {args.output}: {getattr(e, 'strerror', None) or e}") from None
    print(f"Wrote {args.output}.", file=out)
    return EXIT_OK


def cmd_list(args, out: TextIO) -> int:
    """Every agent Claude Code would see when started in DIR (app/model/scopes.py), which
    definition wins a name, and which files it would skip."""
    from app.model.scopes import visible_agents

    start = Path(args.folder)
    if not start.is_dir():
        raise CliError(f"There is no folder at {args.folder}.", EXIT_CANNOT_RUN)
    agents = visible_agents(start)
    if args.json:
        rows = [{"name": a.name, "scope": a.scope, "file": str(a.file), "active": a.active,
                 "shadowed_by": str(a.shadowed_by) if a.shadowed_by else None, "skipped": a.skipped}
                for a in agents]
        out.write(json.dumps({"agents": rows}, indent=2, ensure_ascii=False) + "\n")
        return EXIT_OK
    if not agents:
        print(f"Claude Code would see no agents when started in {args.folder}.", file=out)
        return EXIT_OK
    width = max(len(a.name) for a in agents)
    for a in agents:
        note = ("" if a.active else f"  (skipped: {a.skipped})" if a.skipped
                else f"  (overridden by {a.shadowed_by})")
        print(f"{a.name:<{width}}  {a.scope:<8} {a.file}{note}", file=out)
    active = sum(a.active for a in agents)
    print(f"\n{_plural(active, 'agent')} active, {_plural(len(agents) - active, 'definition')} overridden or "
          "skipped.", file=out)
    return EXIT_OK
