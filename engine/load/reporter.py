"""Collecting located diagnostics for one file: the semantic checks of scenarios and of the
toolkit catalog report through a `Reporter`, which finds each path's line and column."""

from __future__ import annotations

from collections.abc import Callable, Collection

from engine.core.diagnostics import Collector, Diagnostic, make
from engine.load.yamlload import SourceMap, value_at

PathT = tuple[str | int, ...]


class Reporter:
    """Collects diagnostics for one file, locating them through the source map.

    At most MAX_PER_CODE messages per code are built; past that an item is only counted, and a
    message given as a callable is never called (its "did you mean" is never searched)."""

    def __init__(self, source: SourceMap, file: str, skip: Collection[PathT]) -> None:
        self.source = source
        self.file = file
        self.skip = set(skip)
        self.collector = Collector()

    @property
    def out(self) -> list[Diagnostic]:
        return self.collector.diagnostics()

    def _where(self, path: PathT, at_key: bool) -> tuple[int, int]:
        pos = self.source.locate(path, prefer_key=at_key)
        return pos.line, pos.column

    def skipped(self, path: PathT) -> bool:
        return bool(self.skip) and any(path[:i] in self.skip for i in range(len(path) + 1))

    def add(
        self,
        code: str,
        path: PathT,
        message: str | Callable[[], str],
        *,
        at_key: bool = False,
        column_offset: int | None = None,
    ) -> None:
        if self.skipped(path):
            return
        if not self.collector.room(code, self.file):
            self.collector.count(code, self.file, lambda: self._where(path, at_key))
            return
        pos = self.source.locate(path, prefer_key=at_key)
        line, column = pos.line, pos.column
        if column_offset is not None:
            column = condition_column(self.source, pos.line, pos.column, path, column_offset)
        text = message() if callable(message) else message
        self.collector.add(make(code, self.file, line, column, text))


def condition_column(source: SourceMap, line: int, column: int, path: PathT, offset: int) -> int:
    """Column of character `offset` of a condition, when the scalar sits on one line.

    A plain or quoted scalar written on one line maps offsets to columns directly; for block
    scalars, folded lines or escapes we cannot be exact, so the condition's start is used.
    """
    value = value_at(source.root, path)
    if not isinstance(value, str):
        return column
    text = source.line_text(line)
    start = column - 1
    if text[start : start + 1] in ("'", '"'):
        if text[start + 1 : start + 1 + len(value)] == value:
            return column + 1 + offset
        return column
    if text[start : start + len(value)] == value:
        return column + offset
    return column
