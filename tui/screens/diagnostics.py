"""A scenario that fails validation: its diagnostics as `file:line:col: severity: CODE message`
instead of a crash. `r` validates again after the author has fixed the file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from engine.core.i18n import N_, _, ngettext
from tui.widgets.keybar import KeyBar


def diagnostic_line(d: Any) -> str:
    fmt = getattr(d, "format_text", None)
    if callable(fmt):
        return fmt()
    return (
        f"{getattr(d, 'file', '?')}:{getattr(d, 'line', 0)}:{getattr(d, 'column', 0)}: "
        f"{getattr(d, 'severity', 'error')}: {getattr(d, 'code', '')} "
        f"{getattr(d, 'message', d)}"
    )


class DiagnosticsScreen(Screen):
    """What is wrong with a scenario file, located, with the codes documented in
    docs/diagnostics.md."""

    CSS_PATH = "../styles/screens.tcss"

    BINDINGS = [
        Binding(
            "r",
            "reload",
            N_("Validate again"),
            id="diagnostics.reload",
            tooltip=N_("Validate the file again (after fixing it) and play it if it is valid"),
        ),
        Binding(
            "escape", "back", N_("Back"), id="diagnostics.back", tooltip=N_("Back to the library")
        ),
        Binding("q", "app.quit", N_("Quit"), id="diagnostics.quit"),
    ]

    def __init__(self, path: Path, diagnostics: Sequence[Any]) -> None:
        super().__init__()
        self.path = Path(path)
        self.diagnostics = tuple(diagnostics)

    def compose(self) -> ComposeResult:
        errors = sum(1 for d in self.diagnostics if getattr(d, "severity", "error") == "error")
        warnings = len(self.diagnostics) - errors
        yield Static(
            Content.assemble(
                (" " + _("INVALID SCENARIO") + " ", "reverse bold"), " ", (str(self.path), "bold")
            ),
            id="scene-bar",
            classes="-kind-inject",
        )
        with VerticalScroll(id="diagnostics", can_focus=True):
            counts = ", ".join(
                (
                    ngettext("{n} error", "{n} errors", errors).format(n=errors),
                    ngettext("{n} warning", "{n} warnings", warnings).format(n=warnings),
                )
            )
            intro = _(
                "This scenario cannot be played: {counts}. Fix the file, then press r to validate "
                "it again. Each code is explained in docs/diagnostics.md."
            ).format(counts=counts)
            yield Static(intro, id="diagnostics-intro")
            for d in self.diagnostics:
                severity = getattr(d, "severity", "error")
                yield Static(diagnostic_line(d), markup=False, classes=f"diagnostic -{severity}")
            if not self.diagnostics:
                yield Static(_("The file could not be read as a scenario."), classes="diagnostic")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#diagnostics").focus()

    def action_reload(self) -> None:
        path = self.path
        self.dismiss()
        self.app.open_scenario(path)

    def action_back(self) -> None:
        self.dismiss()
