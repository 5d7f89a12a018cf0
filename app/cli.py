"""The command line: every edit the editor makes, scriptable.

Each subcommand loads the team, turns its arguments into one model operation, applies it and
saves — the same path the editor's undo stack takes, so the two can never disagree. Exit codes:
0 done (or no errors found), 1 refused or errors found, 2 the command cannot run at all.

Nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

import yaml

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_CANNOT_RUN = 2


class CliError(Exception):
    """A plain-English reason the command stopped; `code` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILED):
        super().__init__(message)
        self.code = code


# ---------------------------------------------------------------------------------------------
# Arguments


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as CliError instead of exiting the interpreter."""

    def error(self, message: str) -> NoReturn:
        raise CliError(f"{message}\n{self.format_usage().rstrip()}", EXIT_CANNOT_RUN)

    def exit(self, status: int = 0, message: str | None = None) -> NoReturn:
        if message:
            print(message, file=sys.stderr, end="")
        raise _Exit(status)


class _Exit(Exception):
    def __init__(self, status: int):
        super().__init__(status)
        self.status = status


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="agent-canvas", description="Check and edit a team of agent files.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser("validate", help="report problems in a team folder")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--json", action="store_true", help="machine-readable output")

    p = sub.add_parser("export", help="write the team's graph as Mermaid, Graphviz dot or JSON")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--format", required=True, choices=("mermaid", "dot", "json"))
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the screen")

    p = sub.add_parser("set", help="set fields of one agent: FIELD=VALUE, VALUE one YAML flow value")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("agent", metavar="AGENT")
    p.add_argument("assignments", metavar="FIELD=VALUE", nargs="+")

    p = sub.add_parser("unset", help="remove a field from one agent")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("agent", metavar="AGENT")
    p.add_argument("field", metavar="FIELD")

    for name, verb in (("link", "add"), ("unlink", "remove")):
        p = sub.add_parser(name, help=f"{verb} a hand-off (FROM hands off to TO) or a parallel relation")
        p.add_argument("folder", metavar="DIR")
        p.add_argument("source", metavar="FROM")
        p.add_argument("target", metavar="TO")
        p.add_argument("--kind", choices=("handoff", "parallel"), default="handoff")
        p.add_argument("--one-sided", action="store_true", help="change only FROM's file")

    p = sub.add_parser("rename", help="rename an agent; every reference follows")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")

    p = sub.add_parser("new", help="add an agent file")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--description", default="", metavar="TEXT")

    p = sub.add_parser("rm", help="delete an agent and every reference to it")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("name", metavar="NAME")

    p = sub.add_parser("repair", help="rewrite invalid frontmatter as valid YAML with the same meaning")
    p.add_argument("files", metavar="FILE", nargs="+")

    p = sub.add_parser("fix", help="apply the quick fixes the editor offers, to every problem or to some")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--code", action="append", metavar="CODE",
                   help="only problems with this code (may be given more than once)")
    p.add_argument("--agent", metavar="NAME", help="only problems of this agent or naming it")
    p.add_argument("--remove", action="store_true",
                   help="one-sided relations: remove them instead of declaring the missing side")

    p = sub.add_parser("schema", help="print the JSON Schema of agent frontmatter (for editors)")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (such as agent.schema.json)")
    _layout_parser(sub)
    return parser


# ---------------------------------------------------------------------------------------------
# Loading


# When DIR is a project whose agents are in .claude/agents, file paths are shown relative to DIR
# (".claude/agents/a.md"), so what the command prints can be found from where it was given.
_shown_prefix = ""


def _shown(rel: str) -> str:
    return _shown_prefix + rel


def _load_team(folder: str, project: bool = True):
    """The team in `folder` (`project`: or in its .claude/agents, see team_folder)."""
    global _shown_prefix
    _shown_prefix = ""
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
        _shown_prefix = inner.relative_to(root).as_posix() + "/"
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
    return _shown_file(team.root, _shown_prefix, file)


@functools.lru_cache(maxsize=1 << 16)
def _shown_file(root: Path, prefix: str, file: str) -> str:
    # Remembered: a big team has several problems per file, and validate of 10,000 agents with
    # 58,000 problems spent a second building the same Paths again.
    p = Path(file)
    if p.is_absolute():
        try:
            return prefix + p.relative_to(root).as_posix()
        except ValueError:
            return p.as_posix()
    return prefix + p.as_posix()


# ---------------------------------------------------------------------------------------------
# validate


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


def _problem_dict(team, p) -> dict[str, Any]:
    return {
        "severity": p.severity,
        "code": p.code,
        "file": _relative(team, p.file),
        "line": p.line,
        "agent": p.agent,
        "message": p.message,
    }


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


def _json_scalar(value: Any) -> str:
    if value is None:
        return "null"
    if type(value) is str:
        return json.encoder.encode_basestring(value)  # in C: what dumps(ensure_ascii=False) writes
    if type(value) is int:
        return int.__repr__(value)
    if isinstance(value, (dict, list, tuple)):
        raise TypeError("not a scalar")  # indented over several lines: validate_json falls back
    return json.dumps(value, ensure_ascii=False)


def validate_json(agents: int, problems: list[dict[str, Any]]) -> str:
    """Exactly json.dumps({"agents": agents, "problems": problems}, indent=2, ensure_ascii=False)
    for problems whose values are scalars, written directly: with an indent, json's encoder runs
    in Python, about a second for the 58,000 problems of a big team declared on one side."""
    if not problems:
        return json.dumps({"agents": agents, "problems": problems}, indent=2, ensure_ascii=False)
    scalar = _json_scalar
    try:
        items = [
            "    {\n" + ",\n".join(f"      {scalar(k)}: {scalar(v)}" for k, v in p.items()) + "\n    }" if p else "    {}"
            for p in problems
        ]
    except TypeError:
        return json.dumps({"agents": agents, "problems": problems}, indent=2, ensure_ascii=False)
    return '{\n  "agents": ' + scalar(agents) + ',\n  "problems": [\n' + ",\n".join(items) + "\n  ]\n}"


def cmd_validate(args, out: TextIO) -> int:
    team = _load_team(args.folder)
    problems = _sorted_problems(team)
    if args.json:
        out.write(validate_json(_agent_count(team), [_problem_dict(team, p) for p in problems]) + "\n")
    else:
        _print_problems(team, problems, out)
        if problems:
            print(file=out)
        print(summary(team), file=out)
    return EXIT_FAILED if any(p.severity == "error" for p in team.problems) else EXIT_OK


# ---------------------------------------------------------------------------------------------
# export


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
    try:
        expected = target.read_bytes() if target.is_file() else None
    except OSError as e:
        raise CliError(f"Cannot write {args.output}: {e.strerror or e}.") from None
    try:
        atomic_write(target, text.encode("utf-8"), expected=expected)
    except WriteError as e:
        raise CliError(f"Cannot write {args.output}: {e}") from None
    print(f"Wrote {args.output} ({args.format}, {_plural(_agent_count(team), 'agent')}).", file=out)
    return EXIT_OK


# ---------------------------------------------------------------------------------------------
# Edits: one operation, applied and saved


_NULL_WORDS = {"null", "Null", "NULL", "~"}


def parse_value(text: str) -> Any:
    """One YAML flow value from the command line.

    `5` → 5, `[a, b]` → ["a", "b"], `sonnet` → "sonnet", `Read, Grep` → "Read, Grep" (a plain
    scalar with commas stays a string, as in the file). Text that YAML would read as something
    other than one flow value — `Does X: then Y`, `- a`, a comment — is taken as the plain string
    the user typed, because that is what they meant.
    """
    stripped = text.strip()
    if stripped == "":
        return ""
    try:
        if "&" in stripped and "*" in stripped and any(
                isinstance(event, yaml.AliasEvent) for event in yaml.parse(stripped, Loader=yaml.SafeLoader)):
            raise CliError(f"The value {text!r} uses YAML anchors and aliases (& and *); write the value "
                           "out in full.", EXIT_CANNOT_RUN)
        value = yaml.safe_load(stripped)
    except yaml.YAMLError as e:
        if stripped[0] in "[{\"'":
            raise CliError(f"The value {text!r} is not valid YAML: {_yaml_reason(e)}", EXIT_CANNOT_RUN) from None
        return stripped
    if isinstance(value, dict) and not stripped.startswith("{"):
        return stripped
    if isinstance(value, list) and not stripped.startswith("["):
        return stripped
    if value is None and stripped not in _NULL_WORDS:
        return stripped
    if hasattr(value, "isoformat"):  # a date such as 2025-01-01 stays the text the user typed
        return stripped
    return value


def _yaml_reason(e: yaml.YAMLError) -> str:
    problem = getattr(e, "problem", None)
    return problem or str(e).splitlines()[0]


def _field(text: str) -> str:
    parts = text.split(".")
    if not text or any(not part.strip() for part in parts):
        raise CliError(f"{text!r} is not a field name; use a name such as model or coordination.hands_off_to.",
                       EXIT_CANNOT_RUN)
    if text == "name":
        raise CliError("To change an agent's name use `agent-canvas rename DIR OLD NEW`: "
                       "it updates every reference and the file name too.")
    return text


def _assignment(text: str) -> tuple[str, Any]:
    field, sep, value = text.partition("=")
    if not sep:
        raise CliError(f"{text!r} is not FIELD=VALUE (for example model=opus).", EXIT_CANNOT_RUN)
    return _field(field.strip()), parse_value(value)


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


def _problem_key(team, p) -> tuple:
    return (p.code, p.severity, _relative(team, p.file), p.agent, p.message)


def _apply_and_save(team, op, out: TextIO) -> int:
    from app.model.operations import OperationError

    before = {_problem_key(team, p) for p in team.problems}
    paths_before = set(team.files)
    try:
        team.apply(op)
    except OperationError as e:
        raise CliError(f"{e} Nothing was changed.") from None
    changed = sorted(path for path, f in team.files.items() if f.dirty)
    failures = team.save(op.label[:1].lower() + op.label[1:])
    if failures:
        for failure in failures:
            print(f"agent-canvas: {_failure_text(failure)}", file=sys.stderr)
        return EXIT_FAILED
    print(f"{op.label}.", file=out)
    for path in changed:
        print(f"  wrote {_shown(path)}", file=out)
    for path in sorted(paths_before - set(team.files)):
        print(f"  removed {_shown(path)}", file=out)
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


def cmd_set(args, out: TextIO) -> int:
    from app.model.operations import Batch, SetField

    assignments = [_assignment(a) for a in args.assignments]
    team = _load_team(args.folder)
    _require_agent(team, args.agent)
    _refuse_invalid_files(team, [args.agent])
    ops = [SetField(args.agent, field, value) for field, value in assignments]
    op = ops[0] if len(ops) == 1 else Batch(f"Set {len(ops)} fields of {args.agent}", tuple(ops))
    return _apply_and_save(team, op, out)


def cmd_unset(args, out: TextIO) -> int:
    from app.model.operations import UnsetField

    field = _field(args.field)
    team = _load_team(args.folder)
    _require_agent(team, args.agent)
    _refuse_invalid_files(team, [args.agent])
    return _apply_and_save(team, UnsetField(args.agent, field), out)


def cmd_link(args, out: TextIO) -> int:
    from app.model.operations import Link, Unlink

    team = _load_team(args.folder)
    _require_agent(team, args.source)
    if args.command == "link" or not args.one_sided:
        _require_agent(team, args.target)
    _refuse_invalid_files(team, [args.source] if args.one_sided else [args.source, args.target])
    cls = Link if args.command == "link" else Unlink
    return _apply_and_save(team, cls(args.source, args.target, kind=args.kind, one_sided=args.one_sided), out)


def cmd_rename(args, out: TextIO) -> int:
    from app.model.operations import RenameAgent

    team = _load_team(args.folder)
    _require_agent(team, args.old)
    _refuse_invalid_files(team, [args.old])
    return _apply_and_save(team, RenameAgent(args.old, args.new), out)


def cmd_new(args, out: TextIO) -> int:
    from app.model.operations import AddAgent

    team = _load_team(args.folder)
    return _apply_and_save(team, AddAgent(args.name, description=args.description), out)


def cmd_rm(args, out: TextIO) -> int:
    from app.model.operations import RemoveAgent

    team = _load_team(args.folder)
    _require_agent(team, args.name)
    return _apply_and_save(team, RemoveAgent(args.name), out)


# ---------------------------------------------------------------------------------------------
# repair


def _repair_in_folder(folder: Path, files: list[Path], out: TextIO) -> bool:
    """Repair files of one folder through the model (RepairFile + save), like the editor does."""
    from app.model.operations import OperationError, RepairFile

    try:
        team = _load_team(str(folder), project=False)  # the files given, wherever they are
    except CliError as e:
        for path in files:
            print(f"{path}: {e}", file=sys.stderr)
        return False
    ok = True
    repaired = []
    for path in files:
        rel = path.name
        if rel in team.unreadable:
            print(f"{path}: {team.unreadable[rel]}", file=sys.stderr)
            ok = False
            continue
        f = team.files.get(rel)
        if f is None:
            why = "it is not a .md file" if path.suffix.lower() != ".md" else "there is no such file"
            print(f"{path}: cannot repair it: {why}.", file=sys.stderr)
            ok = False
        elif f.agent is None:
            print(f"{path}: no frontmatter, nothing to repair.", file=out)
        elif f.error is None:
            print(f"{path}: already valid, left as it was.", file=out)
        else:
            try:
                team.apply(RepairFile(rel))
            except OperationError as e:
                print(f"{path}: {e} The file was left as it was.", file=sys.stderr)
                ok = False
                continue
            repaired.append(path)
    failures = team.save() if repaired else []
    failed = {failure.path for failure in failures}
    for failure in failures:
        print(f"{folder / failure.path}: {failure.message}", file=sys.stderr)
    for path in repaired:
        if path.name not in failed:
            print(f"{path}: repaired.", file=out)
    return ok and not failures


def cmd_repair(args, out: TextIO) -> int:
    by_folder: dict[Path, list[Path]] = {}
    ok = True
    for name in args.files:
        path = Path(name)
        try:
            if path.is_dir():
                print(f"{path}: this is a folder; give the agent files to repair.", file=sys.stderr)
                ok = False
                continue
            if not path.exists() and not path.is_symlink():
                print(f"{path}: there is no such file.", file=sys.stderr)
                ok = False
                continue
        except OSError as e:
            print(f"{path}: cannot open it: {e.strerror or e}.", file=sys.stderr)
            ok = False
            continue
        by_folder.setdefault(path.parent, []).append(path)
    for folder, files in by_folder.items():
        ok = _repair_in_folder(folder, files, out) and ok
    return EXIT_OK if ok else EXIT_FAILED


def cmd_schema(args, out: TextIO) -> int:
    """The JSON Schema made from app/model/agent.py's models, for `# yaml-language-server: $schema=`."""
    from app.model.agent import frontmatter_schema

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


