"""What does `Agent.parse` cost per file, next to reading the same frontmatter's YAML?

Every file of a team is parsed at open (10,000 for a big team), so the schema's cost per file
matters. This reads every frontmatter of a corpus once (parse_document + read_frontmatter; those
that are valid YAML), then
times, best of --repeat, --times passes over all of them of:

  ours   Agent.parse(data): the frontmatter mapping → (Agent, invalid)
  ours, one wrong   the same with `maxTurns: "5"` added to each: the path that sets a value aside
  peer   yaml.load(text, CSafeLoader) of the same frontmatter texts: the libyaml read every
         file pays anyway; ours/peer says what the schema adds to it

and prints microseconds per file and the ratio. A script, not a test: it prints and never fails.

    python benchmarks/parse_agents.py [--corpus /work/shared/corpus] [--times 20] [--repeat 5]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.io.document import parse_document
from app.io.reader import read_frontmatter
from app.model.agent_schema import Agent


def frontmatters(corpus: Path) -> list[tuple[str, dict]]:
    out = []
    for path in sorted(corpus.rglob("*.md")):
        doc = parse_document(path.read_bytes().decode("utf-8", errors="replace"))
        if doc.frontmatter is None:
            continue
        fm = read_frontmatter(doc.frontmatter, doc.frontmatter_line, lenient=False)
        if fm.error is None:  # the peer reads the same texts, so only those libyaml reads
            out.append((doc.frontmatter, fm.data))
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
    parser.add_argument("--times", type=int, default=20, help="passes over the corpus per timing")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    items = frontmatters(options.corpus)
    datas = [data for _, data in items] * options.times
    texts = [text for text, _ in items] * options.times
    invalid = sum(bool(Agent.parse(data)[1]) for _, data in items)
    parse = Agent.parse
    loader = yaml.CSafeLoader

    ours = best(lambda: [parse(d) for d in datas], options.repeat)
    wrong = [{**d, "maxTurns": "5"} for d in datas]
    ours_wrong = best(lambda: [parse(d) for d in wrong], options.repeat)
    peer = best(lambda: [yaml.load(t, Loader=loader) for t in texts], options.repeat)
    n = len(datas)
    print(f"{len(items)} frontmatters ({invalid} with a wrong-typed value) × {options.times}, "
          f"best of {options.repeat}:")
    print(f"  ours  Agent.parse          {ours / n * 1e6:7.1f} µs per file  "
          f"({ours / n * 10_000:.3f} s for 10,000 files)")
    print(f"  ours, one wrong value     {ours_wrong / n * 1e6:7.1f} µs per file  "
          f"({ours_wrong / n * 10_000:.3f} s for 10,000 files)")
    print(f"  peer  yaml.load (libyaml)  {peer / n * 1e6:7.1f} µs per file  "
          f"({peer / n * 10_000:.3f} s for 10,000 files)")
    print(f"  ours / peer: {ours / peer:.2f}; ours with one wrong value / peer: {ours_wrong / peer:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
