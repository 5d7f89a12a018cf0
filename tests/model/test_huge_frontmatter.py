"""A frontmatter of 100,000 keys took 36 s per edit (and froze the editor): past MAX_EDIT_LINES an
edit is refused in words and the file is left as it was; the other agents stay editable."""

from __future__ import annotations

import pytest

from app.model.operations import MAX_EDIT_LINES, OperationError, SetField


def test_a_huge_frontmatter_is_refused_in_words_and_left_alone(make_team, tmp_path):
    many = "".join(f"k{i}: v{i}\n" for i in range(MAX_EDIT_LINES + 10))
    team = make_team({"many.md": f"---\nname: many\ndescription: Many keys.\n{many}---\nbody\n",
                      "small.md": "---\nname: small\ndescription: Few keys.\n---\n"})
    before = (tmp_path / "many.md").read_bytes()
    with pytest.raises(OperationError, match="too many to change here"):
        team.apply(SetField("many", "model", "opus"))
    team.apply(SetField("small", "model", "opus"))
    assert team.save() == []
    assert (tmp_path / "many.md").read_bytes() == before
    assert "model: opus" in (tmp_path / "small.md").read_text()
