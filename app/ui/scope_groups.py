"""View → Agents from Other Scopes: the agents Claude Code sees beside the open team.

Claude Code started in the team's project also reads the managed folder, the project folders
above it, the user's `~/.claude/agents` and the installed plugins' agents
(app/model/team_scopes.py). `ScopeGroups(window, view_menu)` shows them in a dock of their own
(`scopesDock`, a tab beside Properties), one group per folder, read-only: "Edit in a New
Window" opens the chosen agent's folder as a team of its own, where edits are the usual undoable
operations. A definition that
loses a name clash is greyed with "overridden by <file>"; the team's own agents that lose one
go into `Controller.overridden`, so their cards are greyed too and the property panel says why.

The other folders are read once per opened team (after the first paint); renames and new agents
in the team re-rank them without reading the disk again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.model.changes import TeamChange
from app.model.scopes import ScopedAgent, ScopeFolder
from app.model.team import Team, TeamError
from app.model.team_scopes import Around, Placement, load_around, place
from app.ui.canvas.agent_view import card_data, problems_by_agent

AGENT = Qt.ItemDataRole.UserRole  # the ScopedAgent of a row


def _home_words(path: Path) -> str:
    """A path with the user's home folder as ~ (shorter, and what the user knows it as)."""
    try:
        return "~/" + path.relative_to(Path.home()).as_posix()
    except ValueError:
        return str(path)


def group_title(sf: ScopeFolder) -> str:
    """A group's heading, short enough for a narrow dock (its folder is the tooltip)."""
    if sf.scope == "managed":
        return "Your organisation's"
    if sf.scope == "user":
        return "Yours (~/.claude/agents)" if _home_words(sf.folder) == "~/.claude/agents" else "Yours"
    if sf.scope == "plugin":
        return f"Plugin {sf.plugin}"
    return f"Project {sf.folder.parent.parent.name}"  # a folder above the team's: its .claude/agents


def agent_words(agent: ScopedAgent) -> str:
    """Why a definition is (not) used, in words: the tooltip and the details."""
    if agent.skipped:
        return f"Claude Code skips this file: {agent.skipped}"
    if agent.shadowed_by is not None:
        return f"Overridden by {_home_words(agent.shadowed_by)}: Claude Code uses that definition of " \
               f"{agent.name}, not this one."
    return "Claude Code can use this agent beside the open team's."


