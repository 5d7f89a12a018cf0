"""What the session tests share: a stand-in for the dialogs, and a session on a team."""

from __future__ import annotations

from app.model.team import Team
from app.ui.controller import Controller
from app.ui.panels.properties import PropertyPanel
from app.ui.session import Session


class Asked:
    """Stands in for the dialogs: records each question and answers from a script."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.questions: list[tuple[str, str]] = []
        self.told: list[str] = []

    def ask(self, kind, title, text, choices, default):
        self.questions.append((kind, text))
        if not self.answers:
            raise AssertionError(f"unexpected question {kind}: {text[:300]}")
        return self.answers.pop(0)

    def inform(self, title, text):
        self.told.append(text)


def open_session(qtbot, folder, asked=None):
    """(controller, session, property panel) on the team in `folder`."""
    controller = Controller()
    panel = PropertyPanel(controller)
    qtbot.addWidget(panel)
    session = Session(controller, panel)
    if asked is not None:
        session.ask = asked.ask
        session.inform = asked.inform
    controller.set_team(Team.load(folder))
    return controller, session, panel
