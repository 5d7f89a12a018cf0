"""Property and problems panels: every edit is checked on the files and the model, not the widgets."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from app.model.fixes import quick_fixes
from app.model.team import Team
from app.ui.controller import Controller
from app.ui.panels.problems import ProblemsPanel
from app.ui.panels.properties import PropertyPanel
from app.ui.session import Session

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"


@pytest.fixture
def team_dir(tmp_path):
    folder = tmp_path / "team"
    shutil.copytree(SAMPLE_TEAM, folder)
    return folder


@pytest.fixture
def env(qtbot, team_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))
    controller = Controller()
    props = PropertyPanel(controller)
    problems = ProblemsPanel(controller)
    qtbot.addWidget(props)
    qtbot.addWidget(problems)
    props.resize(420, 900)
    session = Session(controller, props)
    controller.set_team(Team.load(team_dir))
    return controller, props, problems, session, team_dir


def changed_lines(before: bytes, after: bytes) -> list[str]:
    diff = difflib.unified_diff(before.decode().splitlines(), after.decode().splitlines(), lineterm="", n=0)
    return [ln for ln in diff if ln[:1] in "+-" and not ln.startswith(("+++", "---"))]


def test_selection_and_refresh_push_no_operation(env):
    controller, props, _problems, _s, _d = env
    controller.select(["backend-specialist"])
    assert props.stack.currentWidget() is props.form_page
    assert props.form.name_edit.text() == "backend-specialist"
    assert props.form.model.currentText() == "sonnet"
    controller.select(["api-designer"])
    controller.select(["backend-specialist"])
    assert controller.undo_stack.count() == 0
    assert not controller.team.dirty()


def test_model_change_writes_exactly_one_line(env):
    controller, props, _p, session, folder = env
    before = (folder / "backend-specialist.md").read_bytes()
    controller.select(["backend-specialist"])
    props.form.model.setCurrentIndex(props.form.model.findText("opus"))
    props.form.model.activated.emit(props.form.model.currentIndex())
    assert controller.team.agent("backend-specialist").agent.model == "opus"
    assert controller.undo_stack.count() == 1
    assert session.save_all()
    after = (folder / "backend-specialist.md").read_bytes()
    assert changed_lines(before, after) == ["-model: sonnet", "+model: opus"]
    # the other files were not touched
    assert (folder / "api-designer.md").read_bytes() == (SAMPLE_TEAM / "api-designer.md").read_bytes()


def test_free_text_model_and_clearing_it(env):
    controller, props, _p, _s, _d = env
    controller.select(["test-engineer"])
    props.form.model.setEditText("claude-sonnet-4-5")
    props.form.model.lineEdit().editingFinished.emit()
    assert controller.team.agent("test-engineer").agent.model == "claude-sonnet-4-5"
    props.form.model.setEditText("")
    props.form.model.lineEdit().editingFinished.emit()
    assert controller.team.agent("test-engineer").agent.model is None
    assert "model:" not in controller.team.agent("test-engineer").text.split("---")[1]
    assert controller.undo_stack.count() == 2


def test_description_typing_burst_is_one_undo_step_and_undo_is_exact(env, qtbot):
    controller, props, _p, _s, folder = env
    original = (folder / "code-reviewer.md").read_bytes()
    controller.select(["code-reviewer"])
    props.form.description.setFocus()
    cursor = props.form.description.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    props.form.description.setTextCursor(cursor)
    qtbot.keyClicks(props.form.description, " Also: checks naming.")
    # committed after a short pause in typing
    qtbot.waitUntil(lambda: controller.team.agent("code-reviewer").agent.description.endswith("naming."))
    af = controller.team.agent("code-reviewer")
    assert af.agent.description.endswith(" Also: checks naming.")
    assert controller.undo_stack.count() == 1
    controller.undo_stack.undo()
    assert controller.team.agent("code-reviewer").text.encode() == original
    assert not controller.team.dirty()
    # the panel shows the restored text without pushing anything new
    assert props.form.description.toPlainText() == controller.team.agent("code-reviewer").agent.description
    assert controller.undo_stack.count() == 1 and controller.undo_stack.index() == 0


def test_invalid_name_is_explained_and_not_applied(env, qtbot):
    controller, props, _p, _s, _d = env
    controller.select(["code-reviewer"])
    props.form.name_edit.setFocus()
    props.form.name_edit.selectAll()
    qtbot.keyClicks(props.form.name_edit, "code:reviewer")  # Claude Code would not load it
    assert props.form.name_note.isVisibleTo(props)
    assert '":"' in props.form.name_note.text()
    props.form.name_edit.editingFinished.emit()
    assert controller.team.agent("code-reviewer") is not None
    assert controller.undo_stack.count() == 0
    props.form.name_edit.setText("api-designer")
    props.form.name_edit.textEdited.emit("api-designer")
    assert "already" in props.form.name_note.text()


def test_rename_in_panel_updates_references_and_file_name(env):
    controller, props, _p, session, folder = env
    controller.select(["api-designer"])
    props.form.name_edit.setText("api-architect")
    props.form.name_edit.editingFinished.emit()
    team = controller.team
    assert team.agent("api-designer") is None
    assert team.agent("api-architect") is not None
    assert controller.selection == ["api-architect"]
    assert props.form.name_edit.text() == "api-architect"
    assert session.save_all()
    assert not (folder / "api-designer.md").exists()
    assert (folder / "api-architect.md").read_text().startswith("---\nname: api-architect\n")
    backend = (folder / "backend-specialist.md").read_text().split("\n---\n")[0]  # the frontmatter
    assert "api-designer" not in backend and "api-architect" in backend
    reloaded = Team.load(folder)
    assert "api-designer" not in reloaded.names()
    assert not [p for p in reloaded.problems if p.code == "unknown-reference"]


def test_adding_a_handoff_declares_both_sides(env, qtbot):
    controller, props, _p, session, folder = env
    team = controller.team
    assert "security-auditor" not in team.agent("test-engineer").agent.hands_off_to
    controller.select(["test-engineer"])
    props.form.handoffs.add_line.setText("security-auditor")
    props.form.handoffs.add_button.click()
    assert controller.undo_stack.count() == 1
    assert "security-auditor" in team.agent("test-engineer").agent.hands_off_to
    assert "test-engineer" in team.agent("security-auditor").agent.receives_from
    assert "security-auditor" in props.form.handoffs.names()
    assert session.save_all()
    assert "security-auditor" in (folder / "test-engineer.md").read_text().split("---")[1]
    assert "test-engineer" in (folder / "security-auditor.md").read_text().split("---")[1]
    # removing it again (select it, press Delete) takes it out of both files, one undo step
    lst = props.form.handoffs.list
    item = next(lst.item(i) for i in range(lst.count()) if lst.item(i).text() == "security-auditor")
    lst.setCurrentItem(item)
    qtbot.keyClick(lst, Qt.Key.Key_Delete)
    assert controller.undo_stack.count() == 2
    assert "security-auditor" not in team.agent("test-engineer").agent.hands_off_to
    assert "test-engineer" not in team.agent("security-auditor").agent.receives_from


def test_unknown_handoff_name_is_refused_in_words(env):
    controller, props, _p, _s, _d = env
    controller.select(["test-engineer"])
    props.form.handoffs.add_line.setText("nobody-here")
    props.form.handoffs.add_button.click()
    assert controller.undo_stack.count() == 0
    assert "no agent named nobody-here" in props.form.relation_note.text()


def test_colour_and_tools(env):
    controller, props, _p, session, folder = env
    before = (folder / "test-engineer.md").read_bytes()
    controller.select(["test-engineer"])
    props.form.color.click("purple")
    af = controller.team.agent("test-engineer")
    assert af.agent.color == "purple"
    props.form.tools.check("WebFetch", True)
    assert controller.team.agent("test-engineer").agent.tools == "Read, Write, Edit, Bash, Grep, Glob, WebFetch"
    assert controller.undo_stack.count() == 2
    assert session.save_all()
    assert changed_lines(before, (folder / "test-engineer.md").read_bytes()) == [
        "-tools: Read, Write, Edit, Bash, Grep, Glob",
        "+tools: Read, Write, Edit, Bash, Grep, Glob, WebFetch",
        "-color: green",
        "+color: purple",
    ]
    # "All tools" means the key is absent
    props.form.tools.all_tools.setChecked(True)
    assert controller.team.agent("test-engineer").agent.tools is None
    assert "\ntools:" not in controller.team.agent("test-engineer").text


def test_body_edit_keeps_frontmatter_bytes(env, qtbot):
    controller, props, _p, session, folder = env
    before = (folder / "devops-engineer.md").read_bytes()
    head = before[: before.index(b"\n---\n") + 5]
    controller.select(["devops-engineer"])
    editor = props.form.body.editor
    editor.setFocus()
    cursor = editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.setTextCursor(cursor)
    qtbot.keyClicks(editor, "Extra line")
    props.flush()  # what Save does first
    assert controller.undo_stack.count() == 1
    assert session.save_all()
    after = (folder / "devops-engineer.md").read_bytes()
    assert after.startswith(head)
    assert after.rstrip(b"\n").endswith(b"Extra line")
    controller.undo_stack.undo()
    assert controller.team.agent("devops-engineer").text.encode() == before


def test_multiple_and_empty_selection(env):
    controller, props, _p, _s, _d = env
    controller.select([])
    assert props.stack.currentWidget() is props.empty_page
    controller.select(["api-designer", "test-engineer", "code-reviewer"])
    assert props.stack.currentWidget() is props.multi_page
    assert props.multi_label.text() == "3 agents selected"


def _break_receives(folder):
    """frontend-specialist hands off to code-reviewer; make code-reviewer forget it."""
    path = folder / "code-reviewer.md"
    text = path.read_text()
    fm_end = text.index("\n---\n")
    fm = text[:fm_end]
    line = next(ln for ln in fm.splitlines() if ln.strip().startswith("receives_from:"))
    assert line.endswith("[backend-specialist, frontend-specialist]")
    new_line = line.replace(", frontend-specialist", "")
    path.write_text(text.replace(line, new_line, 1))
    return path


def test_quick_fix_declares_the_missing_side(qtbot, team_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("AGENT_CANVAS_JOURNAL_DIR", str(tmp_path / "journal"))
    path = _break_receives(team_dir)
    broken = path.read_bytes()
    controller = Controller()
    problems = ProblemsPanel(controller)
    qtbot.addWidget(problems)
    session = Session(controller, problems)
    controller.set_team(Team.load(team_dir))
    asym = [p for p in problems.visible_problems() if p.code == "asymmetric-handoff"]
    assert len(asym) == 1
    fixes = problems.fixes_for(asym[0])
    assert fixes and fixes[0].label.startswith("Declare the missing side")
    assert problems.apply_fix(fixes[0])
    assert controller.undo_stack.count() == 1
    assert not [p for p in controller.team.problems if p.code == "asymmetric-handoff"]
    assert [p.code for p in problems.visible_problems()] == [
        p.code for p in controller.team.problems
    ]
    assert session.save_all()
    fixed = path.read_bytes()
    assert changed_lines(broken, fixed) == [  # the receives_from line, nothing else
        "-  receives_from: [backend-specialist]",
        "+  receives_from: [backend-specialist, frontend-specialist]",
    ]
    assert fixed == (SAMPLE_TEAM / "code-reviewer.md").read_bytes()
    # only that file was written
    front = "frontend-specialist.md"
    assert (team_dir / front).read_bytes() == (SAMPLE_TEAM / front).read_bytes()


def test_clicking_a_problem_selects_the_agent(env):
    controller, props, problems, _s, folder = env
    _break_receives(folder)
    controller.set_team(Team.load(folder))
    row = next(r for r, p in enumerate(problems.visible_problems()) if p.code == "asymmetric-handoff")
    index = problems.model.index(row, 0)
    problems.view.clicked.emit(index)
    p = problems.problem_at(index)
    assert controller.selection == [p.agent]
    assert props.form.name_edit.text() == p.agent


def test_severity_filter(env):
    controller, _props, problems, _s, folder = env
    _break_receives(folder)
    (folder / "notes.md").write_text("Just notes, no frontmatter.\n")
    controller.set_team(Team.load(folder))
    severities = {p.severity for p in problems.visible_problems()}
    assert {"warning", "info"} <= severities
    problems.filters["warning"].setChecked(False)
    assert all(p.severity != "warning" for p in problems.visible_problems())
    assert any(p.severity == "info" for p in problems.visible_problems())


def test_unknown_reference_fixes(env):
    controller, _props, problems, _s, folder = env
    path = folder / "test-engineer.md"
    path.write_text(path.read_text().replace("hands_off_to: [docs-sync-agent]",
                                             "hands_off_to: [docs-sync-agent, release-manager]"))
    controller.set_team(Team.load(folder))
    unknown = [p for p in controller.team.problems if p.code == "unknown-reference"]
    assert len(unknown) == 1
    labels = [f.label for f in quick_fixes(controller.team, unknown[0])]
    assert any(label.startswith("Remove release-manager") for label in labels)
    create = next(f for f in quick_fixes(controller.team, unknown[0]) if f.label.startswith("Create"))
    assert problems.apply_fix(create)
    team = controller.team
    assert team.agent("release-manager") is not None
    assert "test-engineer" in team.agent("release-manager").agent.receives_from
    assert not [p for p in team.problems if p.code == "unknown-reference"]
    controller.undo_stack.undo()  # one step takes both the new agent and the link away
    assert controller.team.agent("release-manager") is None
    remove = next(f for f in quick_fixes(controller.team, unknown[0]) if f.label.startswith("Remove"))
    assert problems.apply_fix(remove)
    assert controller.team.agent("test-engineer").agent.hands_off_to == ["docs-sync-agent"]


def test_leaving_the_field_starts_a_new_undo_step(env, qtbot):
    controller, props, _p, _s, _d = env
    props.show()
    props.activateWindow()
    qtbot.waitUntil(props.isActiveWindow)
    controller.select(["code-reviewer"])
    props.form.description.setFocus()
    qtbot.keyClicks(props.form.description, "A")
    props.form.name_edit.setFocus()  # focus leaves the description
    props.form.description.setFocus()
    qtbot.keyClicks(props.form.description, "B")
    props.form.name_edit.setFocus()
    assert controller.undo_stack.count() == 2
    controller.undo_stack.undo()
    assert controller.team.agent("code-reviewer").agent.description.startswith("A")
    assert not controller.team.agent("code-reviewer").agent.description.startswith("BA")


def test_ctrl_z_in_a_text_field_undoes_the_typing_at_once(env, qtbot):
    controller, props, _p, _s, folder = env
    original = (folder / "code-reviewer.md").read_bytes()
    props.show()
    props.activateWindow()
    qtbot.waitUntil(props.isActiveWindow)
    controller.select(["code-reviewer"])
    props.form.description.setFocus()
    qtbot.keyClicks(props.form.description, "typed fast")  # no pause: not committed yet
    qtbot.keyClick(props.form.description, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert controller.undo_stack.index() == 0 and controller.undo_stack.count() == 1
    assert controller.team.agent("code-reviewer").text.encode() == original
    assert props.form.description.toPlainText() == controller.team.agent("code-reviewer").agent.description


def test_invalid_yaml_is_read_only_and_repair_is_one_step(env):
    controller, props, problems, session, folder = env
    path = folder / "broken-one.md"
    # An indented line with ": ": beyond what Claude Code's fallback reads.
    raw = b"---\nname: broken-one\ndescription: Use it\n  when: things break\nmodel: opus\n---\n\nBody.\n"
    path.write_bytes(raw)
    controller.set_team(Team.load(folder))
    controller.select(["broken-one"])
    assert props.form.banner.isVisibleTo(props)
    assert "Line 4" in props.form.banner_text.text() or "line 4" in props.form.banner_text.text()
    assert not props.form.settings.isEnabled() and props.form.body.editor.isReadOnly()
    yaml_problem = next(p for p in problems.visible_problems() if p.code == "yaml-error")
    assert problems.fixes_for(yaml_problem)[0].label.startswith("Repair")
    props.form.repair_button.click()
    assert controller.undo_stack.count() == 1
    af = controller.team.agent("broken-one")
    assert af.error is None and af.agent.description == "Use it when: things break"
    assert not props.form.banner.isVisibleTo(props) and props.form.settings.isEnabled()
    assert session.save_all()
    assert path.read_bytes() == raw.replace(b"Use it\n  when: things break", b"'Use it\n  when: things break'")
    controller.undo_stack.undo()
    assert controller.team.agent("broken-one").text.encode() == raw


def test_every_one_sided_relation_of_the_seed_team_has_a_working_fix(qtbot, corpus, tmp_path):
    source = next(p for p in corpus if "dee5906" in str(p)).parent
    folder = tmp_path / "seed-team"
    shutil.copytree(source, folder)
    controller = Controller()
    problems = ProblemsPanel(controller)
    qtbot.addWidget(problems)
    controller.set_team(Team.load(folder))
    one_sided = [p for p in controller.team.problems if p.code.startswith("asymmetric-")]
    assert len(one_sided) > 10
    for p in one_sided:
        fixes = problems.fixes_for(p)
        assert [f.kind for f in fixes] == ["declare", "remove-relation"], p.message
        assert fixes[0].label.startswith("Declare the missing side")
    first, second = one_sided[0], one_sided[1]
    assert problems.apply_fix(problems.fixes_for(first)[0])
    after = [p for p in controller.team.problems if p.code.startswith("asymmetric-")]
    assert len(after) == len(one_sided) - 1 and first not in after
    # "Remove this relation" takes it out of the declaring file: no relation, no problem.
    assert problems.apply_fix(problems.fixes_for(second)[1])
    assert second.relation not in {r.key for r in controller.team.relations()}
    assert len([p for p in controller.team.problems if p.code.startswith("asymmetric-")]) == len(one_sided) - 2


def test_mcp_tool_is_added_to_a_comma_string_as_text(env):
    controller, props, _p, session, folder = env
    before = (folder / "test-engineer.md").read_bytes()
    controller.select(["test-engineer"])
    props.form.tools.extra.setPlainText("mcp__github__create_issue")
    props.flush()  # not committed by typing alone: on leaving the box, or before a save
    props.form.tools.commit()
    af = controller.team.agent("test-engineer")
    assert af.agent.tools == "Read, Write, Edit, Bash, Grep, Glob, mcp__github__create_issue"
    assert props.form.tools.note.isHidden()  # an MCP name is a fine tool name
    assert session.save_all()
    assert changed_lines(before, (folder / "test-engineer.md").read_bytes()) == [
        "-tools: Read, Write, Edit, Bash, Grep, Glob",
        "+tools: Read, Write, Edit, Bash, Grep, Glob, mcp__github__create_issue",
    ]


def test_undo_and_redo_of_a_rename_keep_the_agent_in_the_panel(env, qtbot):
    controller, props, _p, _s, _d = env
    controller.select(["api-designer"])
    props.form.name_edit.setText("api-architect")
    props.form.name_edit.editingFinished.emit()
    controller.undo_stack.undo()
    qtbot.waitUntil(lambda: controller.selection == ["api-designer"])
    assert props.stack.currentWidget() is props.form_page
    assert props.form.name_edit.text() == "api-designer"
    controller.undo_stack.redo()
    qtbot.waitUntil(lambda: controller.selection == ["api-architect"])
    assert props.form.name_edit.text() == "api-architect"
    assert controller.undo_stack.count() == 1


def test_one_sided_entry_is_declared_on_both_sides_from_the_panel(env):
    controller, props, _p, session, folder = env
    _break_receives(folder)  # frontend-specialist hands off to code-reviewer; code-reviewer forgot
    controller.set_team(Team.load(folder))
    controller.select(["frontend-specialist"])
    lst = props.form.handoffs.list
    item = next(lst.item(i) for i in range(lst.count())
                if lst.item(i).data(Qt.ItemDataRole.UserRole) == "code-reviewer")
    assert "not declared back" in item.text()
    assert item.data(Qt.ItemDataRole.UserRole + 2) == "one-sided"
    props.form.handoffs.completeRequested.emit("code-reviewer")
    assert "frontend-specialist" in controller.team.agent("code-reviewer").agent.receives_from
    assert controller.undo_stack.count() == 1
    assert session.save_all()
    assert (folder / "code-reviewer.md").read_bytes() == (SAMPLE_TEAM / "code-reviewer.md").read_bytes()
    item = next(lst.item(i) for i in range(lst.count())
                if lst.item(i).data(Qt.ItemDataRole.UserRole) == "code-reviewer")
    assert item.text() == "code-reviewer"
    props.form.handoffs.list.itemDoubleClicked.emit(item)  # go to that agent
    assert controller.selection == ["code-reviewer"]


def test_self_reference_fix_removes_only_that_name(env):
    controller, _props, problems, _s, folder = env
    path = folder / "test-engineer.md"
    path.write_text(path.read_text().replace("parallel_with: [performance-optimizer]",
                                             "parallel_with: [performance-optimizer, test-engineer]"))
    controller.set_team(Team.load(folder))
    selfref = next(p for p in controller.team.problems if p.code == "self-reference")
    assert problems.filters["warning"].text().startswith("Warnings ")
    fixes = problems.fixes_for(selfref)
    assert [f.label for f in fixes] == ["Remove test-engineer from test-engineer's parallel-with"]
    assert problems.apply_fix(fixes[0])
    assert controller.team.agent("test-engineer").agent.parallel_with == ["performance-optimizer"]
    assert not [p for p in controller.team.problems if p.code == "self-reference"]


def test_a_relation_problem_without_a_field_goes_to_the_agents_own_list():
    from app.model.validation import Problem

    def problem(agent: str, relation: tuple[str, str, str]) -> Problem:
        return Problem("asymmetric-handoff", "warning", f"{agent}.md", 3, agent, "…", None, relation, None)

    assert ProblemsPanel.field_for(problem("b", ("handoff", "a", "b"))) == "coordination.receives_from"
    assert ProblemsPanel.field_for(problem("a", ("handoff", "a", "b"))) == "coordination.hands_off_to"
    assert ProblemsPanel.field_for(problem("b", ("parallel", "a", "b"))) == "coordination.parallel_with"