class ScopesPanel(QWidget):
    """The groups as a tree (folder → agents) and the chosen agent's details below it."""

    def __init__(self, groups: ScopeGroups, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("scopesPanel")
        self.groups = groups
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        self.empty = QLabel("Claude Code sees no other agents beside this team: none in your "
                            "~/.claude/agents, the folders above the project or installed plugins.", self)
        self.empty.setObjectName("scopesEmpty")
        self.empty.setWordWrap(True)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.tree = QTreeWidget(split)
        self.tree.setObjectName("scopesTree")
        self.tree.setHeaderHidden(True)
        self.tree.setAccessibleName("Agents from other scopes")
        self.tree.currentItemChanged.connect(lambda item, _old: self._show(item))
        box = QWidget(split)
        bl = QVBoxLayout(box)
        bl.setContentsMargins(0, 4, 0, 0)
        self.details = QLabel(box)
        self.details.setObjectName("scopeDetails")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        scroll = QScrollArea(box)  # a long description scrolls; the button stays in view
        scroll.setWidget(self.details)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.edit_button = QPushButton("Edit in a New Window", box)
        self.edit_button.setObjectName("scopeEdit")
        self.edit_button.setToolTip("Open this agent's folder as a team of its own; here it stays read-only")
        self.edit_button.clicked.connect(self._edit)
        bl.addWidget(scroll, 1)
        bl.addWidget(self.edit_button)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 1)
        lay.addWidget(self.empty)
        lay.addWidget(split, 1)
        self.split = split
        self._show(None)

    def fill(self, around: Around | None, placement: Placement | None) -> None:
        chosen = self.current()
        self.tree.clear()
        placed = placement.others if placement is not None else ()
        muted = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Text)
        keep = None
        for sf in around.folders if around is not None else ():
            agents = [a for a in placed if a.folder == sf.folder]
            if not agents:
                continue
            group = QTreeWidgetItem(self.tree, [group_title(sf)])
            group.setToolTip(0, f"{_home_words(sf.folder)} ({sf.scope} scope)")
            group.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = group.font(0)
            font.setBold(True)
            group.setFont(0, font)
            for agent in sorted(agents, key=lambda a: a.name):
                words = agent_words(agent)
                label = agent.name if agent.active else \
                    f"{agent.name}  — {'skipped' if agent.skipped else 'overridden'}"
                item = QTreeWidgetItem(group, [label])
                item.setData(0, AGENT, agent)
                item.setToolTip(0, f"{_home_words(agent.file)}\n{words}")
                if not agent.active:
                    item.setForeground(0, muted)  # greyed: Claude Code does not use this one
                if chosen is not None and agent.file == chosen.file:
                    keep = item
            group.setExpanded(True)
        shown = self.tree.topLevelItemCount() > 0
        self.empty.setVisible(not shown)
        self.split.setVisible(shown)
        if keep is not None:
            self.tree.setCurrentItem(keep)
        else:
            self._show(None)

    def current(self) -> ScopedAgent | None:
        item = self.tree.currentItem()
        agent = item.data(0, AGENT) if item is not None else None
        return agent if isinstance(agent, ScopedAgent) else None

    def rows(self) -> list[tuple[str, ScopedAgent]]:
        """(group title, agent) of every row, as shown."""
        out = []
        for i in range(self.tree.topLevelItemCount()):
            group = self.tree.topLevelItem(i)
            assert group is not None
            for j in range(group.childCount()):
                child = group.child(j)
                agent = child.data(0, AGENT) if child is not None else None
                if isinstance(agent, ScopedAgent):
                    out.append((group.text(0), agent))
        return out

    def _show(self, item: QTreeWidgetItem | None) -> None:
        agent = item.data(0, AGENT) if item is not None else None
        if not isinstance(agent, ScopedAgent):
            self.details.setText("Choose an agent to see where it is and whether Claude Code uses it.")
            self.edit_button.setEnabled(False)
            return
        lines = [agent.name, _home_words(agent.file), "", agent_words(agent)]
        af = self.groups.file_of(agent)
        summary = af.summary if af is not None else None
        if summary is not None:
            if isinstance(summary.description, str) and summary.description.strip():
                text = " ".join(summary.description.replace("\\n", " ").split())
                lines += ["", text if len(text) <= 300 else text[:299] + "…"]
            model = summary.model if isinstance(summary.model, str) and summary.model else "inherit"
            tools = summary.tool_names()
            lines += ["", f"Model: {model}",
                      "Tools: " + ("all" if tools is None else ", ".join(tools) or "none")]
        lines += ["", "Read-only here: Edit in a New Window opens its folder."]
        if agent.scope == "plugin":
            lines.append("It came with the plugin, which replaces its files when it updates.")
        elif agent.scope == "managed":
            lines.append("Your organisation manages it: changing it may need an administrator.")
        self.details.setText("\n".join(lines))
        self.edit_button.setEnabled(True)

    def _edit(self) -> None:
        agent = self.current()
        if agent is not None and agent.folder is not None:
            self.groups.edit_folder(agent.folder)


