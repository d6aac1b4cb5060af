"""Line breaking that respects no-break spaces.

French typography puts a no-break space (U+00A0, or the narrow U+202F) before « : ; ? ! » and
inside « guillemets », so that a line never starts with a colon or a closing guillemet. Textual's
and Rich's word wrapping both break at any Unicode whitespace, these included (Rich issue #3545),
so French text in the terminal broke as « savoir / ? Les ». `keep_no_break_spaces` makes both
break at breaking whitespace only, by replacing the one compiled pattern each library's wrap
module splits words with; tests/test_tui_typography.py fails if an upgrade moves them.
"""

from __future__ import annotations

import re

#: No-break space, figure space, narrow no-break space: spaces a line must not break at.
NO_BREAK_SPACES = "\u00a0\u2007\u202f"
_BREAKING = rf"[^\S{NO_BREAK_SPACES}]"
_UNBROKEN = rf"[\S{NO_BREAK_SPACES}]"

#: textual._wrap's chunk: a word and the spaces after it, or a run of spaces.
TEXTUAL_CHUNK = re.compile(rf"{_UNBROKEN}+{_BREAKING}*|{_BREAKING}+")
#: rich._wrap's word: spaces, a word, spaces.
RICH_WORD = re.compile(rf"{_BREAKING}*{_UNBROKEN}+{_BREAKING}*")


def keep_no_break_spaces() -> None:
    """Make Textual and Rich wrap lines at breaking spaces only (idempotent)."""
    import rich._wrap
    import textual._wrap

    textual._wrap.re_chunk = TEXTUAL_CHUNK
    rich._wrap.re_word = RICH_WORD
