"""What does reading a file through Claude Code's fallback cost, next to reading it as standard YAML?

Files written by Claude Code's /agents wizard are not strict YAML; each read of one tries strict
YAML first, then the fallback's texts (tabs made spaces, then values quoted). This takes every
corpus file that only the fallback reads and times, best of --repeat, --times passes of:

  ours   read_frontmatter(text) of the files as they are (strict try, then the fallback)
  peer   read_frontmatter(text) of the same files after Repair (standard YAML: one strict read)

and prints microseconds per file and the ratio ours / peer. A script, not a test: it prints and
never fails.

    python benchmarks/lenient.py [--corpus /work/shared/corpus] [--times 50] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.io.repair import repair


def lenient_files(corpus: Path) -> list[tuple[str, str]]:
    """(frontmatter as written, frontmatter after Repair) of each file only the fallback reads."""
    out = []
    for path in sorted(corpus.rglob("*.md")):
        text = path.read_bytes().decode("utf-8", errors="replace")
        doc = parse_document(text)
        if doc.frontmatter is None or not read_frontmatter(doc.frontmatter, doc.frontmatter_line).lenient:
            continue
        fixed = parse_document(repair(text)).frontmatter
        assert fixed is not None
        out.append((doc.frontmatter, fixed))
    return out


def best(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=Path("/work/shared/corpus"))
    parser.add_argument("--times", type=int, default=50, help="passes over the files per timing")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    pairs = lenient_files(options.corpus)
    if not pairs:
        print("no file in the corpus needs Claude Code's fallback")
        return 0
    written = [a for a, _ in pairs] * options.times
    repaired = [b for _, b in pairs] * options.times
    ours = best(lambda: [read_frontmatter(t, 2) for t in written], options.repeat)
    peer = best(lambda: [read_frontmatter(t, 2) for t in repaired], options.repeat)
    n = len(written)
    print(f"{len(pairs)} files only Claude Code's fallback reads × {options.times}, best of {options.repeat}:")
    print(f"  ours  as written (strict, then the fallback)  {ours / n * 1e6:8.1f} µs per file")
    print(f"  peer  after Repair (standard YAML)            {peer / n * 1e6:8.1f} µs per file")
    print(f"  ours / peer: {ours / peer:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
