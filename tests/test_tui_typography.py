"""No-break spaces hold in the terminal: a French line never starts with « ? » or « : »."""

from __future__ import annotations

import itertools

import pytest
import rich._wrap
import textual._wrap
from hypothesis import example, given
from hypothesis import strategies as st
from rich.console import Console
from rich.text import Text
from textual.app import App, ComposeResult
from textual.widgets import Static

from tui.typography import NO_BREAK_SPACES, RICH_WORD, TEXTUAL_CHUNK, keep_no_break_spaces

FRENCH = "Que faut-il savoir\u00a0? Les «\u00a0repentis\u00a0» disent\u00a0: rien de plus."


def _lines(offsets: list[int], text: str) -> list[str]:
    cuts = [0, *offsets, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(cuts)]


def test_the_patterns_are_the_ones_both_libraries_wrap_with() -> None:
    keep_no_break_spaces()
    assert textual._wrap.re_chunk is TEXTUAL_CHUNK
    assert rich._wrap.re_word is RICH_WORD


@pytest.mark.parametrize("width", range(12, 40))
def test_textual_keeps_a_word_and_its_punctuation_together(width: int) -> None:
    keep_no_break_spaces()
    lines = _lines(textual._wrap.compute_wrap_offsets(FRENCH, width, 4), FRENCH)
    assert "".join(lines) == FRENCH
    for line in lines:
        assert not line.lstrip(" ").startswith(("?", ":", "»")), lines


@pytest.mark.parametrize("width", range(12, 40))
def test_rich_keeps_them_together_too(width: int) -> None:
    keep_no_break_spaces()
    console = Console(width=width, record=True, color_system=None)
    console.print(Text(FRENCH))
    for line in console.export_text().splitlines():
        assert not line.startswith(("?", ":", "»")), line


@example(["a", " ", "mot", "\u00a0", ":", " ", "deux"], 7)
@given(
    st.lists(st.sampled_from(["mot", "deux", "a", "«", "»", ":", "?", " ", "\u00a0"]), max_size=30),
    st.integers(1, 30),
)
def test_wrapping_loses_nothing_and_breaks_only_at_breaking_spaces(
    parts: list[str], width: int
) -> None:
    keep_no_break_spaces()
    text = "".join(parts)
    offsets = textual._wrap.compute_wrap_offsets(text, width, 4)
    assert "".join(_lines(offsets, text)) == text
    if all(len(chunk) <= width for chunk in TEXTUAL_CHUNK.findall(text)):  # nothing folded
        for cut in offsets:
            assert text[cut - 1] == " " and text[cut] not in NO_BREAK_SPACES + " ", (text, cut)


class _Page(App[None]):
    def compose(self) -> ComposeResult:
        yield Static(FRENCH, id="text")


async def test_a_static_wraps_french_text_whole_once_the_app_is_made() -> None:
    from tui.app import NexusApp

    NexusApp(builtin_library=False)  # making the app sets the wrapping up
    async with _Page().run_test(size=(19, 6)) as pilot:
        await pilot.pause()
        widget = pilot.app.query_one("#text", Static)
        lines = [widget.render_line(y).text for y in range(widget.size.height)]
        assert any("savoir\u00a0?" in line for line in lines), lines
        assert not any(line.startswith(("?", ":", "»")) for line in lines), lines
