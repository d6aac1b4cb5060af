"""Variables shown as labelled gauges: a label, the value and a bar between min and max."""

from __future__ import annotations

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

    DEFAULT_CSS = "Gauge { height: 2; }"

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

    def render(self) -> Content:
        width = max(4, self.size.width)
        number = str(self.value)
        label = self.label
        room = width - len(number) - 1
        if len(label) > room:
            label = label[: max(1, room - 1)] + "…"
        span = self.maximum - self.minimum
        fraction = (self.value - self.minimum) / span if span > 0 else 1.0
        top = Content.assemble(
            (label, "bold"), " " * (width - len(label) - len(number)), (number, "bold $accent")
        )
        return Content("\n").join([top, bar(fraction, width)])


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
