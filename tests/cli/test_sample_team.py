"""The sample team in agents/ is what a newcomer opens first: it must be clean and complete."""

from pathlib import Path

from app.model.team import Team

SAMPLE_TEAM = Path(__file__).resolve().parents[2] / "agents"

SEED_ROLES = {
    "backend-specialist", "api-designer", "database-specialist", "test-engineer", "code-reviewer",
    "docs-sync-agent", "project-manager", "code-architect", "frontend-specialist",
    "security-auditor", "devops-engineer", "performance-optimizer",
}


def test_sample_team_has_no_errors_or_warnings():
    team = Team.load(SAMPLE_TEAM)
    serious = [p for p in team.problems if p.severity in ("error", "warning")]
    assert serious == []


def test_sample_team_has_every_seed_role_and_names_match_file_stems():
    team = Team.load(SAMPLE_TEAM)
    assert len(team.names()) >= 12
    assert SEED_ROLES <= set(team.names())
    for path, f in team.files.items():
        assert f.agent is not None, path
        assert f.name == Path(path).stem


def test_sample_team_relations_are_declared_on_both_sides():
    team = Team.load(SAMPLE_TEAM)
    relations = team.relations()
    assert relations, "the sample team should show a hand-off graph"
    assert [r for r in relations if r.one_sided] == []
