"""One agent file: the bytes on disk, its current text, and what it says.

`disk` may be held as the text the bytes decode to: decoding is exact, so `text.encode("utf-8")`
gives the bytes back byte for byte, and a clean file holds one copy of its content instead of two
(a team of 10,000 agents opens with half the memory).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from app.io.document import Document, parse_document
from app.io.reader import Frontmatter, YamlProblem, read_frontmatter
from app.model.sketch import AgentSketch

if TYPE_CHECKING:
    from app.model.agent_schema import Agent

Base = bytes | str | None  # bytes on disk, or the text they decode to exactly (the same bytes)


def as_bytes(base: Base) -> bytes | None:
    return base if base is None or isinstance(base, bytes) else base.encode("utf-8")


class AgentFile:
    """One agent file: what is on disk, the current text and what it says.

    path: str                 relative POSIX path inside the team folder
    disk: bytes | None        bytes as last read from / written to disk at `path`; None = not on disk yet
    text: str                 current full text
    agent: Agent | None       None when the file has no frontmatter (not an agent); checked
                              against the schema when first asked for (see sketch.py)
    sketch: AgentSketch | None the first look at the agent, without the schema
    error: YamlProblem | None invalid YAML → read-only for edits, repairable
    doc: Document | None; data: dict | None (the parsed frontmatter, the recovered one when invalid);
    invalid: dict[str, Any]   keys whose value has the wrong type (checked like `agent`)
    lenient: bool             read only through Claude Code's fallback (not standard YAML; editable)

    `disk` may be given (and is kept) as the text the bytes decode to: the bytes are made again
    on demand, so a clean file holds one copy of its content, not two.
    """

    __match_args__ = ("path", "disk", "text", "agent", "error", "doc", "data", "invalid")

    def __init__(self, path: str, disk: Base, text: str, error: YamlProblem | None,
                 doc: Document | None = None, data: dict | None = None, lenient: bool = False):
        self.path = path
        self._base = disk
        self.text = text
        self.error = error
        self.doc = doc
        self.data = data
        self.lenient = lenient
        self.sketch = AgentSketch(data or {}) if doc is not None and doc.frontmatter is not None else None
        self._checked: tuple[Agent | None, dict[str, Any]] | None = None if self.sketch is not None else (None, {})

    @property
    def checked(self) -> bool:
        return self._checked is not None

    def check(self) -> tuple[Agent | None, dict[str, Any]]:
        """(agent, invalid) by the schema; made once, on first use."""
        if self._checked is None:
            from app.model.agent_schema import Agent  # pydantic: loaded on first use (see sketch.py)

            self._checked = Agent.parse(self.data)
        return self._checked

    @property
    def agent(self) -> Agent | None:
        return self.check()[0]

    @property
    def invalid(self) -> dict[str, Any]:
        return self.check()[1]

    @property
    def summary(self) -> Agent | AgentSketch | None:
        """The checked agent if it is known, else the sketch: what the first picture is drawn
        from without waiting for the schema."""
        return self._checked[0] if self._checked is not None else self.sketch

    @property
    def disk(self) -> bytes | None:
        return as_bytes(self._base)

    @disk.setter
    def disk(self, value: Base) -> None:
        self._base = value

    def _fields(self) -> tuple:
        return (self.path, self.disk, self.text, self.agent, self.error, self.doc, self.data, self.invalid,
                self.lenient)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it was

    def __repr__(self) -> str:
        return (f"AgentFile(path={self.path!r}, disk=<{'none' if self._base is None else 'on disk'}>, "
                f"agent={self.name!r}, error={self.error!r})")

    @property
    def name(self) -> str | None:
        summary = self.summary
        return summary.name if summary is not None else None

    @property
    def dirty(self) -> bool:
        base = self._base
        if base is None:
            return True
        if type(base) is str:
            return self.text != base
        return self.text.encode("utf-8") != base

    @property
    def editable(self) -> bool:
        return self.sketch is not None and self.error is None

    @property
    def stem(self) -> str:
        return self.path.rsplit("/", 1)[-1][:-3]


def parse_file(path: str, text: str, disk: Base, read: Callable[[str, int], Frontmatter] = read_frontmatter
               ) -> AgentFile:
    """Text of an agent file → AgentFile (never raises). `disk`: the bytes on disk, or the text
    they decode to (see AgentFile). `read`: read_frontmatter, or a ParseCache's."""
    doc = parse_document(text)
    if doc.frontmatter is None:
        return AgentFile(path, disk, text, None, doc)
    fm = read(doc.frontmatter, doc.frontmatter_line)
    data = fm.data if fm.error is None else fm.recovered
    return AgentFile(path, disk, text, fm.error, doc, data, fm.lenient)
