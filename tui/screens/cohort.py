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

from engine.core.i18n import N_, _, ngettext
from tui.widgets.area_bars import AreaBars
from tui.widgets.keybar import KeyBar

TOP = 5


def summary_text(cohort: Any) -> str:
    """One paragraph: how many, how aligned, against chance."""
    from engine.play.scoring import format_alignment

    counts = ", ".join(
        (
            ngettext("{n} session", "{n} sessions", cohort.sessions).format(n=cohort.sessions),
            ngettext("{n} team", "{n} teams", len(cohort.teams)).format(n=len(cohort.teams)),
            ngettext(
                "{n} participant on a device", "{n} participants on devices", cohort.participants
            ).format(n=cohort.participants),
        )
    )
    alignment = _("Alignment {alignment} ({points} of {possible} points)").format(
        alignment=format_alignment(cohort.alignment),
        points=cohort.points,
        possible=cohort.possible,
    )
    chance = (
        _("; chance level {chance}").format(chance=format_alignment(cohort.chance))
        if cohort.chance is not None
        else ""
    )
    return f"{counts}. {alignment}{chance}."


def share_lines(shares: Any, template: str) -> str:
    """`template` (translated) takes {count} and {out_of}: e.g. "{count} of {out_of} missed"."""
    return "\n".join(
        f"{template.format(count=s.count, out_of=s.out_of)}  {s.key}  {s.text}"
        for s in shares[:TOP]
    )


class CohortScreen(Screen):
    """Read-only; Esc goes back to the sessions."""

    CSS_PATH = "../styles/screens.tcss"

    BINDINGS = [
        Binding("escape", "back", N_("Back"), id="cohort.back", tooltip=N_("Back to the sessions")),
        Binding("q", "app.quit", N_("Quit"), id="cohort.quit"),
    ]

    def __init__(self, cohort: Any) -> None:
        super().__init__()
        self.cohort = cohort

    def compose(self) -> ComposeResult:
        c = self.cohort
        yield Static(
            Content.assemble((" " + _("COHORT") + " ", "reverse bold"), " ", (c.title, "bold")),
            id="scene-bar",
        )
        with VerticalScroll(id="cohort", can_focus=True):
            yield Static(summary_text(c), id="cohort-summary", markup=False)
            yield AreaBars(
                [(g.name, g.points, g.possible) for g in c.by_area],
                title=_("Alignment by area"),
                id="cohort-areas",
            )
            missed = share_lines(c.missed, _("{count} of {out_of} missed"))
            yield Static(
                Content.assemble(
                    (_("Key actions most often missed") + "\n", "bold"), missed or _("none")
                ),
                id="cohort-missed",
            )
            harmful = share_lines(c.harmful, _("{count} of {out_of} took"))
            yield Static(
                Content.assemble(
                    (_("Harmful choices most often taken") + "\n", "bold"), harmful or _("none")
                ),
                id="cohort-harmful",
            )
            if c.skipped:
                yield Static(
                    _("Left out: {sessions}").format(
                        sessions=", ".join(f"{s} ({r})" for s, r in c.skipped[:TOP])
                    ),
                    id="cohort-skipped",
                    markup=False,
                )
            yield Static(
                _(
                    "The full report, with every practice, the spread of teams and a comparison "
                    "of two labels: nexus-ttx cohort --label LABEL --output cohort.html"
                ),
                classes="hint",
                markup=False,
            )
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#cohort").focus()

    def action_back(self) -> None:
        self.dismiss()
