"""Ids to catalog items where a catalog is optional (reports and plans still work, ids only,
without one)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def find(getter: Callable[[str], T] | None, item_id: str) -> T | None:
    """`getter(item_id)`, or None without a catalog (`getter` None) or for an unknown id."""
    if getter is None:
        return None
    try:
        return getter(item_id)
    except KeyError:
        return None
