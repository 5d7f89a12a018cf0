"""SetBody and RepairFile: the operations the property and problems panels added to the model."""

from __future__ import annotations

import pytest

from app.model.operations import OperationError, RepairFile, SetBody
from app.model.team import Team

FM = "---\nname: writer\ndescription: Writes things.   # a comment\nmodel: sonnet\n---\n"


def make(tmp_path, raw: bytes, name: str = "writer.md") -> Team:
    (tmp_path / name).write_bytes(raw)
    return Team.load(tmp_path)


def test_set_body_keeps_frontmatter_bytes_and_undo_is_exact(tmp_path):
    raw = (FM + "\n# Old\n\nOld text.\n").encode()
    team = make(tmp_path, raw)
    inverse = team.apply(SetBody("writer", "\n# New\n\nNew text.\n"))
    text = team.agent("writer").text
    assert text == FM + "\n# New\n\nNew text.\n"
    team.apply(inverse)
    assert team.agent("writer").text.encode() == raw
    assert not team.dirty()


def test_set_body_crlf_and_final_newline_kept(tmp_path):
    raw = (FM + "\nOld.\n").replace("\n", "\r\n").encode()
    team = make(tmp_path, raw)
    team.apply(SetBody("writer", "\nLine one\nLine two"))  # the editor's text: "\n" lines
    text = team.agent("writer").text
    head = FM.replace("\n", "\r\n")
    assert text == head + "\r\nLine one\r\nLine two\r\n"  # CRLF, and the final newline stays
    assert team.save() == []
    assert (tmp_path / "writer.md").read_bytes().startswith(head.encode())


def test_set_body_no_final_newline_stays_without(tmp_path):
    raw = (FM + "Body without end").encode()
    team = make(tmp_path, raw)
    team.apply(SetBody("writer", "Changed body\n"))
    assert team.agent("writer").text == FM + "Changed body"


def test_set_body_after_a_closing_fence_at_end_of_file(tmp_path):
    raw = FM[:-1].encode()  # "---" closes the file, no newline after it
    team = make(tmp_path, raw)
    team.apply(SetBody("writer", "Now with a body"))
    text = team.agent("writer").text
    assert text.startswith(FM[:-1]) and text.endswith("---\nNow with a body")
    assert team.agent("writer").agent.model == "sonnet"


def test_set_body_refused_on_invalid_yaml(tmp_path):
    raw = b"---\nname: broken\ndescription: Use it\n  when: needed\n---\nBody\n"  # beyond Claude Code's fallback
    team = make(tmp_path, raw, "broken.md")
    with pytest.raises(OperationError, match="not valid YAML"):
        team.apply(SetBody("broken", "New"))
    assert team.files["broken.md"].text.encode() == raw


def test_repair_file_makes_the_yaml_valid_and_undo_restores(tmp_path):
    raw = b"---\nname: broken\ndescription: Use it\n  when: needed\nmodel: opus\n---\nBody\n"
    team = make(tmp_path, raw, "broken.md")
    assert [p.code for p in team.problems if p.severity == "error"] == ["yaml-error"]
    inverse = team.apply(RepairFile("broken.md"))
    f = team.files["broken.md"]
    assert f.error is None and f.agent.description == "Use it when: needed"
    assert f.text.endswith("---\nBody\n") and "model: opus\n" in f.text
    assert not [p for p in team.problems if p.code == "yaml-error"]
    team.apply(inverse)
    assert team.files["broken.md"].text.encode() == raw
    team.apply(RepairFile("broken.md"))
    with pytest.raises(OperationError, match="already valid"):
        team.apply(RepairFile("broken.md"))
