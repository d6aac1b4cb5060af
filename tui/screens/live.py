"""The live session's join details on the facilitator's laptop: the QR code, the join URL and
code, and the projector link (the projector page shows the same QR code to the room)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from tui.live_link import LiveServer, qr_text
from tui.widgets.keybar import KeyBar


class LiveScreen(ModalScreen[None]):
    """Shows how to join; any of Esc, Enter or l closes it (the server keeps running)."""

    BINDINGS = [
        Binding("escape", "close", "Close", id="live.close"),
        Binding("enter", "close", "Close", show=False),
        Binding("l", "close", "Close", show=False),
    ]

    def __init__(self, server: LiveServer) -> None:
        super().__init__()
        self.server = server

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="live-dialog"):
            yield Static("Live session: join from a phone or laptop", id="dialog-title")
            yield Static(qr_text(self.server.url), id="live-qr", markup=False)
            yield Static(
                f"Join at {self.server.url} with code {self.server.code}\n"
                f"Projector page: {self.server.screen}\n"
                "Online participants need a tunnel or proxy with TLS (see the README).",
                id="dialog-text",
                markup=False,
            )
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)
