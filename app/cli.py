"""The command line: every edit the editor makes, scriptable.

Each subcommand loads the team, turns its arguments into one model operation, applies it and
saves — the same path the editor's undo stack takes, so the two can never disagree. Exit codes:
0 done (or no errors found), 1 refused or errors found, 2 the command cannot run at all.

Nothing here imports Qt.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any, NoReturn, TextIO

from app.commands.check import _validate_arguments, cmd_export, cmd_fix, cmd_list, cmd_schema, cmd_validate
from app.commands.common import EXIT_CANNOT_RUN, EXIT_FAILED, EXIT_OK, CliError
from app.commands.edit import (
    cmd_layout,
    cmd_link,
    cmd_new,
    cmd_rename,
    cmd_repair,
    cmd_rm,
    cmd_set,
    cmd_unset,
    parse_value,
)

__all__ = ["EXIT_CANNOT_RUN", "EXIT_FAILED", "EXIT_OK", "CliError", "parse_value", "run"]


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

    _validate_arguments(sub.add_parser("validate", help="report problems in a team folder"))

    p = sub.add_parser("export", help="write the team's graph as Mermaid, Graphviz dot or JSON")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--format", required=True, choices=("mermaid", "dot", "json"))
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of the screen")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (never a team file)")

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
        p.add_argument("--kind", choices=("handoff", "parallel", "spawn", "observer"), default="handoff",
                       help="spawn: FROM may start TO (Agent(TO) in FROM's tools); observer: TO observes FROM")
        p.add_argument("--one-sided", action="store_true", help="change only FROM's file")

    p = sub.add_parser("rename", help="rename an agent; every reference follows")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("old", metavar="OLD")
    p.add_argument("new", metavar="NEW")

    p = sub.add_parser("new", help="add an agent file")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--description", default="", metavar="TEXT")

    p = sub.add_parser("rm", help="delete an agent and every reference to it (its file goes to the trash)")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("name", metavar="NAME")
    p.add_argument("--permanent", action="store_true",
                   help="delete the file for good instead of moving it to the trash")

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

    p = sub.add_parser("layout", help="lay the team out along its hand-offs (pinned agents stay)")
    p.add_argument("folder", metavar="DIR")

    p = sub.add_parser("list", help="every agent Claude Code would see when started in DIR, by scope")
    p.add_argument("folder", metavar="DIR")
    p.add_argument("--json", action="store_true")
    return parser


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
    "list": cmd_list,
    "layout": cmd_layout,
}


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
