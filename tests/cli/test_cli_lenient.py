"""`agent-canvas validate` and `repair` on a file Claude Code reads only through its fallback."""

from __future__ import annotations

import json

from app.__main__ import main

WIZARD = ("---\nname: helper\n"
          "description: Use this agent when a build fails. Examples:\\n\\n<example>\\nContext: CI is red\\n"
          "</example>\n---\n\nYou help.\n")


def test_validate_passes_a_wizard_style_file_with_a_warning_and_repair_makes_it_standard(capsys, tmp_path):
    (tmp_path / "helper.md").write_text(WIZARD, encoding="utf-8")
    code = main(["validate", str(tmp_path), "--json"])
    report = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [(p["code"], p["severity"], p["line"]) for p in report["problems"]] == [("lenient-yaml", "warning", 3)]
    assert main(["repair", str(tmp_path / "helper.md")]) == 0
    capsys.readouterr()
    assert main(["validate", str(tmp_path), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["problems"] == []
    assert (tmp_path / "helper.md").read_text(encoding="utf-8").endswith("---\n\nYou help.\n")
