"""One entry point: `agent-canvas SUBCOMMAND ...` runs the command line, anything else the editor.

Qt is imported only on the GUI path, so the command line starts fast and works on machines
without a display or without Qt's system libraries.
"""

from __future__ import annotations

import argparse
import gc
import sys

from app import __version__

SUBCOMMANDS = frozenset(
    {"validate", "export", "set", "unset", "link", "unlink", "rename", "new", "rm", "repair", "fix", "schema", "list", "layout"}
)


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = text.lower().split("x")
        size = (int(w), int(h))
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1400x900, not {text!r}") from None
    if not (100 <= size[0] <= 10000 and 100 <= size[1] <= 10000):
        raise argparse.ArgumentTypeError("width and height must be between 100 and 10000 pixels")
    return size


def _gui_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="agent-canvas",
        description="A visual editor for teams of AI agents kept as Markdown files. "
        "Run without a subcommand to open the editor; subcommands: " + ", ".join(sorted(SUBCOMMANDS)) + ".",
    )
    parser.add_argument("folder", nargs="?", metavar="DIR", help="the team folder to open")
    parser.add_argument("--screenshot", metavar="FILE.png", help="render the canvas to a PNG and exit")
    parser.add_argument("--size", type=_size, metavar="WxH", help="window size, e.g. 1400x900")
    parser.add_argument("--select", metavar="NAME", help="select this agent (its properties are shown)")
    parser.add_argument("--view", choices=("canvas", "matrix"), default="canvas",
                        help="show the canvas or the relation matrix (View → Relation Matrix)")
    parser.add_argument("--version", action="version", version=f"agent-canvas {__version__}")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in SUBCOMMANDS:
        from app.cli import run as run_cli

        return run_cli(args)
    try:
        options = _gui_parser().parse_args(args)
    except SystemExit as exit_:  # --help, --version and usage errors
        return exit_.code if isinstance(exit_.code, int) else 0
    # Start-up allocates a few hundred thousand objects (mostly Qt's Python types) and almost no
    # garbage: the cycle collector would run ~70 times for nothing. app.ui.app turns it back on
    # after the window's first paint (collect_garbage_again).
    gc.disable()
    try:
        try:
            from app.ui.app import run as run_gui
        except ImportError as error:
            print(f"agent-canvas: the editor cannot start: {error}", file=sys.stderr)
            return 2
        return run_gui(options.folder, screenshot=options.screenshot, size=options.size, select=options.select,
                       view=options.view)
    finally:
        gc.enable()  # whatever way the editor ended (an error before any paint, --screenshot…)


if __name__ == "__main__":
    sys.exit(main())
