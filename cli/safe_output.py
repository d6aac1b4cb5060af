"""Everything the command line prints goes through `engine.core.safe_text.for_terminal`.

Commands print content from scenario files, session stores, file names and arguments; any of
them may carry ESC, CSI or other control characters, or bytes that are not UTF-8 (a file name
decoded with surrogateescape). Wrapping the two streams once, at start-up, covers every print
of every command, including argparse's messages, without each command remembering to escape.
The TUI is unaffected: Textual writes to the terminal through sys.__stdout__.
"""

from __future__ import annotations

import contextlib
import sys
from typing import Any, TextIO

from engine.core.safe_text import for_terminal


class SafeStream:
    """A text stream that writes control characters as visible `\\uXXXX` escapes."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(for_terminal(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def install() -> None:
    """Wrap sys.stdout and sys.stderr (once)."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None or isinstance(stream, SafeStream):
            continue
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):
                reconfigure(errors="backslashreplace")
        setattr(sys, name, SafeStream(stream))
