"""The parse cache: a hit is exactly what read_frontmatter gives, a changed file is never read from
it, and a missing, corrupt or unwritable cache changes nothing but speed, silently."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.io import parse_cache
from app.io.parse_cache import ParseCache, file_name
from app.io.reader import read_frontmatter
from app.model.team import Team

FILE_NAME = "frontmatter-test.cache"
AGENT = "name: {name}\ndescription: Does {what}.\ntools: Read, Grep\ncoordination:\n  hands_off_to: [b, c]\n"


def _typed(value):
    if isinstance(value, dict):
        return ("dict", [(_typed(k), _typed(v)) for k, v in value.items()])
    if isinstance(value, (list, set)):
        return (type(value).__name__, [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def _same(a, b) -> bool:
    return (_typed(a.data), a.error, _typed(a.recovered)) == (_typed(b.data), b.error, _typed(b.recovered))


def _warm(path: Path, texts: list[str]) -> None:
    cache = ParseCache(path)
    for text in texts:
        cache.read_frontmatter(text, 2)
    cache.save()


def test_a_warm_cache_answers_exactly_as_the_parser(corpus_files, tmp_path):
    path = tmp_path / FILE_NAME
    texts = [cf.doc.frontmatter for cf in corpus_files if cf.doc.frontmatter is not None]
    texts += ["n: 1\nf: 1.5\nt: yes\nz: ~\nb: !!binary aGk=\ns: !!set {a, b}\nk: {1: x, true: y}\n",
              "when: 2024-01-02\n", "a: 1\na: 2\n", "name: x\ndescription: Use: when\n"]
    _warm(path, texts)
    assert path.is_file()
    cache = ParseCache(path)
    for text in texts:
        for first_line in (2, 7):
            assert _same(cache.read_frontmatter(text, first_line), read_frontmatter(text, first_line)), text
    # Only standard YAML is cached: a text read through Claude Code's fallback is read again.
    valid = sum(1 for t in texts if (fm := read_frontmatter(t, 2)).error is None and not fm.lenient)
    assert cache.hits == 2 * (valid - 1)  # every valid text but the one with a date came from the cache


def test_each_hit_is_a_fresh_copy(tmp_path):
    text = AGENT.format(name="a", what="x")
    _warm(tmp_path / FILE_NAME, [text])
    cache = ParseCache(tmp_path / FILE_NAME)
    first = cache.read_frontmatter(text, 2).data
    first["coordination"]["hands_off_to"].append("changed")
    assert cache.read_frontmatter(text, 2).data == read_frontmatter(text, 2).data
    assert cache.hits == 2


def test_a_changed_frontmatter_is_parsed_again_even_with_the_same_length(tmp_path):
    before, after = AGENT.format(name="a", what="x"), AGENT.format(name="b", what="y")
    assert len(before) == len(after)
    _warm(tmp_path / FILE_NAME, [before])
    cache = ParseCache(tmp_path / FILE_NAME)
    assert cache.read_frontmatter(after, 2).data["name"] == "b"
    assert cache.hits == 0


def test_a_file_rewritten_with_the_same_size_time_and_inode_loads_its_new_content(tmp_path, monkeypatch):
    monkeypatch.setenv("AGENT_CANVAS_CACHE_DIR", str(tmp_path / "cache"))
    team_dir = tmp_path / "team"
    team_dir.mkdir()
    agent = team_dir / "a.md"
    agent.write_text("---\n" + AGENT.format(name="a", what="x") + "---\nBody\n")
    stat = agent.stat()
    assert Team.load(team_dir).files["a.md"].agent.description == "Does x."
    assert (tmp_path / "cache" / file_name(team_dir)).is_file()
    with agent.open("r+") as f:  # same inode, same size, and the old modification time put back
        f.write("---\n" + AGENT.format(name="a", what="y") + "---\nBody\n")
    os.utime(agent, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    after = agent.stat()
    assert (after.st_ino, after.st_size, after.st_mtime_ns) == (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    assert Team.load(team_dir).files["a.md"].agent.description == "Does y."


def _damage(path: Path, how: str) -> None:
    raw = path.read_bytes()
    if how == "truncated":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "flipped":  # one bit of the stored value (after its key): it would unmarshal, wrongly
        assert raw.count(b"Does x.") == 2
        head, _, tail = raw.rpartition(b"Does x.")
        path.write_bytes(head + b"Does y." + tail)
    elif how == "garbage":
        path.write_bytes(os.urandom(len(raw)))
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "old format":
        format_word = f"cache {parse_cache.FORMAT} ".encode()
        assert format_word in raw
        path.write_bytes(raw.replace(format_word, f"cache {parse_cache.FORMAT - 1} ".encode(), 1))
    elif how == "folder":
        path.unlink()
        path.mkdir()


@pytest.mark.parametrize("how", ["truncated", "flipped", "garbage", "empty", "old format", "folder"])
def test_a_damaged_cache_is_ignored_silently(tmp_path, how, capsys):
    path = tmp_path / FILE_NAME
    text = AGENT.format(name="a", what="x")
    _warm(path, [text])
    _damage(path, how)
    cache = ParseCache(path)
    assert _same(cache.read_frontmatter(text, 2), read_frontmatter(text, 2))
    assert cache.hits == 0
    cache.save()  # replaces a damaged file with a good one (a folder in the way stays: no harm)
    again = ParseCache(path)
    assert _same(again.read_frontmatter(text, 2), read_frontmatter(text, 2))
    assert again.hits == (0 if how == "folder" else 1)
    assert capsys.readouterr() == ("", "")


def test_a_damaged_entry_is_parsed_again(tmp_path):
    path = tmp_path / FILE_NAME
    text = AGENT.format(name="a", what="x")
    cache = ParseCache(path)
    cache._stored[text] = b"\xff not marshal"
    assert _same(cache.read_frontmatter(text, 2), read_frontmatter(text, 2))
    assert cache.hits == 0


def test_an_unwritable_cache_folder_is_harmless(tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("AGENT_CANVAS_CACHE_DIR", str(blocker / "cache"))
    team_dir = tmp_path / "team"
    team_dir.mkdir()
    (team_dir / "a.md").write_text("---\n" + AGENT.format(name="a", what="x") + "---\nBody\n")
    for _ in range(2):
        team = Team.load(team_dir)
        assert team.files["a.md"].agent.description == "Does x."
    assert blocker.read_text() == "a file where the cache folder would be"
    assert sorted(tmp_path.iterdir()) == sorted([blocker, team_dir])
    assert capsys.readouterr() == ("", "")


def test_nothing_is_written_when_nothing_was_added(tmp_path):
    path = tmp_path / FILE_NAME
    text = AGENT.format(name="a", what="x")
    _warm(path, [text])
    written = path.stat().st_mtime_ns
    os.utime(path, ns=(written - 10**9, written - 10**9))
    cache = ParseCache(path)
    cache.read_frontmatter(text, 2)
    cache.save()
    assert path.stat().st_mtime_ns == written - 10**9
    assert [p.name for p in tmp_path.iterdir()] == [FILE_NAME]  # no temporary file left behind


def test_the_cache_folder_is_the_users_unless_overridden(monkeypatch, tmp_path):
    import platformdirs

    monkeypatch.delenv("AGENT_CANVAS_CACHE_DIR")
    assert parse_cache.cache_dir() == Path(platformdirs.user_cache_dir("agent-canvas", appauthor=False))
    monkeypatch.setenv("AGENT_CANVAS_CACHE_DIR", str(tmp_path))
    assert parse_cache.cache_dir() == tmp_path


def _team(folder: Path, names: list[str], what: str = "x") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name in names:
        (folder / f"{name}.md").write_text("---\n" + AGENT.format(name=name, what=what) + "---\nBody\n")
    return folder


def _entries(path: Path) -> int:
    return len(ParseCache(path)._stored)


def test_each_team_folder_has_its_own_cache_file(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("AGENT_CANVAS_CACHE_DIR", str(cache))
    big = _team(tmp_path / "big", [f"a{i}" for i in range(30)])
    small = _team(tmp_path / "small", ["s"])
    Team.load(big)
    Team.load(small)
    assert _entries(cache / file_name(big)) == 30 and _entries(cache / file_name(small)) == 1


def test_old_entries_are_kept_only_as_many_as_were_used(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("AGENT_CANVAS_CACHE_DIR", str(cache))
    team = _team(tmp_path / "team", ["a", "b"])
    for what in "pqrst":  # every run changes both agents
        _team(team, ["a", "b"], what)
        Team.load(team)
    assert _entries(cache / file_name(team)) == 4  # this run's two and two older ones


def test_only_the_most_recently_written_cache_files_are_kept(tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    monkeypatch.setenv("AGENT_CANVAS_CACHE_DIR", str(cache))
    monkeypatch.setattr(parse_cache, "MAX_FILES", 2)
    teams = [_team(tmp_path / f"t{i}", ["a"], str(i)) for i in range(4)]
    for i, team in enumerate(teams):
        Team.load(team)
        written = cache / file_name(team)
        os.utime(written, ns=(i * 10**9, (i + 1) * 10**12))  # distinct times even on a coarse clock
    assert sorted(p.name for p in cache.iterdir()) == sorted(file_name(t) for t in teams[-2:])
