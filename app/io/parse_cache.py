"""A cache of parsed frontmatter across runs, so a big team opens without parsing its YAML again.

Parsing the YAML is the largest single cost of opening a team of thousands of agents, and the
same files are opened again and again (the editor, `validate` in a loop, CI). The cache maps the
frontmatter TEXT itself to the mapping `read_frontmatter` made of it. Keyed on the content rather
than on size and modification time: the team's bytes are read anyway (the model keeps them), a
dict lookup by the text costs little next to parsing it, and a hit is the very same text, so it
cannot be fooled by a file rewritten within one clock tick, a copied folder or a restored backup
(nor by a digest collision). What the mapping is depends also on the parser, so the file's header
names marshal's, PyYAML's and libyaml's versions and this format's; any difference and the cache
is ignored and rewritten.

Only valid frontmatter is stored (problems and recovery are redone every time: they need line
numbers and are rare), and only mappings `marshal` can write exactly (str, int, float, bool, None,
bytes, lists, sets and dicts of them; a date keeps its file out). Each hit is a fresh copy.

One cache file per team folder, so a small team does not load a big one's entries; it keeps the
entries this run used plus as many older ones (an agent edited back and forth, a branch switched),
and only the MAX_FILES most recently written files are kept.

The cache must never hurt: a missing, corrupt (the payload carries its own CRC), unreadable or
unwritable cache is silently the same as an empty one, and saving writes a temporary file then
renames it, so a reader never sees half a cache.
"""

from __future__ import annotations

import marshal
import os
import zlib
from pathlib import Path

import yaml

from app.io.reader import Frontmatter, read_frontmatter

FORMAT = 2
MAX_FILES = 32  # team folders remembered (a team of 10,000 agents: 6 MB)


def _libyaml_version() -> str:
    try:
        from yaml import _yaml  # the C extension; absent when PyYAML was built without libyaml

        return _yaml.get_version_string()
    except (ImportError, AttributeError):
        return "none"


def _header() -> bytes:
    return (f"agent-canvas frontmatter cache {FORMAT} marshal {marshal.version} pyyaml {yaml.__version__} "
            f"libyaml {_libyaml_version()}\n").encode()


def cache_dir() -> Path:
    """AGENT_CANVAS_CACHE_DIR, else the user's cache folder (platformdirs)."""
    override = os.environ.get("AGENT_CANVAS_CACHE_DIR")
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_cache_dir("agent-canvas", appauthor=False))


def file_name(team_root: str | os.PathLike) -> str:
    """The cache file of one team folder, named after its absolute path (two folders that happen to
    share a name share a file: slower, never wrong, since entries are keyed on content)."""
    where = os.path.normcase(os.path.abspath(team_root)).encode("utf-8", "surrogatepass")
    return f"frontmatter-{zlib.crc32(where):08x}{len(where):04x}.cache"


def _prune(folder: Path) -> None:
    """Delete all but the MAX_FILES most recently written cache files."""
    try:
        files = sorted(folder.glob("frontmatter-*.cache"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in files[MAX_FILES:]:
            old.unlink(missing_ok=True)
    except OSError:  # another process pruning at the same time, a file vanished: no harm
        pass


class ParseCache:
    """`read_frontmatter` with memory: use `.read_frontmatter` as a drop-in, then `.save()`."""

    def __init__(self, path: Path | None = None):
        self.path = path
        self._stored: dict[str, bytes] = {}  # frontmatter → marshal of its mapping, as loaded
        self._used: dict[str, bytes] = {}  # entries this run hit or added
        self._added = 0
        self.hits = 0
        if path is not None:
            self._stored = _load(path)

    @classmethod
    def open(cls, team_root: str | os.PathLike) -> ParseCache:
        """The cache of the team at `team_root` in the user's cache folder (an empty, unsaved one if
        that cannot be found)."""
        try:
            return cls(cache_dir() / file_name(team_root))
        except Exception:  # noqa: BLE001 - no cache folder on this system: work without one
            return cls(None)

    def read_frontmatter(self, frontmatter: str, first_line: int) -> Frontmatter:
        """Exactly what app.io.reader.read_frontmatter returns for these arguments."""
        key = frontmatter
        stored = self._stored.get(key)
        if stored is not None:
            try:
                data = marshal.loads(stored)
            except (ValueError, EOFError, TypeError):
                data = None
            if type(data) is dict:
                self._used[key] = stored
                self.hits += 1
                return Frontmatter(data, None, {})
        fm = read_frontmatter(frontmatter, first_line)
        if fm.error is None and not fm.lenient:  # the cache keeps data only, not how it was read
            try:
                blob = marshal.dumps(fm.data)
            except ValueError:  # a date, or another type marshal cannot write: not cached
                return fm
            self._used[key] = blob
            self._added += 1
        return fm

    def save(self) -> None:
        """Write the cache when this run added to it; never raises."""
        if self.path is None or not self._added:
            return
        entries = dict(self._used)
        limit = 2 * len(entries)
        for key, blob in self._stored.items():  # older entries, as many as were used
            if len(entries) >= limit:
                break
            entries.setdefault(key, blob)
        try:
            import tempfile  # here: most runs write nothing, and it costs start-up time

            payload = marshal.dumps(entries)
            check = zlib.crc32(payload).to_bytes(4, "big")
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".frontmatter-", suffix=".tmp", dir=self.path.parent)
            try:
                with os.fdopen(fd, "wb") as out:
                    out.write(_header() + check + payload)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
        except Exception:  # noqa: BLE001, S110 - a cache that cannot be written is only slower
            pass
        else:
            self._stored, self._added = entries, 0
            _prune(self.path.parent)


def _load(path: Path) -> dict[str, bytes]:
    """The entries of the cache file, or {} when it is missing, foreign, stale or damaged."""
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    header = _header()
    if not raw.startswith(header):
        return {}
    check, payload = raw[len(header):len(header) + 4], raw[len(header) + 4:]
    if zlib.crc32(payload).to_bytes(4, "big") != check:
        return {}
    try:
        entries = marshal.loads(payload)
    except (ValueError, EOFError, TypeError):
        return {}
    if type(entries) is not dict:
        return {}
    return {k: v for k, v in entries.items() if type(k) is str and type(v) is bytes}
