"""What Claude Code loads is an agent here; what it skips is an error that says so; names follow
its loader (and what Windows can name a file), the documented style is a note."""

from __future__ import annotations

import pytest
from teamkit import agent_md

from app.model.agent import MAX_NAME_LENGTH, name_problem, name_style_problem
from app.model.fixes import quick_fixes
from app.model.operations import AddAgent, OperationError, RenameAgent, SetField

NOT_LOADED = "Claude Code will not load this agent: "

WIZARD = ("---\nname: helper\n"
          "description: Use this agent when things break. Examples:\\n\\n<example>\\nContext: a test"
          " fails\\nuser: \"why?\"\\n</example>\n"
          "model: sonnet\n---\n\nYou help.\n")


def by_code(team, code):
    return [p for p in team.problems if p.code == code]


def test_a_wizard_style_file_is_an_editable_agent_with_a_warning(make_team):
    team = make_team({"helper.md": WIZARD})
    f = team.agent("helper")
    assert f.error is None and f.lenient and f.editable
    assert f.agent.description.startswith("Use this agent when things break. Examples:\\n\\n<example>")
    assert [(p.code, p.severity, p.line) for p in team.problems] == [("lenient-yaml", "warning", 3)]
    message = team.problems[0].message
    assert "Claude Code reads this file, but other YAML tools reject it; Repair makes it standard YAML" in message
    team.apply(SetField("helper", "model", "opus"))
    assert team.agent("helper").text == WIZARD.replace("model: sonnet", "model: opus")


def test_the_lenient_warnings_fix_is_repair_and_makes_it_standard(make_team):
    team = make_team({"helper.md": WIZARD})
    [problem] = by_code(team, "lenient-yaml")
    [fix] = quick_fixes(team, problem)
    assert fix.kind == "repair"
    before = team.agent("helper").agent
    inverse = team.apply(fix.op)
    f = team.agent("helper")
    assert not f.lenient and f.error is None and f.agent == before
    assert team.problems == []
    team.apply(inverse)
    assert team.agent("helper").text == WIZARD


def test_a_tab_indented_file_is_read_and_its_warning_says_tab(make_team):
    team = make_team({"a.md": "---\nname: a\ndescription: d\ntools:\n\t- Read\n---\n"})
    [p] = by_code(team, "lenient-yaml")
    assert p.line == 5 and "indented with a tab" in p.message
    assert team.agent("a").agent.tools == ["Read"]


@pytest.mark.parametrize(("files", "code", "words"), [
    ({"notes.md": "---\ndescription: Just notes\n---\n"}, "missing-name",
     "notes.md has no name, so Claude Code ignores it as documentation. Add a line such as \"name: notes\""),
    ({"a.md": "---\nname: a\n---\n"}, "missing-description", "a has no description."),
    ({"a.md": agent_md("a", extra="hooks: []\n")}, "invalid-hooks", "the hooks of a are a list ([])"),
    ({"a.md": "---\nname: 'a:b'\ndescription: x\n---\n"}, "invalid-name", 'the name "a:b" is not valid: a name may not contain ":"'),
    ({"a.md": "---\nname: -a\ndescription: x\n---\n"}, "invalid-name", 'may not start with "-"'),
    # Beyond the fallback: Claude Code reads no frontmatter at all, so no name.
    ({"a.md": "---\nname: a\ndescription: x\n  y: z\n---\n"}, "yaml-error", "is shown read-only"),
])
def test_what_claude_code_skips_is_an_error_that_says_so(make_team, files, code, words):
    team = make_team(files)
    [p] = by_code(team, code)
    assert p.severity == "error"
    assert p.message.startswith(NOT_LOADED) and words in p.message, p.message


def test_a_hooks_value_of_another_wrong_type_stays_a_warning(make_team):
    team = make_team({"a.md": agent_md("a", extra="hooks: run lint\n")})
    assert [(p.code, p.severity) for p in team.problems] == [("invalid-value", "warning")]


@pytest.mark.parametrize("name", ["powershell-5.1-expert", "Bad_Name", "Code Reviewer", "x-", "a--b"])
def test_a_name_claude_code_loads_outside_the_style_is_a_note(make_team, name):
    team = make_team({"a.md": f"---\nname: {name}\ndescription: x\n---\n"})
    codes = {(p.code, p.severity) for p in team.problems}
    assert ("name-style", "info") in codes and not [p for p in team.problems if p.severity == "error"]


@pytest.mark.parametrize("name", ["CON", "con", "prn", "Aux", "NUL", "com1", "COM9", "lpt1", "Lpt9",
                                  "con.md", "nul.txt", "a.", "a ", "x" * (MAX_NAME_LENGTH + 1),
                                  "a\n", "a\tb", "a\x00b", "a/b", "a\\b", "a*b", "a?b", "a|b", "a<b", 'a"b'])
def test_names_windows_cannot_make_a_file_of_are_refused(name):
    assert name_problem(name), name
    assert name_style_problem(name) is None


@pytest.mark.parametrize("name", ["com0", "console", "lpt10", "nul-checker", "x" * MAX_NAME_LENGTH, "a.b"])
def test_names_that_only_resemble_device_names_are_fine(name):
    assert name_problem(name) is None


def test_a_trailing_newline_does_not_pass_the_style():
    # re.match(...$) accepts "abc\n"; the rule is a full match.
    assert name_problem("abc\n") and name_style_problem("abc\n") is None
    assert name_style_problem("abc") is None


@pytest.mark.parametrize("new", ["con", "LPT3.md", "a:b", "-a", "b.", "x" * 65, "two\nlines"])
def test_new_names_and_renames_refuse_what_windows_or_claude_code_cannot_take(make_team, new):
    team = make_team({"a.md": agent_md("a")})
    before = {p: f.text for p, f in team.files.items()}
    for op in (AddAgent(new), RenameAgent("a", new)):
        with pytest.raises(OperationError, match="cannot be used as a name"):
            team.apply(op)
    assert {p: f.text for p, f in team.files.items()} == before


def test_a_style_only_name_can_be_given_and_gets_a_rename_fix(make_team):
    team = make_team({"a.md": agent_md("a")})
    team.apply(RenameAgent("a", "Helper_One"))
    [p] = by_code(team, "name-style")
    assert [f.label for f in quick_fixes(team, p)] == ["Rename Helper_One to helper-one"]
