"""A facilitator's note, typed at any moment and stored with the current scene."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from tui.widgets.keybar import KeyBar


class NoteScreen(ModalScreen[str | None]):
    """Dismisses with the note's text (Enter) or None (Esc)."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="note.cancel")]

    def __init__(
        self,
        where: str,
        *,
        title: str = "Note",
        placeholder: str = "What did the room say or do?",
    ) -> None:
        super().__init__()
        self.where = where
        self.title_text = title
        self.placeholder = placeholder

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title", markup=False)
            yield Static(
                f"On: {self.where}. Enter saves it, Esc cancels.", id="dialog-text", markup=False
            )
            yield Input(placeholder=self.placeholder, id="note-input", max_length=200)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)
