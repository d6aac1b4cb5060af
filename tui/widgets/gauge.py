"""Variables shown as labelled gauges: a label, the value and a bar between min and max."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

from engine.core.i18n import _
from tui.widgets.bars import bar


class Gauge(Widget):
    """One bounded integer variable: `Community trust        45` over a bar."""

    DEFAULT_CSS = "Gauge { height: auto; }"

    value: reactive[int] = reactive(0)

    def __init__(
        self, name: str, label: str, minimum: int, maximum: int, value: int, **kwargs
    ) -> None:
        super().__init__(**kwargs)
        self.var_name = name
        self.label = label
        self.minimum = minimum
        self.maximum = maximum
        self.set_reactive(Gauge.value, value)
        self.tooltip = self._tip(value)

    def _tip(self, value: int) -> str:
        return _("{label}: {value} (from {minimum} to {maximum})").format(
            label=self.label, value=value, minimum=self.minimum, maximum=self.maximum
        )

    def watch_value(self, value: int) -> None:
        self.tooltip = self._tip(value)
        self.refresh(layout=True)  # a longer number may wrap the label once more

    def _label_lines(self, width: int) -> list[str]:
        """The label in lines beside the value: a label too long for one line wraps at words
        (French runs longer) instead of losing its end."""
        room = max(1, width - len(str(self.value)) - 1)
        return textwrap.wrap(self.label, room) or [""]

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self._label_lines(max(4, width))) + 1

    def render(self) -> Content:
        width = max(4, self.size.width)
        number = str(self.value)
        first, *more = self._label_lines(width)
        span = self.maximum - self.minimum
        fraction = (self.value - self.minimum) / span if span > 0 else 1.0
        top = Content.assemble(
            (first, "bold"), " " * (width - len(first) - len(number)), (number, "bold $accent")
        )
        return Content("\n").join(
            [top, *(Content.styled(line, "bold") for line in more), bar(fraction, width)]
        )


class GaugePanel(VerticalGroup):
    """All the scenario's variables, updated in place as the room plays."""

    def __init__(self, variables: Iterable, values: Mapping[str, int], **kwargs) -> None:
        super().__init__(**kwargs)
        self._variables = tuple(variables)
        self._values = dict(values)

    def compose(self) -> ComposeResult:
        for var in self._variables:
            yield Gauge(
                var.id,
                var.label,
                var.min,
                var.max,
                self._values.get(var.id, var.initial),
                classes="gauge",
            )

    def update_values(self, values: Mapping[str, int]) -> None:
        for gauge in self.query(Gauge):
            if gauge.var_name in values:
                gauge.value = values[gauge.var_name]
