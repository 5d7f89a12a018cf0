"""Helpers for the model tests: small teams written into tmp_path (never into the corpus)."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEE5906 = ROOT.parent / "shared" / "corpus" / "TaylorHuston__ai-coding-template__dee5906" / ".claude" / "agents"
SAMPLE = ROOT / "agents"


def agent_md(name: str, *, description: str = "Does things.", extra: str = "", handoff=None,
             receives=None, parallel=None, body: str = "Body.\n") -> str:
    lines = ["---", f"name: {name}", f"description: {description}"]
    if extra:
        lines.append(extra.rstrip("\n"))
    if handoff is not None or receives is not None or parallel is not None:
        lines.append("coordination:")
        if handoff is not None:
            lines.append(f"  hands_off_to: [{', '.join(handoff)}]")
        if receives is not None:
            lines.append(f"  receives_from: [{', '.join(receives)}]")
        if parallel is not None:
            lines.append(f"  parallel_with: [{', '.join(parallel)}]")
    lines.append("---")
    return "\n".join(lines) + "\n\n" + body


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        path.write_bytes(content)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file below root (sidecar included) → its bytes."""
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}
CORPUS = ROOT.parent / "shared" / "corpus"
