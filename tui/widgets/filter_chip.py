"""A one-line filter: `Environment ▾`, or the value it filters on; Enter or a click opens a
short list to pick from.

Lighter than a Select (no overlay widgets until it is opened), which keeps the library's first
frame fast; the list itself is a small modal with an OptionList.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from engine.core.i18n import N_, _

ANY = N_("any")


class PickScreen(ModalScreen[Any]):
    """Choose one value (or "any"); dismisses with the value, ANY, or None (cancelled)."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"), id="pick.cancel")]

    def __init__(self, title: str, options: Sequence[tuple[str, Any]], current: Any) -> None:
        super().__init__()
        self.title_text = title
        self.options = list(options)
        self.current = current

    def compose(self) -> ComposeResult:
        from tui.widgets.keybar import KeyBar

        with Vertical(id="dialog"):
            yield Static(self.title_text, id="dialog-title")
            items = [Option(_("Any {what}").format(what=self.title_text.lower()), id="__any__")]
            items += [Option(text, id=f"v{i}") for i, (text, _v) in enumerate(self.options)]
            yield OptionList(*items, id="pick-list")
        yield KeyBar()

    def on_mount(self) -> None:
        option_list = self.query_one(OptionList)
        index = 0
        for i, (_text, value) in enumerate(self.options):
            if value == self.current:
                index = i + 1
        option_list.highlighted = index
        option_list.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or "__any__"
        self.dismiss(ANY if option_id == "__any__" else self.options[int(option_id[1:])][1])

    def action_cancel(self) -> None:
        self.dismiss(None)


class FilterChip(Widget, can_focus=True):
    """Shows the filter's name, or its current value; `value` is None for "any"."""

    DEFAULT_CSS = """
    FilterChip { height: 1; width: 1fr; padding: 0 1; }
    FilterChip:focus { text-style: reverse; }
    FilterChip:hover { background: $boost; }
    """
    BINDINGS = [
        Binding(
            "enter,space",
            "pick",
            N_("Choose"),
            id="filter.pick",
            key_display="⏎",
            tooltip=N_("Choose a value for this filter"),
        )
    ]

    value: reactive[Any] = reactive(None)

    class Changed(Message):
        def __init__(self, chip: FilterChip) -> None:
            super().__init__()
            self.chip = chip

        @property
        def control(self) -> FilterChip:
            return self.chip

    class Picked(Changed):
        """The person picked a value (focus may move on)."""

    def __init__(self, label: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.label = label
        self.options: list[tuple[str, Any]] = []

    def set_options(self, options: Sequence[tuple[str, Any]]) -> None:
        self.options = list(options)
        if self.value is not None and all(v != self.value for _t, v in self.options):
            self.value = None

    def text_of(self, value: Any) -> str:
        for text, v in self.options:
            if v == value:
                return text
        return _(ANY) if value is None else str(value)

    def render(self) -> Content:
        # "Environment ▾" when it filters nothing; the chosen value alone when it does
        width = self.content_region.width or 20
        if self.value is None:
            shown, style = self.label, "bold"
        else:
            shown, style = self.text_of(self.value), "bold reverse $accent"
        if len(shown) > width - 2:
            shown = shown[: max(1, width - 3)] + "…"
        return Content.assemble((shown, style), " ▾")

    def watch_value(self) -> None:
        self.post_message(self.Changed(self))

    def action_pick(self) -> None:
        def picked(value: Any) -> None:
            if value is None:
                return
            self.value = None if value == ANY else value
            self.post_message(self.Picked(self))

        self.app.push_screen(PickScreen(self.label, self.options, self.value), picked)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.focus()
        self.action_pick()
