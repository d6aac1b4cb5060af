"""The teams at a facilitated decision: who has chosen, and (once revealed) what.

Before the reveal only a tick shows that a team has recorded its choice, so a projected screen
does not sway the tables still deciding. The cursor marks the team the next number key records.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual import events
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from engine.core.i18n import _


class TeamPanel(Widget):
    """One line per team: cursor, name, then `...`, `chosen` or the revealed choice number."""

    cursor: reactive[int] = reactive(0)
    revealed: reactive[bool] = reactive(False)

    class TeamClicked(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, teams: Sequence[str], **kwargs) -> None:
        super().__init__(**kwargs)
        self.teams = tuple(teams)
        self._votes: dict[str, int | None] = dict.fromkeys(self.teams)
        self.active = True  # False outside decisions: no cursor shown

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.teams)

    @property
    def current(self) -> str:
        return self.teams[self.cursor]

    def set_votes(self, votes: Mapping[str, int | None]) -> None:
        """Team -> 1-based number of its choice among those offered (None: not yet)."""
        self._votes = {t: votes.get(t) for t in self.teams}
        self.refresh(layout=True)

    def move(self, step: int) -> None:
        self.cursor = (self.cursor + step) % len(self.teams)

    def next_pending(self) -> None:
        """Move the cursor to the next team without a recorded choice (if any)."""
        n = len(self.teams)
        for k in range(1, n + 1):
            i = (self.cursor + k) % n
            if self._votes.get(self.teams[i]) is None:
                self.cursor = i
                return

    def render(self) -> Content:
        lines = []
        width = max(10, self.size.width)
        for i, team in enumerate(self.teams):
            vote = self._votes.get(team)
            pointer = ">" if self.active and i == self.cursor else " "
            if vote is None:
                status, style = "...", "$text-muted"
            elif self.revealed:
                status, style = f"#{vote}", "bold $accent"
            else:
                status, style = _("chosen"), "bold $success"
            name = team
            room = width - 2 - len(status) - 1
            if len(name) > room:
                name = name[: max(1, room - 1)] + "…"
            pad = " " * max(1, width - 2 - len(name) - len(status))
            line_style = "reverse" if self.active and i == self.cursor else ""
            lines.append(Content.assemble((f"{pointer} {name}{pad}", line_style), (status, style)))
        return Content("\n").join(lines)

    def on_click(self, event: events.Click) -> None:
        if 0 <= event.y < len(self.teams):
            self.cursor = event.y
            self.post_message(self.TeamClicked(event.y))
