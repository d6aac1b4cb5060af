"""A facilitator's note, typed at any moment and stored with the current scene."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, Static

from engine.core.i18n import N_, _
from engine.core.wording import sentence
from tui.widgets.keybar import KeyBar


class NoteScreen(ModalScreen[str | None]):
    """Dismisses with the note's text (Enter) or None (Esc)."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="note.cancel")]

    def __init__(
        self,
        where: str,
        *,
        title: str | None = None,
        placeholder: str | None = None,
    ) -> None:
        super().__init__()
        self.where = where
        self.title_text = title if title is not None else _("Note")
        self.placeholder = (
            placeholder if placeholder is not None else _("What did the room say or do?")
        )

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title", markup=False)
            yield Static(
                _("On: {where} Enter saves it, Esc cancels.").format(where=sentence(self.where)),
                id="dialog-text",
                markup=False,
            )
            yield Input(placeholder=self.placeholder, id="note-input", max_length=200)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(self.answer(event.value))

    def answer(self, text: str) -> Any:
        """What the dialog dismisses with (subclasses add to the text)."""
        return text

    def action_cancel(self) -> None:
        self.dismiss(None)


ROOM = "__room__"  # the Select's value for a note about the whole room


class TeamNoteScreen(NoteScreen):
    """A note in facilitated play: about one team (the one under the cursor, by default) or
    the whole room. Dismisses with (team or None, text), or None (Esc)."""

    def __init__(self, where: str, teams: tuple[str, ...], team: str | None) -> None:
        super().__init__(where)
        self.teams = teams
        self.team = team

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title", markup=False)
            yield Static(
                _("On: {where} Enter saves it, Esc cancels.").format(where=sentence(self.where)),
                id="dialog-text",
                markup=False,
            )
            yield Select(
                [(_("About the whole room"), ROOM)]
                + [(_("About {team}").format(team=t), t) for t in self.teams],
                value=self.team if self.team in self.teams else ROOM,
                allow_blank=False,
                id="note-team",
                compact=True,
            )
            yield Input(placeholder=self.placeholder, id="note-input", max_length=200)
        yield KeyBar()

    def answer(self, text: str) -> tuple[str | None, str]:
        about = self.query_one("#note-team", Select).value
        return (None if about == ROOM else str(about), text)
