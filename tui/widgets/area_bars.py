"""Alignment per area as bars: `Local engagement  ██████░░░░  3/4  75.00%`."""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widget import Widget

from tui.widgets.bars import bar, percent_text


class AreaBars(Widget):
    """Rows of (label, points, possible); rows with nothing possible show `n/a`."""

    DEFAULT_CSS = "AreaBars { height: auto; }"

    def __init__(
        self, rows: Sequence[tuple[str, int, int]], *, title: str | None = None, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.rows = tuple(rows)
        self.title = title

    def _label_width(self, width: int) -> int | None:
        """The label column's width; None when the longest label takes more than half the
        width: each label then has a line of its own above its bar (never cut)."""
        longest = max((len(r[0]) for r in self.rows), default=8)
        return longest if longest <= max(10, width // 2) else None

    def get_content_height(self, container, viewport, width: int) -> int:
        lines = 1 if self._label_width(max(30, width)) is not None else 2
        return lines * len(self.rows) + (1 if self.title else 0)

    def render(self) -> Content:
        width = max(30, self.size.width)
        label_w = self._label_width(width)
        lines: list[Content] = []
        if self.title:
            lines.append(Content.styled(self.title, "bold"))
        for label, points, possible in self.rows:
            figures = f" {points}/{possible} {percent_text(points, possible):>8}"
            fill = "$success" if possible else "$panel"
            fraction = points / possible if possible else 0.0
            if label_w is None:  # the label above, the bar indented under it
                bar_w = max(4, width - len(figures) - 2)
                lines.append(Content(label))
                lines.append(Content.assemble("  ", bar(fraction, bar_w, fill=fill), figures))
                continue
            bar_w = max(4, width - label_w - len(figures) - 1)
            lines.append(
                Content.assemble(
                    label.ljust(label_w), " ", bar(fraction, bar_w, fill=fill), figures
                )
            )
        return Content("\n").join(lines)
