"""A footer that wraps: every active binding stays visible even at 80 columns.

Textual's Footer is one line that scrolls sideways, so at 80x24 the last keys fall off the
edge. This bar shows the same keys (the screen's active bindings that are shown) packed into
as many lines as needed. It is one widget drawing text, not a widget per key: the bar changes
with every phase of play, and redrawing text is much cheaper than mounting widgets. A click on a
key presses it.
"""

from __future__ import annotations

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from engine.core.i18n import _

Item = tuple[str, str, str, str, bool, str]  # key, display, description, action, enabled, tip


class KeyBar(Widget, can_focus=False):
    """Docked at the bottom of a screen; lists the screen's keys."""

    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        height: auto;
        max-height: 3;
        background: $footer-background;
        color: $footer-foreground;
        & > .keybar--key { color: $footer-key-foreground; text-style: bold; }
        & > .keybar--description { color: $footer-description-foreground; }
        & > .keybar--disabled { color: $text-disabled; }
    }
    """
    COMPONENT_CLASSES = {"keybar--key", "keybar--description", "keybar--disabled"}

    items_shown: reactive[tuple[Item, ...]] = reactive((), layout=True)

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self.call_after_refresh(self._bindings_changed, self.screen)

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen:
            items = self.items()
            if items != self.items_shown:
                self.items_shown = items

    def items(self) -> tuple[Item, ...]:
        """(key, display, description, action, enabled, tooltip) in footer order."""
        out: list[Item] = []
        seen: set[str] = set()
        app = self.app
        active = self.screen.active_bindings
        for _node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            out.append(
                (
                    binding.key,
                    app.get_key_display(binding),
                    _(binding.description) if binding.description else "",
                    binding.action,
                    enabled,
                    _(tooltip or binding.description) if tooltip or binding.description else "",
                )
            )
        if app.ENABLE_COMMAND_PALETTE:
            found = active.get(app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, tooltip = found
                out.append(
                    (
                        binding.key,
                        app.get_key_display(binding),
                        _("palette"),
                        binding.action,
                        enabled,
                        tooltip,
                    )
                )
        return tuple(out)

    def _rows(self, width: int) -> list[list[Item]]:
        rows: list[list[Item]] = [[]]
        used = 0
        for item in self.items_shown:
            _key, display, description, *_rest = item
            cells = len(display) + (1 + len(description) if description else 0) + 1
            if rows[-1] and used + cells > width:
                rows.append([])
                used = 0
            rows[-1].append(item)
            used += cells
        return rows

    def get_content_height(self, container, viewport, width: int) -> int:
        return max(1, len(self._rows(width))) if self.items_shown else 1

    def render(self) -> Content:
        width = self.content_region.width or self.size.width or 80
        key_style = self.get_visual_style("keybar--key")
        text_style = self.get_visual_style("keybar--description")
        off_style = self.get_visual_style("keybar--disabled")
        lines = []
        for row in self._rows(width):
            parts: list = []
            for key, display, description, _action, enabled, _tip in row:
                link = Content.from_markup(f"[@click=press('{key}')]$text[/]", text=display)
                parts.append(link.stylize(key_style if enabled else off_style))
                if description:
                    parts.append(
                        Content(" " + description).stylize(text_style if enabled else off_style)
                    )
                parts.append(" ")
            lines.append(Content.assemble(*parts))
        return Content("\n").join(lines)

    def action_press(self, key: str) -> None:
        """A click on a key presses it."""
        self.app.simulate_key(key)
