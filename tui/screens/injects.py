"""On-demand injects: the facilitator picks one of those on offer, confirms, and the room reads it.

`InjectPickScreen` lists the injects whose condition holds now (numbers or Enter pick one), then
asks to confirm, saying what firing changes; it dismisses with the inject's id (None: cancelled).
`InjectShownScreen` shows the fired inject to the room, with its prompts for the facilitator.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Markdown, OptionList, Static
from textual.widgets.option_list import Option

from engine.core.i18n import N_, _
from tui.widgets.keybar import KeyBar

if TYPE_CHECKING:
    from engine.core.model import Inject, Scenario


def changes_text(inject: Inject) -> str:
    """`trust -10, leaked = 1` (or `no change to the situation`)."""
    parts = [f"{name} {delta:+d}" for name, delta in inject.effects]
    parts += [f"{name} = {value}" for name, value in inject.set]
    return ", ".join(parts) if parts else _("no change to the situation")


class InjectPickScreen(ModalScreen[str | None]):
    """Dismisses with the id of the inject to fire, or None."""

    BINDINGS = [
        Binding("y", "fire", N_("Fire"), id="inject.fire", tooltip=N_("Fire the inject")),
        Binding("escape,n", "cancel", N_("Cancel"), id="inject.cancel", key_display="esc"),
        *[
            Binding(str(n), f"number({n})", N_("Pick"), show=False, id=f"inject.pick-{n}")
            for n in range(1, 10)
        ],
    ]

    def __init__(self, injects: Sequence[Inject]) -> None:
        super().__init__()
        self.injects = tuple(injects)
        self.chosen: Inject | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(_("Fire an inject"), id="dialog-title")
            yield OptionList(
                *[
                    Option(Content(f"{i}. {inj.title}"), id=inj.id)
                    for i, inj in enumerate(self.injects, start=1)
                ],
                id="inject-list",
            )
            yield Static("", id="dialog-text", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#inject-list", OptionList).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "fire":
            return self.chosen is not None
        return True

    def _choose(self, inject: Inject) -> None:
        self.chosen = inject
        question = _("Fire '{title}'? The room sees it now, and it changes: {changes}.").format(
            title=inject.title, changes=changes_text(inject)
        )
        again = "" if inject.repeatable else " " + _("It fires once per session.")
        self.query_one("#dialog-text", Static).update(
            question + again + " " + _("Press y to fire, Esc to cancel.")
        )
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#inject-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(self.injects[event.option_index])

    def action_number(self, number: int) -> None:
        if 1 <= number <= len(self.injects):
            self.query_one("#inject-list", OptionList).highlighted = number - 1
            self._choose(self.injects[number - 1])

    def action_fire(self) -> None:
        if self.chosen is not None:
            self.dismiss(self.chosen.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class InjectShownScreen(ModalScreen[None]):
    """The fired inject, as the room reads it (Enter or Esc closes)."""

    BINDINGS = [
        Binding(
            "enter,escape", "close", N_("Back to the scene"), id="inject.close", key_display="⏎"
        ),
    ]

    def __init__(self, inject: Inject, scenario: Scenario, *, facilitator: bool) -> None:
        super().__init__()
        self.inject = inject
        self.scenario = scenario
        self.facilitator = facilitator

    def compose(self) -> ComposeResult:
        inj = self.inject
        with Vertical(id="dialog"):
            yield Static(
                Content.assemble(
                    ("  " + _("BREAKING") + "  ", "bold reverse"), "  ", (inj.title, "bold")
                ),
                id="dialog-title",
            )
            with VerticalScroll(id="inject-scroll"):
                yield Markdown(inj.text, id="inject-text")
                if self.facilitator:
                    yield Static(self._facilitator_notes(), id="inject-facilitator")
        yield KeyBar()

    def _facilitator_notes(self) -> Content:
        inj = self.inject
        lines = [Content.styled(_("FACILITATOR - not for participants"), "bold reverse")]
        lines.append(Content(_("Changed: {changes}").format(changes=changes_text(inj))))
        for prompt in inj.discussion:
            lines.append(Content(f"  - {prompt}"))
        for role_id, text in inj.private:
            role = self.scenario.role(role_id)
            title = role.title if role is not None else role_id
            lines.append(Content.assemble((_("Only {role}: ").format(role=title), "bold"), text))
        return Content("\n").join(lines)

    def action_close(self) -> None:
        self.dismiss(None)