class ScopeGroups(QObject):
    """The dock, its View menu entry, and keeping it (and Controller.overridden) current."""

    def __init__(self, window, view_menu) -> None:
        super().__init__(window)
        self.window = window
        self.controller = window.controller
        self.around: Around | None = None
        self.placement: Placement | None = None
        self.home: Path | None = None  # None: the user's home folder ($HOME)
        self.windows: list = []  # the windows opened by Edit in a New Window (kept alive)
        self._chosen = False  # the user showed or hid the dock: leave it so
        self.panel = ScopesPanel(self)
        dock = self.dock = QDockWidget("Other Agents", window)
        dock.setObjectName("scopesDock")
        dock.setWidget(self.panel)
        dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QDockWidget.DockWidgetFeature.DockWidgetFloatable
                         | QDockWidget.DockWidgetFeature.DockWidgetClosable)
        # A tab beside Properties: a dock of its own would take the canvas's share of a small
        # window (small_screen.py). Selecting a card brings Properties back to the front.
        window.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, dock)
        window.tabifyDockWidget(window.properties_dock, dock)
        dock.hide()  # until there is something to show
        self.action = dock.toggleViewAction()
        self.action.setText("Agents from &Other Scopes")
        self.action.setStatusTip("Show or hide the agents Claude Code sees beside this team "
                                 "(your own, plugins', the organisation's)")
        self.action.triggered.connect(self._user_toggled)
        view_menu.addSeparator()
        view_menu.addAction(self.action)
        self.controller.teamOpened.connect(self._team_opened)
        self.controller.teamChanged.connect(self._team_changed)
        self.controller.selectionChanged.connect(lambda names: names and self._front(window.properties_dock))

    # -- reading and ranking --------------------------------------------------------------------
    def _team_opened(self, team: Team) -> None:
        self.around = self.placement = None
        self.panel.fill(None, None)
        if getattr(self.window, "_painted", True):
            QTimer.singleShot(0, lambda: self.load(team))
        else:  # after the first paint (and the check queued for it): start-up shows the team first
            self.window.firstPainted.connect(lambda: QTimer.singleShot(0, lambda: self.load(team)),
                                             Qt.ConnectionType.SingleShotConnection)

    def load(self, team: Team | None = None) -> None:
        """Read the other folders for the open team (again) and show them."""
        team = team or self.controller.team
        if team is None or team is not self.controller.team:
            return  # another team was opened meanwhile
        try:
            self.around = load_around(team.root, self.home)
        except (OSError, TeamError):
            self.around = None  # an unreadable home or plugin folder: nothing to show beside it
        self.replace()
        if not self._chosen:
            self.dock.setVisible(bool(self.placement and self.placement.others))
            self._front(self.window.properties_dock)  # shown as a tab behind Properties

    def _team_changed(self, change: TeamChange) -> None:
        # Only names decide who wins: typing in a description must not rebuild the groups.
        if self.around is not None and change.structure:
            self.replace()

    def replace(self) -> None:
        team = self.controller.team
        if team is None or self.around is None:
            self.placement = None
            self.panel.fill(None, None)
            return
        placement = place(self.around, team)
        if placement != self.placement or not self.panel.rows():
            self.placement = placement
            self.panel.fill(self.around, placement)
        overridden = {name: _home_words(path) for name, path in self.placement.overridden.items()}
        if overridden != self.controller.overridden:
            changed = set(overridden) ^ set(self.controller.overridden) | {
                n for n in overridden if self.controller.overridden.get(n) != overridden[n]}
            self.controller.overridden = overridden
            self._refresh_cards(team, changed)
            self.controller.scopesChanged.emit()

    def _refresh_cards(self, team: Team, names: set[str]) -> None:
        scene = self.window.canvas.canvas_scene
        problems = problems_by_agent(team)
        for name in names:
            card = scene.cards.get(name)
            if card is not None:
                card.set_data(card_data(team, name, problems, self.controller.overridden))

    def file_of(self, agent: ScopedAgent):
        """The AgentFile of a definition in another folder (for its details), or None."""
        for sf in self.around.folders if self.around is not None else ():
            if sf.folder == agent.folder and sf.team is not None:
                rel = agent.file.relative_to(sf.folder).as_posix()
                return sf.team.files.get(rel)
        return None

    # -- the user's choices ---------------------------------------------------------------------
    def _user_toggled(self, on: bool) -> None:
        self._chosen = True
        if on:
            self._front(self.dock)

    @staticmethod
    def _front(dock: QDockWidget) -> None:
        if dock.toggleViewAction().isChecked():  # open, maybe behind the other tab (then not "visible")
            dock.raise_()

    def edit_folder(self, folder: Path):
        """Open `folder` as a team in a new window of the same kind (returns it, or None)."""
        other = type(self.window)(remember=self.window.remember)
        if not other.open_team(folder):
            other.deleteLater()
            return None
        self.windows = [w for w in self.windows if w.isVisible()] + [other]
        other.show()
        return other
