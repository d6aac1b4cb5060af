"""A per-decision discussion timer counting down to zero, then showing a warning.

It never chooses anything by itself: when time is up it turns into a visible warning and posts
`Expired` once, and the room keeps deciding. The clock is injectable so tests can move time.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.widget import Widget

from engine.core.i18n import _


def mmss(seconds: float) -> str:
    seconds = max(0, round(seconds))
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


class CountdownTimer(Widget):
    """`Discussion 01:42` while running, `Paused 01:42`, `TIME IS UP` (class -expired) at zero,
    and `Timer 02:00 per decision` outside decisions."""

    DEFAULT_CSS = "CountdownTimer { height: auto; }"  # wraps in a narrow side panel

    remaining: reactive[float] = reactive(0.0)
    running: reactive[bool] = reactive(False)

    class Expired(Message):
        """The discussion time ran out (posted once per countdown)."""

    def __init__(
        self, seconds: int, *, clock: Callable[[], float] = time.monotonic, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.seconds = max(1, int(seconds))
        self._clock = clock
        self._deadline: float | None = None
        self._expired_posted = False
        self._paused = False
        self.set_reactive(CountdownTimer.remaining, float(self.seconds))

    def on_mount(self) -> None:
        self.set_interval(0.25, self.tick, name="countdown")

    @property
    def expired(self) -> bool:
        return self.remaining <= 0

    def restart(self) -> None:
        """Start a fresh countdown (a new decision)."""
        self._expired_posted = False
        self._paused = False
        self.remaining = float(self.seconds)
        self._deadline = self._clock() + self.seconds
        self.running = True
        self.set_class(False, "-expired")

    def stop(self) -> None:
        """Stop counting (the decision is over); shows the full time, greyed."""
        self.running = False
        self._paused = False
        self._deadline = None
        self.remaining = float(self.seconds)
        self.set_class(False, "-expired")

    def toggle_pause(self) -> None:
        if self.expired:
            return
        if self.running:
            self.tick()
            if self.expired:
                return
            self.running = False
            self._paused = True
            self._deadline = None
        elif self._paused:
            self._deadline = self._clock() + self.remaining
            self._paused = False
            self.running = True

    def add(self, seconds: int) -> None:
        """Give the room more time (also after it ran out)."""
        self.remaining = max(0.0, self.remaining) + seconds
        self._expired_posted = False
        self.set_class(False, "-expired")
        if self._deadline is not None or self.running:
            self._deadline = self._clock() + self.remaining
            self.running = True

    def tick(self) -> None:
        """Bring `remaining` up to date with the clock (the interval calls this)."""
        if not self.running or self._deadline is None:
            return
        self.remaining = max(0.0, self._deadline - self._clock())
        if self.remaining <= 0:
            self.running = False
            self._deadline = None
            self.set_class(True, "-expired")
            if not self._expired_posted:
                self._expired_posted = True
                self.post_message(self.Expired())

    def render(self) -> Content:
        if self.expired:
            return Content.assemble((_("TIME IS UP"), "bold"), " - " + _("room decides"))
        if self.running:
            state = _("Discussion")
        elif self._deadline is None and self._paused:
            state = _("Paused")
        else:
            return Content.assemble(
                _("Timer") + " ",
                (mmss(self.seconds), "bold"),
                (" " + _("per decision"), "$text-muted"),
            )
        return Content.assemble(f"{state} ", (mmss(self.remaining), "bold"))
