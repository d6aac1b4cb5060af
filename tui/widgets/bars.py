"""Text bars: the one drawing routine behind gauges, area bars and the tally."""

from __future__ import annotations

from textual.content import Content

FULL = "█"
EMPTY = "░"


def bar(
    fraction: float, width: int, *, fill: str = "$accent", empty: str = "$panel-lighten-2"
) -> Content:
    """A horizontal bar `width` cells wide, `fraction` (0..1) of it filled."""
    width = max(1, width)
    fraction = 0.0 if fraction < 0 else 1.0 if fraction > 1 else fraction
    filled = round(fraction * width)
    return Content.assemble(
        (FULL * filled, fill),
        (EMPTY * (width - filled), empty),
    )


def percent_text(points: int, possible: int) -> str:
    """`66.67%` (`66,67 %` in French) or `n/a` (nothing was possible), as the engine formats
    alignment."""
    from engine.play.scoring import format_alignment

    return format_alignment(100.0 * points / possible if possible > 0 else None)
