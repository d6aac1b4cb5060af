"""The live session's join details on the facilitator's laptop: the QR code, the join URL and
code, and the projector link (the projector page shows the same QR code to the room)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from engine.core.i18n import N_, _
from tui.live_link import LiveServer, qr_text
from tui.widgets.keybar import KeyBar


class LiveScreen(ModalScreen[None]):
    """Shows how to join; any of Esc, Enter or l closes it (the server keeps running)."""

    BINDINGS = [
        Binding("escape", "close", N_("Close"), id="live.close"),
        Binding("enter", "close", N_("Close"), show=False),
        Binding("l", "close", N_("Close"), show=False),
    ]

    def __init__(self, server: LiveServer) -> None:
        super().__init__()
        self.server = server

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="live-dialog"):
            yield Static(_("Live session: join from a phone or laptop"), id="dialog-title")
            yield Static(qr_text(self.server.url), id="live-qr", markup=False)
            yield Static(
                _("Join at {url} with code {code}").format(
                    url=self.server.url, code=self.server.code
                )
                + "\n"
                + _("Projector page: {url}").format(url=self.server.screen)
                + "\n"
                + _("Online participants need a tunnel or proxy with TLS (see the README)."),
                id="dialog-text",
                markup=False,
            )
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)
