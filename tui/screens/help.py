"""Every key of the screen underneath (its widgets, the screen itself, the app), with ids."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Static

from engine.core.i18n import N_, _
from tui.widgets.keybar import KeyBar

CONTRACT = N_(
    "Choices are numbered 1-9 among those offered now: a number selects, Enter confirms. "
    "Enter continues a narrative or breaking scene. Leaving an unfinished session asks first; "
    "it stays saved and can be resumed."
)

# The screens' names in the help's title (class names without "Screen")
SCREEN_NAMES = {
    "Library": N_("Library"),
    "Setup": N_("Setup"),
    "Play": N_("Play"),
    "Debrief": N_("Debrief"),
    "Toolkit": N_("Toolkit"),
    "Cohort": N_("Cohort"),
    "Diagnostics": N_("Diagnostics"),
    "Plan": N_("Improvement plan"),
    "PlanItem": N_("Improvement plan"),
    "ConfirmQuit": N_("Leave"),
    "Feedback": N_("Feedback"),
    "Folder": N_("Export folder"),
    "InjectPick": N_("On-demand injects"),
    "InjectShown": N_("Inject"),
    "Live": N_("Live session"),
    "Note": N_("Note"),
    "TeamNote": N_("Note"),
    "Observation": N_("Observation"),
    "Room": N_("Live room"),
    "Pick": N_("Filter"),
}


def binding_rows(screen: Screen) -> list[tuple[str, str, str, str, str]]:
    """(where, key, description, id, state) for every binding reachable from `screen`."""
    app = screen.app
    rows: list[tuple[str, str, str, str, str]] = []
    seen: set[tuple[int, str, str]] = set()  # (node, key, action)
    chain = list(screen._modal_binding_chain)
    # the screen's own keys first, then the app's, then those of the focused widgets
    chain.sort(key=lambda nb: 0 if nb[0] is screen else 1 if nb[0] is app else 2)
    for node, node_bindings in chain:
        bindings = sorted(node_bindings, key=lambda kb: kb[1].id is None)  # ours (ids) first
        where = (
            _("App") if node is app else (_("Screen") if node is screen else type(node).__name__)
        )
        for key, binding in bindings:
            if binding.system or (id(node), key, binding.action) in seen:
                continue
            seen.add((id(node), key, binding.action))
            state = app._check_action_state(binding.action, node)
            label = _("now") if state else ("" if state is False else _("disabled"))
            description = _(binding.description) if binding.description else binding.action
            if binding.tooltip:
                description = f"{description} - {_(binding.tooltip)}"
            display = app.get_key_display(binding)
            if binding.key_display == "1-9":
                display = key
            rows.append((where, display, description, binding.id or "", label))
    return rows


class HelpScreen(ModalScreen[None]):
    """Opened with `?` (or F1) from any screen; Esc or `?` closes it."""

    BINDINGS = [Binding("escape,q", "close", N_("Close"), id="help.close", key_display="esc")]

    def __init__(self, under: Screen) -> None:
        super().__init__()
        self.under = under
        self.rows = binding_rows(under)

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            name = type(self.under).__name__.removesuffix("Screen")
            shown = _(SCREEN_NAMES[name]) if name in SCREEN_NAMES else name or _("App")
            yield Static(_("Keys - {screen}").format(screen=shown), id="dialog-title")
            yield Static(_(CONTRACT), id="help-contract")
            table = DataTable(id="help-table", cursor_type="row", zebra_stripes=True)
            table.add_columns(_("Key"), _("What it does"), _("Id"), _("Active"))
            for _where, key, description, binding_id, state in self.rows:
                table.add_row(key, description, binding_id, state)
            yield table
            yield Static(
                _("Ctrl+P opens the command palette: every command by name."), id="help-palette"
            )
        yield KeyBar()

    def action_close(self) -> None:
        self.dismiss(None)
