"""Joining texts written by others (scene titles, choice texts) into our sentences without
doubled punctuation: `On: One file or six?` not `On: One file or six?.`."""

from __future__ import annotations

_ENDS = ".?!…:;"


def sentence(text: str, mark: str = ".") -> str:
    """`text` closed with `mark`, unless it already ends with punctuation that closes it."""
    stripped = text.rstrip()
    return stripped if stripped.endswith(tuple(_ENDS)) else stripped + mark
