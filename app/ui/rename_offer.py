"""After a rename, a quiet offer in the status bar: "3 instructions still mention
security-auditor — Update them". One click applies app/model/rename_mentions.update_mentions
(one undo step); ignoring it changes nothing."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QWidget

from app.model.changes import TeamChange
from app.model.rename_mentions import mentions, update_mentions
from app.ui.controller import Controller


class RenameOffer(QWidget):
    def __init__(self, controller: Controller, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("renameOffer")
        self.controller = controller
        self.rename: tuple[str, str] | None = None
        self.label = QLabel(self)
        self.update_button = QPushButton("Update them", self)
        self.update_button.setObjectName("renameOffer.update")
        self.update_button.clicked.connect(self.apply)
        self.dismiss = QPushButton("Leave them", self)
        self.dismiss.setObjectName("renameOffer.dismiss")
        self.dismiss.clicked.connect(self.withdraw)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(self.label)
        lay.addWidget(self.update_button)
        lay.addWidget(self.dismiss)
        self.setVisible(False)
        controller.teamChanged.connect(self.consider)
        controller.teamOpened.connect(lambda _team: self.withdraw())

    def consider(self, change: TeamChange) -> None:
        team = self.controller.team
        if team is None or not change.renamed:
            return
        old, new = change.renamed[-1]
        who = mentions(team, old)
        if not who:
            self.withdraw()
            return
        self.rename = (old, new)
        n = len(who)
        self.label.setText(f"{n} agent{'s' if n != 1 else ''}' instructions still mention {old} "
                           f"({', '.join(who[:3])}{'…' if n > 3 else ''}).")
        self.update_button.setToolTip(f"Replace {old} with {new} in those instructions (one undo step)")
        self.setVisible(True)

    def apply(self) -> bool:
        team = self.controller.team
        if team is None or self.rename is None:
            return False
        old, new = self.rename
        self.withdraw()
        return self.controller.do(update_mentions(team, old, new))

    def withdraw(self) -> None:
        self.rename = None
        self.setVisible(False)
