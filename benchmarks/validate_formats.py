"""How long does `agent-canvas validate` take on a 200-agent team, in each output format, from
the shell (interpreter start included)? A pre-commit hook runs it on every commit, so the goal is
under 0.5 s. Figures, not a test.

Each format runs as the installed `agent-canvas` command would (a new process). The peer, in the
same rounds: a new Python that imports PyYAML and parses the frontmatter of the same files with
the C loader (CSafeLoader), which any YAML-reading validator must at least do. Runs are
interleaved round by round, so a busy machine slows all of them alike; best and median per
candidate, in the manner of hyperfine.

    python benchmarks/validate_formats.py [--agents 200] [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate_team

ROOT = Path(__file__).resolve().parent.parent
FORMATS = ("text", "json", "github", "sarif")

PEER = """
import sys, glob, yaml
for path in sorted(glob.glob(sys.argv[1] + "/*.md")):
    text = open(path, encoding="utf-8").read()
    yaml.load(text.split("\\n---", 1)[0][4:], Loader=yaml.CSafeLoader)
"""


def command() -> list[str]:
    """The console script pip installed beside this interpreter (what pre-commit runs), else -m."""
    script = Path(sys.executable).parent / ("agent-canvas.exe" if os.name == "nt" else "agent-canvas")
    return [str(script)] if script.exists() else [sys.executable, "-m", "app"]


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, check=False)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        raise SystemExit(f"validate_formats.py: {args} failed ({result.returncode}): {result.stderr.decode()}")
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--runs", type=int, default=15)
    options = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="agent-canvas-validate-"))
    try:
        team = work / "team"
        # A few relations declared on one side only, so every format has problems to write.
        generate_team(team, options.agents, one_sided=0.05)
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": ""}
        env.pop("PYTHONPATH", None)
        candidates = {f"validate --format {f}": [*command(), "validate", str(team), "--format", f] for f in FORMATS}
        candidates["peer: yaml CSafeLoader"] = [sys.executable, "-c", PEER, str(team)]
        probe = subprocess.run(candidates["validate --format text"], env=env, capture_output=True, text=True,
                               check=False)
        summary = probe.stdout.strip().splitlines()[-1]
        times: dict[str, list[float]] = {name: [] for name in candidates}
        for round_ in range(options.runs + 2):
            for name, args in candidates.items():
                t = timed(args, env)
                if round_ >= 2:  # two warm-up rounds: the page cache, .pyc files
                    times[name].append(t)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"validate of a generated team ({summary}), new process each run, {options.runs} runs "
          f"(after 2 warm-up rounds), {' '.join(command()[-1:])}:")
    peer = times["peer: yaml CSafeLoader"]
    for name, values in times.items():
        ratio = "" if values is peer else \
            f"  / peer: median of paired ratios {statistics.median(a / b for a, b in zip(values, peer)):.2f}"
        print(f"  {name:24s} best {min(values):.3f} s  median {statistics.median(values):.3f} s{ratio}")
    worst = max(statistics.median(v) for n, v in times.items() if v is not peer)
    print(f"  goal: every format's median under 0.5 s: {'met' if worst < 0.5 else 'NOT met'} "
          f"(slowest median {worst:.3f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
