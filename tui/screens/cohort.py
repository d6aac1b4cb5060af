"""The cohort view: the sessions that share a label (or all), read together.

Alignment per area as bars beside the chance level, the key actions most often missed and the
harmful choices most often taken; `nexus-ttx cohort` writes the full report (HTML, CSV, JSON).
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from tui.widgets.area_bars import AreaBars
from tui.widgets.keybar import KeyBar

TOP = 5


def summary_text(cohort: Any) -> str:
    """One paragraph: how many, how aligned, against chance."""
    from engine.play.scoring import format_alignment

    chance = (
        f"; chance level {format_alignment(cohort.chance)}" if cohort.chance is not None else ""
    )
    return (
        f"{cohort.sessions} session(s), {len(cohort.teams)} team(s), {cohort.participants} "
        f"participant(s) on devices. Alignment {format_alignment(cohort.alignment)} "
        f"({cohort.points} of {cohort.possible} points){chance}."
    )


def share_lines(shares: Any, verb: str) -> str:
    return "\n".join(f"{s.count} of {s.out_of} {verb}  {s.key}  {s.text}" for s in shares[:TOP])


class CohortScreen(Screen):
    """Read-only; Esc goes back to the sessions."""

    CSS_PATH = "../styles/screens.tcss"

    BINDINGS = [
        Binding("escape", "back", "Back", id="cohort.back", tooltip="Back to the sessions"),
        Binding("q", "app.quit", "Quit", id="cohort.quit"),
    ]

    def __init__(self, cohort: Any) -> None:
        super().__init__()
        self.cohort = cohort

    def compose(self) -> ComposeResult:
        c = self.cohort
        yield Static(
            Content.assemble((" COHORT ", "reverse bold"), " ", (c.title, "bold")),
            id="scene-bar",
        )
        with VerticalScroll(id="cohort", can_focus=True):
            yield Static(summary_text(c), id="cohort-summary", markup=False)
            yield AreaBars(
                [(g.name, g.points, g.possible) for g in c.by_area],
                title="Alignment by area",
                id="cohort-areas",
            )
            missed = share_lines(c.missed, "missed")
            yield Static(
                Content.assemble(("Key actions most often missed\n", "bold"), missed or "none"),
                id="cohort-missed",
            )
            harmful = share_lines(c.harmful, "took")
            yield Static(
                Content.assemble(("Harmful choices most often taken\n", "bold"), harmful or "none"),
                id="cohort-harmful",
            )
            if c.skipped:
                yield Static(
                    f"Left out: {', '.join(f'{s} ({r})' for s, r in c.skipped[:TOP])}",
                    id="cohort-skipped",
                    markup=False,
                )
            yield Static(
                "The full report, with every practice, the spread of teams and a comparison of "
                "two labels: nexus-ttx cohort --label LABEL --output cohort.html",
                classes="hint",
                markup=False,
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#cohort").focus()

    def action_back(self) -> None:
        self.dismiss()
