"""Where the after-action report goes: a folder typed (or kept) by the facilitator. Offered
when writing failed, and with `E` at any time."""

from __future__ import annotations

from pathlib import Path

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from engine.core.i18n import N_, _
from tui.widgets.keybar import KeyBar


class FolderScreen(ModalScreen[Path | None]):
    """Dismisses with the folder typed (Enter; `~` is the home folder) or None (Esc)."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="folder.cancel")]

    def __init__(self, folder: Path, why: str = "") -> None:
        super().__init__()
        self.folder = folder
        self.why = why

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(_("Write the report to"), id="dialog-title")
            text = _("Type a folder (it is created if need be). Enter writes, Esc cancels.")
            yield Static(
                f"{self.why}\n{text}" if self.why else text, id="dialog-text", markup=False
            )
            yield Input(str(self.folder), id="folder-input")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        value = event.value.strip()
        if not value:
            self.notify(_("Type a folder, or Esc to cancel."), severity="warning", timeout=3)
            return
        self.dismiss(Path(value).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
