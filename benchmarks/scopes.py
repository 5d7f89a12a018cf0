"""What does reading the other scopes cost when a team opens in the editor?

The editor reads, once per opened team and after the first paint, every other folder Claude Code
would read beside it (app/model/team_scopes.py: load_around) and ranks the team among them
(place, again after each rename). This builds a fake HOME whose ~/.claude/agents and one installed
plugin hold copies of real corpus collections, opens the seed's team, and times, best of
--repeat:

  cold     the first load_around(team root), with an empty parse cache (a fresh cache folder)
  around   load_around again (the parse cache warm, as on every later open)
  place    place(around, team): the ranking after a rename (no disk)
  peer     Team.load of the same folders (what opening them as teams costs; the floor)

and prints milliseconds, the agent counts and the ratios around / peer and place / around. A
script, not a test: it prints and never fails.

    python benchmarks/scopes.py [--corpus /work/shared/corpus] [--repeat 5]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="scopes-bench-"))
    os.environ["HOME"] = str(work / "home")
    os.environ["AGENT_CANVAS_CACHE_DIR"] = str(work / "cache")
    os.environ.pop("CLAUDE_CONFIG_DIR", None)
    from app.model import scopes
    from app.model.team import Team
    from app.model.team_scopes import load_around, place

    scopes.managed_folder = lambda: work / "no-managed"  # type: ignore[assignment]
    team_src = next(args.corpus.glob("TaylorHuston__ai-coding-template/plugins/*/agents"))
    user_src = args.corpus / "VoltAgent__awesome-claude-code-subagents"
    plugin_src = args.corpus / "wshobson__agents"
    user = work / "home" / ".claude" / "agents"
    shutil.copytree(user_src, user, ignore=shutil.ignore_patterns("SOURCES.md", "LICENSE*", "README*"))
    plugin = work / "plugin"
    shutil.copytree(plugin_src, plugin / "agents", ignore=shutil.ignore_patterns("SOURCES.md", "LICENSE*",
                                                                                  "README*"))
    record = work / "home" / ".claude" / "plugins" / "installed_plugins.json"
    record.parent.mkdir(parents=True)
    record.write_text(json.dumps({"version": 2, "plugins": {"kit@bench": [{"installPath": str(plugin)}]}}))
    team_dir = work / "repo" / ".claude" / "agents"
    shutil.copytree(team_src, team_dir)
    (work / "repo" / ".git").mkdir()
    team = Team.load(team_dir)
    start = time.perf_counter()
    around = load_around(team.root)
    t_cold = (time.perf_counter() - start) * 1000
    placed = place(around, team)
    others = len(placed.others)
    t_around = best(lambda: load_around(team.root), args.repeat)
    t_place = best(lambda: place(around, team), args.repeat)
    t_peer = best(lambda: (Team.load(user), Team.load(plugin / "agents")), args.repeat)
    print(f"team: {len(team.names())} agents; beside it: {others} definitions in "
          f"{sum(1 for f in around.folders if f.team is not None)} folders")
    print(f"cold    {t_cold:8.1f} ms   (the first load_around, parse cache empty)")
    print(f"around  {t_around:8.1f} ms   (load_around: read and check the other folders)")
    print(f"peer    {t_peer:8.1f} ms   (Team.load of the same folders)")
    print(f"place   {t_place:8.1f} ms   (rank the team among them, no disk)")
    print(f"ratio around / peer  {t_around / t_peer:.2f}")
    print(f"ratio place / around {t_place / t_around:.3f}")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
