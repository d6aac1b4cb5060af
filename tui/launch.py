"""What the app is asked to open and how to play it: plain data shared by the app, the setup
screen and the command line (no Textual, so `nexus-ttx play` can build it before the app loads).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.play.events import FeedbackTiming


@dataclass(frozen=True)
class PlaySetup:
    """How to play: what the setup screen (or `nexus-ttx play` options) decided."""

    mode: str = "solo"
    teams: tuple[str, ...] = ("Solo",)
    feedback: FeedbackTiming = FeedbackTiming.IMMEDIATE
    timer: int | None = None  # per-decision discussion timer, seconds
    label: str = ""  # the session's label: a course, a day, a cohort
    count: str = "teams"  # what the room's majority counts (facilitated): teams | heads
    order: str = "shuffled"  # shuffled (from a seed recorded in the session) | file
    seed: int | None = None  # the choice-order seed (None: drawn when the session starts)
    roles: tuple[tuple[str, str], ...] = ()  # (team, role id): the role cards assigned
    timing: str | None = None  # the timing profile chosen (short | standard | long)

    @property
    def options(self) -> dict[str, Any]:
        out: dict[str, Any] = {"feedback": self.feedback}
        if self.timer:
            out["timer"] = int(self.timer)
        if self.mode == "facilitated":
            out["count"] = self.count
        if self.order == "file":
            out["order"] = "file"
        if self.roles:
            out["roles"] = dict(self.roles)
        if self.timing:
            out["timing"] = self.timing
        return out


@dataclass(frozen=True)
class Launch:
    """What to open on start beside the library: a scenario (with or without a setup)."""

    scenario: Path | None = None
    setup: PlaySetup | None = None  # None: ask on the setup screen
    session: str | None = None  # a session id to resume
