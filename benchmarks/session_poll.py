"""What do the session's background looks cost on a big team? Figures, not a test: it prints
and never fails.

For a team of N generated seed-like agents (default 10,000; benchmarks/generate.py), past the
4,000 files the watcher watches one by one, with the real Controller and Session (offscreen):

  poll          Session.poll_files(): a stat (size, mtime_ns) of every file, what runs every
                POLL_MS while the editor is active; next to its peer, reading every file's bytes
                and comparing them with the bytes last read (what finding in-place changes
                costs without the stat)
  journal       Session.write_journal() with one file unsaved (what runs at most every
                JOURNAL_MAX_WAIT_MS while typing goes on); next to its peer, json.dumps of the
                same journal data and a plain write of it (the floor)

Median of --repeat runs, milliseconds, and the ratio ours / peer.

    QT_QPA_PLATFORM=offscreen python benchmarks/session_poll.py [--size 10000] [--repeat 9]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))


def _median_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

    from generate import generate_team
    from PySide6.QtWidgets import QApplication

    from app.model.operations import SetField
    from app.model.team import Team
    from app.ui.controller import Controller
    from app.ui.session import Session

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "team"
        generate_team(folder, args.size, body_lines=40)
        os.environ["AGENT_CANVAS_JOURNAL_DIR"] = str(Path(tmp) / "journal")
        controller = Controller()
        session = Session(controller)
        session.ask = lambda *a, **k: "mine"
        controller.set_team(Team.load(folder))
        team = controller.team
        polled = len(session._stats)
        print(f"{args.size} agents, {polled} files polled, {len(session.watcher.files())} watched one by one")

        poll = _median_ms(session.poll_files, args.repeat)

        def read_all() -> None:
            for rel in team.files:
                _ = (folder / rel).read_bytes() != team._disk[rel]

        peer_poll = _median_ms(read_all, args.repeat)
        print(f"poll     ours {poll:8.1f} ms   read-and-compare {peer_poll:8.1f} ms   ratio {poll / peer_poll:.2f}")

        first = team.names()[0]
        controller.do(SetField(first, "model", "opus"))
        journal = _median_ms(session.write_journal, args.repeat)
        data = session.journal_data()
        floor_path = Path(tmp) / "floor.json"

        def floor() -> None:
            floor_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")

        peer_journal = _median_ms(floor, args.repeat)
        print(f"journal  ours {journal:8.1f} ms   dumps-and-write  {peer_journal:8.1f} ms   "
              f"ratio {journal / peer_journal:.2f}")
        session.stop()
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
