"""Would parsing a big team's frontmatter on all cores pay? Serial read_frontmatter next to a
process pool that parses half the files in one worker while this process parses the other half.

The frontmatter of a generated one-sided team (benchmarks/generate.py) is read into memory first,
so only parsing and the pool's own costs (start-up, sending texts, bringing mappings back) are
timed, best of --repeat, for each start method the platform has ("fork" is Linux's default;
Windows and macOS spawn, which imports the parser again in the worker). Prints seconds and the
ratio pool / serial. A script, not a test: it prints figures and never fails on them.

    python benchmarks/parse_pool.py [--agents 10000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from generate import generate_team

from app.io.document import decode, parse_document
from app.io.reader import read_frontmatter


def parse_chunk(texts: list[str]) -> list:
    return [read_frontmatter(t, 2) for t in texts]


def _pooled(texts: list[str], method: str) -> list:
    with ProcessPoolExecutor(1, mp_context=mp.get_context(method)) as pool:
        half = len(texts) // 2
        theirs = pool.submit(parse_chunk, texts[:half])
        mine = parse_chunk(texts[half:])
        return theirs.result() + mine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--agents", type=int, default=10000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    folder = Path(tempfile.mkdtemp(prefix="agent-canvas-pool-"))
    try:
        paths = generate_team(folder, args.agents, one_sided=0.8)
        texts = [parse_document(decode(p.read_bytes())).frontmatter for p in paths]
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    serial = parse_chunk(texts)
    times = {"serial": float("inf")}
    methods = [m for m in ("fork", "spawn") if m in mp.get_all_start_methods()]
    for _ in range(args.repeat):
        start = time.perf_counter()
        parse_chunk(texts)
        times["serial"] = min(times["serial"], time.perf_counter() - start)
        for method in methods:
            start = time.perf_counter()
            assert _pooled(texts, method) == serial
            times[method] = min(times.get(method, float("inf")), time.perf_counter() - start)
    load = f", load average {os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else ""
    print(f"parse the frontmatter of {args.agents} agents, best of {args.repeat}, {os.cpu_count()} cores{load}")
    for key, t in times.items():
        print(f"{key:>8} {t:6.2f} s   {t / times['serial']:5.2f} × serial")
    return 0


if __name__ == "__main__":
    sys.exit(main())
