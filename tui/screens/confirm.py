"""Leaving an unfinished session: ask first, and say that it stays resumable."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from engine.core.i18n import N_, _
from tui.widgets.keybar import KeyBar


class ConfirmQuitScreen(ModalScreen[str | None]):
    """Dismisses with "library", "quit" or None (stay)."""

    BINDINGS = [
        Binding(
            "l",
            "answer('library')",
            N_("Library"),
            id="confirm.library",
            tooltip=N_("Leave the session and go back to the library"),
        ),
        Binding(
            "y",
            "answer('quit')",
            N_("Quit"),
            id="confirm.quit",
            tooltip=N_("Quit nexus-ttx; the session stays saved"),
        ),
        Binding("n,escape", "answer(None)", N_("Stay"), id="confirm.stay", key_display="n/esc"),
    ]

    def __init__(self, exercise: Any | None) -> None:
        super().__init__()
        self.exercise = exercise

    def compose(self) -> ComposeResult:
        session = getattr(self.exercise, "session_id", None)
        resume = (
            _(
                "Resume it from the library's Sessions tab, or with `nexus-ttx resume {session}`."
            ).format(session=session)
            if session
            else ""
        )
        with Vertical(id="dialog"):
            yield Static(_("Leave this session?"), id="dialog-title")
            yield Static(
                _("The session is not finished. Everything up to now is saved.") + " " + resume,
                id="dialog-text",
                markup=False,
            )
            with Horizontal(id="dialog-buttons"):
                yield Button(_("Stay (n)"), id="stay", variant="primary")
                yield Button(_("Library (l)"), id="library")
                yield Button(_("Quit (y)"), id="quit", variant="warning")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#stay", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss({"stay": None, "library": "library", "quit": "quit"}[event.button.id])

    def action_answer(self, answer: str | None) -> None:
        self.dismiss(answer)