# ---------------------------------------------------------------------------------------------
# fix


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


_COMMANDS: dict[str, Callable[[Any, TextIO], int]] = {
    "validate": cmd_validate,
    "export": cmd_export,
    "set": cmd_set,
    "unset": cmd_unset,
    "link": cmd_link,
    "unlink": cmd_link,
    "rename": cmd_rename,
    "new": cmd_new,
    "rm": cmd_rm,
    "repair": cmd_repair,
    "fix": cmd_fix,
    "schema": cmd_schema,
}


# Layout: what Ctrl+L does in the editor, pinned agents kept, saved to .agent-canvas.json.
def _layout_parser(sub) -> None:
    sub.add_parser("layout", help="lay the team out along its hand-offs (pinned agents stay)").add_argument(
        "folder", metavar="DIR")


def cmd_layout(args, out: TextIO) -> int:
    from app.model.layout import relayout

    team = _load_team(args.folder)
    op, kept = relayout(team)
    if op is None:
        print(f"Nothing to move ({_plural(_agent_count(team), 'agent')} already laid out).", file=out)
        return EXIT_OK
    team.apply(op)
    failures = team.save("the layout")
    if failures:
        print("\n".join(f"agent-canvas: {_failure_text(f)}" for f in failures), file=sys.stderr)
        return EXIT_FAILED
    kept_text = f", {_plural(kept, 'pinned agent')} kept" if kept else ""
    print(f"Laid out {_plural(len(op.positions), 'agent')}{kept_text}; wrote .agent-canvas.json.", file=out)
    return EXIT_OK


_COMMANDS["layout"] = cmd_layout


def run(argv: Sequence[str], out: TextIO | None = None) -> int:
    """Run one subcommand; never raises, never prints a traceback."""
    out = sys.stdout if out is None else out
    try:
        args = _parser().parse_args(list(argv))
        if args.command is None:
            raise CliError("Give a command: " + ", ".join(_COMMANDS) + ".", EXIT_CANNOT_RUN)
        return _COMMANDS[args.command](args, out)
    except _Exit as e:
        return e.status
    except CliError as e:
        print(f"agent-canvas: {e}", file=sys.stderr)
        return e.code
    except KeyboardInterrupt as e:
        print(f"agent-canvas: {e or 'interrupted.'}", file=sys.stderr)
        return 130
    except MemoryError:
        print("agent-canvas: ran out of memory.", file=sys.stderr)
        return EXIT_CANNOT_RUN
    except BrokenPipeError:  # `agent-canvas export ... | head`
        return EXIT_OK
    except Exception as e:  # noqa: BLE001 - the user gets a sentence, not a traceback
        print(f"agent-canvas: unexpected failure ({type(e).__name__}: {e}). "
              "Please report it.", file=sys.stderr)
        return EXIT_CANNOT_RUN
