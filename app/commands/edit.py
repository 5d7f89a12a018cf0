"""Commands that edit a team: set, unset, link, unlink, rename, new, rm, repair."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, TextIO

import yaml

from app.commands.common import (
    EXIT_CANNOT_RUN,
    EXIT_FAILED,
    EXIT_OK,
    CliError,
    _agent_count,
    _apply_and_save,
    _failure_text,
    _load_team,
    _plural,
    _refuse_invalid_files,
    _require_agent,
)

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
    from app.model.layout import free_spot
    from app.model.operations import AddAgent

    team = _load_team(args.folder)
    position = None
    if team.positions:  # a laid-out team: the card goes in the free space nearest its middle
        xs = [x for x, _ in team.positions.values()]
        ys = [y for _, y in team.positions.values()]
        position = free_spot(team.positions.values(), ((min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2))
    return _apply_and_save(team, AddAgent(args.name, description=args.description, position=position), out)


def cmd_rm(args, out: TextIO) -> int:
    from app.model.operations import RemoveAgent

    team = _load_team(args.folder)
    _require_agent(team, args.name)
    return _apply_and_save(team, RemoveAgent(args.name), out, trash=not args.permanent)


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
        elif f.error is None and not f.lenient:
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


def cmd_layout(args, out: TextIO) -> int:
    """What Ctrl+L does in the editor, pinned agents kept, saved to .agent-canvas.json."""
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
