"""The numbered choices offered at a decision.

Choices are numbered 1..n among those offered *now* (the play screen's key contract). The list
only shows each choice's text: never `enacts`, `harmful` or `feedback` (the facilitator-only
layer). A number key or a click selects; Enter (or a second click) confirms — the screen owns
those keys and calls `select`; the list posts `Selected` and `Confirmed` for mouse users.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.message import Message
from textual.reactive import reactive
from textual.style import Style
from textual.widget import Widget


class ChoiceItem(Widget):
    """`1  Convene a joint task force ...` (wrapped under its text) with an optional mark.

    One widget drawing its own lines: a choice list is redrawn at every decision, and a few
    widgets redraw faster than a tree of labels.
    """

    DEFAULT_CSS = """
    ChoiceItem { height: auto; }
    """
    COMPONENT_CLASSES = {"choice--number", "choice--mark"}

    def __init__(self, index: int, text: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.index = index
        self.text = text
        self.mark = ""

    def set_mark(self, mark: str) -> None:
        if mark != self.mark:
            self.mark = mark
            self.refresh(layout=True)

    def set_text(self, text: str) -> None:
        if text != self.text:
            self.text = text
            self.refresh(layout=True)

    def _lines(self, width: int) -> list[str]:
        room = max(8, width - 3 - (len(self.mark) + 1 if self.mark else 0))
        return textwrap.wrap(self.text, room) or [""]

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._lines(width))

    def render(self) -> Content:
        width = self.content_region.width or self.size.width or 40
        lines = self._lines(width)
        number = self.get_component_rich_style("choice--number")
        mark_style = self.get_component_rich_style("choice--mark")
        out = []
        for i, line in enumerate(lines):
            head = f"{self.index + 1:<3}" if i == 0 else "   "
            parts: list = [(head, Style.from_rich_style(number)) if i == 0 else head, line]
            if i == 0 and self.mark:
                pad = max(1, width - 3 - len(line) - len(self.mark))
                parts += [" " * pad, (self.mark, Style.from_rich_style(mark_style))]
            out.append(Content.assemble(*parts))
        return Content("\n").join(out)

    def on_click(self, event: events.Click) -> None:
        event.stop()
        self.post_message(ChoiceList.Clicked(self.index))


class ChoiceList(VerticalGroup):
    """The offered choices; `selected` is the highlighted index (None: nothing selected)."""

    selected: reactive[int | None] = reactive(None, init=False)

    class Clicked(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Selected(Message):
        """A choice was highlighted (by number or click)."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    class Confirmed(Message):
        """The highlighted choice was clicked again: confirm it."""

        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, texts: Sequence[str] = (), **kwargs) -> None:
        super().__init__(**kwargs)
        self._texts = tuple(texts)

    @property
    def count(self) -> int:
        return len(self._texts)

    def compose(self) -> ComposeResult:
        for i, text in enumerate(self._texts):
            yield ChoiceItem(i, text, classes="choice")

    async def set_choices(self, texts: Sequence[str]) -> None:
        """Show new choices, reusing the item widgets (mounting costs more than updating)."""
        self._texts = tuple(texts)
        self.set_reactive(ChoiceList.selected, None)
        items = list(self.query(ChoiceItem))
        if len(items) < len(self._texts):
            new = [ChoiceItem(i, "", classes="choice") for i in range(len(items), len(self._texts))]
            await self.mount_all(new)
            items.extend(new)
        for i, item in enumerate(items):
            shown = i < len(self._texts)
            if shown:
                item.set_text(self._texts[i])
                item.set_mark("")
            if item.classes != {"choice"}:
                item.set_classes("choice")
            if item.display != shown:
                item.display = shown

    def select(self, index: int | None) -> bool:
        """Highlight choice `index` (0-based); False when there is no such choice."""
        if index is not None and not 0 <= index < len(self._texts):
            return False
        self.selected = index
        return True

    def watch_selected(self, old: int | None, new: int | None) -> None:
        for item in self.query(ChoiceItem):
            if item.has_class("-selected") != (item.index == new):
                item.set_class(item.index == new, "-selected")
        if new is not None:
            items = list(self.query(ChoiceItem))
            if new < len(items):
                items[new].scroll_visible()

    def set_marks(self, marks: dict[int, str], classes: dict[int, str] | None = None) -> None:
        """Annotate choices (e.g. the tally after reveal); `classes` adds a CSS class."""
        for item in self.query(ChoiceItem):
            if item.index >= len(self._texts):
                continue
            item.set_mark(marks.get(item.index, ""))
            wanted = {"choice"}
            if item.index == self.selected:
                wanted.add("-selected")
            if classes and item.index in classes:
                wanted.add(classes[item.index])
            if item.classes != wanted:
                item.set_classes(wanted)

    def on_choice_list_clicked(self, message: Clicked) -> None:
        message.stop()
        if self.selected == message.index:
            self.post_message(self.Confirmed(message.index))
        else:
            self.select(message.index)
            self.post_message(self.Selected(message.index))
