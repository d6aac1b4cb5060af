"""Small inline SVG bar charts for printed reports (no scripts, no fonts to fetch).

Values are percentages (0-100) or None (shown as "n/a", no bar). A chance level, when given,
is drawn as a dashed line across the plot so a reader sees what random play would have scored.
Every label is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from html import escape

from engine.core.formats import percent
from engine.core.i18n import _

PALETTE = ("#0b5394", "#e69f00", "#009e73", "#cc79a7", "#56b4e9", "#d55e00", "#6a3d9a")
WIDTH = 330
LABEL = 118  # room for the row labels
PLOT = WIDTH - LABEL - 34  # and for the value at the end of the longest bar


def _x(value: float) -> float:
    return LABEL + PLOT * max(0.0, min(100.0, value)) / 100


def _label(text: str, limit: int = 22) -> str:
    """Escaped, without control characters (not allowed in XML), cut to `limit`."""
    text = "".join(c for c in text if c.isprintable() or c == " ")
    return escape(text if len(text) <= limit else text[: limit - 1] + "…")


LABEL_LINES = 3  # a row label's lines at most: French area names need three at 24 characters


def _lines(text: str, limit: int = 24) -> list[str]:
    """At most LABEL_LINES lines of at most `limit` characters, cut at spaces (then an
    ellipsis)."""
    words, lines, current = text.split(), [], ""
    if not words:
        return [""]
    for word in words:
        if current and len(current) + 1 + len(word) > limit:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    lines.append(current)
    if len(lines) > LABEL_LINES:
        lines = lines[: LABEL_LINES - 1] + [" ".join(lines[LABEL_LINES - 1 :])]
    return [_label(line, limit) for line in lines]


def _row_label(text: str, y: float) -> str:
    """A right-aligned label centred on `y`, on up to LABEL_LINES lines."""
    lines = _lines(text)
    first = y + 3 - 4.5 * (len(lines) - 1)
    spans = "".join(
        f'<tspan x="{LABEL - 4}" y="{first + 9 * i:.1f}">{line}</tspan>'
        for i, line in enumerate(lines)
    )
    return f'<text font-size="8.5" text-anchor="end" fill="#1b1f24">{spans}</text>'


def _axis(top: float, bottom: float, chance: float | None) -> list[str]:
    out = []
    for tick in (0, 50, 100):
        x = _x(tick)
        out.append(
            f'<line x1="{x:.1f}" y1="{top}" x2="{x:.1f}" y2="{bottom}" stroke="#d0d7de" '
            f'stroke-width="0.6"/><text x="{x:.1f}" y="{bottom + 10}" font-size="8" '
            f'text-anchor="middle" fill="#57606a">{percent(tick)}</text>'
        )
    if chance is not None:
        x = _x(chance)
        out.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{bottom}" stroke="#a40e26" '
            f'stroke-dasharray="3,2" stroke-width="1"/><text x="{x:.1f}" y="{top - 6}" '
            f'font-size="8" text-anchor="middle" fill="#a40e26">{escape(chance_words(chance))}</text>'
        )
    return out


def chance_words(chance: float) -> str:
    """The dashed line's label: what random play scores, e.g. "chance 37%" / "hasard 37 %"."""
    return _("chance {percent}").format(percent=percent(chance))


def _bar(y: float, height: float, value: float | None, color: str) -> str:
    if value is None:
        unscored = escape(_("n/a"))
        return (
            f'<text x="{LABEL + 2}" y="{y + height - 1:.1f}" font-size="8" '
            f'fill="#57606a">{unscored}</text>'
        )
    width = max(0.0, _x(value) - LABEL)
    return (
        f'<rect x="{LABEL}" y="{y:.1f}" width="{width:.1f}" height="{height}" fill="{color}"/>'
        f'<text x="{LABEL + width + 3:.1f}" y="{y + height - 1:.1f}" font-size="8" '
        f'fill="#1b1f24">{percent(value)}</text>'
    )


TITLE_CHARS = 56  # what fits on one line of the chart's width in bold 9.5-point type
TITLE_LINE = 12.0


def _title_lines(title: str) -> list[str]:
    """The title on as many lines as it needs, cut at spaces: a French title runs a fifth longer
    than the English one and must not run off the chart's edge."""
    lines: list[str] = []
    for word in title.split():
        if lines and len(lines[-1]) + 1 + len(word) <= TITLE_CHARS:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines or [""]


def _svg(title: str, height: float, body: Sequence[str]) -> str:
    t = escape(title)
    lines = _title_lines(title)
    extra = TITLE_LINE * (len(lines) - 1)  # the plot moves down under a longer title
    heading = "".join(
        f'<text x="0" y="{11 + TITLE_LINE * i:.0f}" font-size="9.5" font-weight="bold" '
        f'fill="#1b1f24">{escape(line)}</text>'
        for i, line in enumerate(lines)
    )
    plot = "".join(body)
    if extra:
        plot = f'<g transform="translate(0 {extra:.0f})">{plot}</g>'
    total = height + extra
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{total:.0f}" '
        f'viewBox="0 0 {WIDTH} {total:.0f}" role="img" aria-label="{t}"><title>{t}</title>'
        + heading
        + plot
        + "</svg>"
    )


def bar_chart(
    items: Sequence[tuple[str, float | None]], *, title: str, chance: float | None = None
) -> str:
    """One horizontal bar per item."""
    top, bar = 30.0, 11.0
    row = max(20.0, 9.0 * max((len(_lines(name)) for name, _v in items), default=1) + 3)
    body = []
    for index, (name, value) in enumerate(items):
        y = top + index * row
        body.append(_row_label(name, y + bar / 2))
        body.append(_bar(y, bar, value, PALETTE[index % len(PALETTE)]))
    bottom = top + len(items) * row
    return _svg(title, bottom + 16, _axis(top - 2, bottom, chance) + body)


def grouped_bars(
    categories: Sequence[str],
    series: Sequence[tuple[str, Mapping[str, float | None]]],
    *,
    title: str,
    chance: float | None = None,
) -> str:
    """For each category, one bar per series side by side (a legend names the series)."""
    legend_rows = (len(series) + 2) // 3
    top = 30.0 + legend_rows * 12
    bar, gap = 7.0, 10.0
    body = []
    for index, (name, _values) in enumerate(series):
        lx = (index % 3) * 105
        ly = 20 + (index // 3) * 12
        body.append(
            f'<rect x="{lx}" y="{ly}" width="8" height="8" '
            f'fill="{PALETTE[index % len(PALETTE)]}"/><text x="{lx + 11}" y="{ly + 7}" '
            f'font-size="8" fill="#1b1f24">{_label(name, 21)}</text>'
        )
    y = top
    for category in categories:
        block = max(len(series) * bar, 9.0 * len(_lines(category)) + 3 - gap)
        body.append(_row_label(category, y + block / 2))
        for index, (_name, values) in enumerate(series):
            body.append(
                _bar(y + index * bar, bar - 1, values.get(category), PALETTE[index % len(PALETTE)])
            )
        y += block + gap
    return _svg(title, y + 14, _axis(top - 2, y - gap + 2, chance) + body)
