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

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.rows) + (1 if self.title else 0)

    def render(self) -> Content:
        width = max(30, self.size.width)
        label_w = min(max((len(r[0]) for r in self.rows), default=8), max(10, width // 3))
        lines: list[Content] = []
        if self.title:
            lines.append(Content.styled(self.title, "bold"))
        for label, points, possible in self.rows:
            figures = f" {points}/{possible} {percent_text(points, possible):>7}"
            bar_w = max(4, width - label_w - len(figures) - 1)
            name = label if len(label) <= label_w else label[: label_w - 1] + "…"
            fraction = points / possible if possible else 0.0
            lines.append(
                Content.assemble(
                    name.ljust(label_w),
                    " ",
                    bar(fraction, bar_w, fill="$success" if possible else "$panel"),
                    figures,
                )
            )
        return Content("\n").join(lines)
