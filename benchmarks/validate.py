"""How fast is `agent-canvas validate` on a big team with many problems, next to python-frontmatter?

Teams from benchmarks/generate.py whose relations are mostly declared on ONE side (a fraction
--one-sided of hand-offs and parallel partners lack the matching line on the other agent: about
six warnings per agent at 0.8), plus a clean team of the largest size. For each, best of
--repeat, each run a fresh interpreter so start-up is counted for all of them:

  text        `agent-canvas validate DIR`, parse cache warm (the usual case: the team was opened before)
  json        `agent-canvas validate --json DIR`, parse cache warm
  text cold   `agent-canvas validate DIR` with the parse cache emptied before every run
  frontmatter `frontmatter.load(path)` for every file (python-frontmatter's bare parse, libyaml loader)

Seconds, wall-clock and CPU (user + system of the child and its children: steadier when other work
shares the machine), and the ratios to python-frontmatter. The goal is a ratio of at most 1.0.
The parse cache lives in a temporary folder (AGENT_CANVAS_CACHE_DIR), never the user's.
A script, not a test: it prints figures and never fails on them.

    python benchmarks/validate.py [--sizes 1000 10000] [--one-sided 0.8] [--repeat 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate_team

FRONTMATTER_SCRIPT = """
import sys, pathlib, frontmatter
n = 0
for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.md")):
    frontmatter.load(p)
    n += 1
print(n)
"""


def _ours(*args: str) -> list[str]:
    script = Path(sys.executable).with_name("agent-canvas")
    if script.exists():
        return [str(script), "validate", *args]
    return [sys.executable, "-m", "app", "validate", *args]


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _run(command: list[str], env: dict[str, str], before=None) -> tuple[float, float, str]:
    """(wall seconds, CPU seconds, last output line) of one fresh run."""
    if before is not None:
        before()
    cpu = _children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    cpu = _children_cpu() - cpu
    if done.returncode not in (0, 1):
        raise SystemExit(f"{command[:3]} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    if "--json" in command:
        return elapsed, cpu, f"{len(done.stdout):,} characters"
    return elapsed, cpu, (done.stdout.strip().splitlines() or [""])[-1]


def _best_of(contenders: dict, env: dict[str, str], repeat: int):
    """Best wall and best CPU time of each contender over `repeat` rounds. Rounds interleave the
    contenders, so a burst of load on a shared machine hits all of them alike rather than one."""
    wall = {key: float("inf") for key in contenders}
    cpu = dict(wall)
    last = {}
    for _ in range(repeat):
        for key, (command, before) in contenders.items():
            w, c, last[key] = _run(command, env, before)
            wall[key] = min(wall[key], w)
            cpu[key] = min(cpu[key], c)
    return wall, cpu, last


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--one-sided", type=float, default=0.8)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep the files")
    args = parser.parse_args(argv)

    base = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="agent-canvas-bench-"))
    cache = Path(tempfile.mkdtemp(prefix="agent-canvas-bench-cache-"))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "AGENT_CANVAS_CACHE_DIR": str(cache)}

    def empty_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    teams = [(f"one-sided {n}", n, args.one_sided) for n in args.sizes]
    teams.append((f"clean {max(args.sizes)}", max(args.sizes), 0.0))
    rows = []
    try:
        for label, n, one_sided in teams:
            folder = base / f"team-{n}-{one_sided}"
            if not (folder.is_dir() and sum(1 for _ in folder.glob("*.md")) == n):
                shutil.rmtree(folder, ignore_errors=True)
                generate_team(folder, n, one_sided=one_sided)
            # Warm the page cache and the parse cache once, so every contender reads from memory.
            subprocess.run(_ours(str(folder)), check=False, capture_output=True, env=env)
            wall, cpu, last = _best_of({
                "text": (_ours(str(folder)), None),
                "json": (_ours("--json", str(folder)), None),
                "text cold": (_ours(str(folder)), empty_cache),
                "frontmatter": ([sys.executable, "-c", FRONTMATTER_SCRIPT, str(folder)], None),
            }, env, args.repeat)
            rows.append((label, wall, cpu, last))
    finally:
        shutil.rmtree(cache, ignore_errors=True)
        if not args.keep:
            shutil.rmtree(base, ignore_errors=True)

    print(f"best of {args.repeat}, fresh interpreter each run, seconds (python {sys.version.split()[0]}, "
          f"{os.cpu_count()} cores)")
    print(f"{'team':>16} {'':>4} {'text':>6} {'json':>6} {'cold':>6} {'frontm.':>7}   "
          f"{'text/fm':>7} {'json/fm':>7} {'cold/fm':>7}")
    for label, wall, cpu, _ in rows:
        for kind, t in (("wall", wall), ("cpu", cpu)):
            fm = t["frontmatter"]
            print(f"{label:>16} {kind:>4} {t['text']:>6.2f} {t['json']:>6.2f} {t['text cold']:>6.2f} {fm:>7.2f}   "
                  f"{t['text'] / fm:>7.2f} {t['json'] / fm:>7.2f} {t['text cold'] / fm:>7.2f}")
    for label, *_, last in rows:
        print(f"{label}: {last['text'][:100]}; --json: {last['json']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
