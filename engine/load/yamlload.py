"""Safe YAML loading that remembers where every key and value came from.

PyYAML alone is not enough for authors: it accepts duplicate keys silently, gives cryptic
messages for tabs, crashes the C composer on deeply nested input (and libyaml slows down
quadratically with depth), and forgets positions once data is constructed. So this module reads
libyaml's *event* stream (C speed, no recursion) and builds plain Python data itself:

- values are dict / list / str / int / float / bool / None, with YAML 1.1 scalar typing as
  PyYAML's safe loader does it (`yes`/`on` are booleans); timestamps stay strings (the data must
  be JSON-compatible);
- keys are always strings, taken as written (`1:` and `on:` are the keys "1" and "on", as JSON
  and authors' editors see them); a list or mapping used as a key is refused;
- explicit tags other than the standard str/int/float/bool/null/seq/map are refused, so nothing
  like `!!python/object` is ever constructed;
- anchors and aliases are allowed (they share one object, as in PyYAML) but the nodes they
  expand to are capped at `MAX_ALIAS_NODES`, so an alias bomb is refused at once; an alias
  inside its own anchor is refused;
- files over `MAX_BYTES`, deeper than `MAX_DEPTH`, not UTF-8, empty, with several documents or
  a non-mapping top level are refused, each with its own located message.

Positions live in a `SourceMap`, keyed by the identity of each container, so no path tuple is
built per node while loading; lookups by path happen only when a diagnostic needs one.
"""

from __future__ import annotations

import bisect
import re
from pathlib import Path
from typing import Any, NamedTuple

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from engine.core.diagnostics import Diagnostic, make
from engine.core.i18n import _
from engine.load.files import FileRefused, read_regular, too_large
from engine.load.yaml_words import context_text, problem_text

_CParser: type[Any] | None
try:
    from yaml._yaml import CParser as _CParser
except ImportError:  # PyYAML built without libyaml
    _CParser = None

MAX_BYTES = 48 * 1024 * 1024  # real scenarios are ~40 KB; the 100k-scene benchmark file is ~39 MB
MAX_DEPTH = 64  # a scenario nests about 7 levels; libyaml is quadratic in depth beyond this
MAX_ALIAS_NODES = 100_000  # nodes that aliases may add to the document when expanded
MAX_LIST_ITEMS = 1000  # a scenario's longest lists (choices, key actions) hold a few dozen
MAX_INT_DIGITS = 15  # integers in a scenario are minutes, bounds and effects: 15 digits is ample

_PACK = 1 << 32  # positions are packed as line * _PACK + column (both 0-based)

PathElem = str | int
Path_ = tuple[PathElem, ...]


def value_at(data: Any, path: Path_) -> Any:
    """The value at `path` inside loaded data, or None when the path does not exist."""
    node = data
    for elem in path:
        try:
            node = node[elem]
        except (KeyError, IndexError, TypeError):
            return None
    return node


class Position(NamedTuple):
    """A 1-based line and column, as editors show them."""

    line: int
    column: int


def _unpack(packed: int) -> Position:
    return Position(packed // _PACK + 1, packed % _PACK + 1)


class SourceMap:
    """Where each key and value of a loaded document starts.

    Built by the loader; `positions` maps `id(container)` to, for a dict, `{key: (key_pos,
    value_pos)}` and, for a list, `[value_pos, ...]` (packed ints). The root data is kept alive
    here so the ids stay valid.
    """

    def __init__(self, root: Any, positions: dict[int, Any], text: str, root_pos: int = 0) -> None:
        self.root = root
        self.root_pos = root_pos  # where the top-level mapping starts (its first key)
        self.text = text
        self._positions = positions
        self._lines: list[str] | None = None

    def _walk(self, path: Path_) -> tuple[int | None, int | None, bool]:
        """(key position, value position, found) of the node at `path`."""
        node = self.root
        key_pos: int | None = None
        value_pos: int | None = self.root_pos
        for elem in path:
            table = self._positions.get(id(node))
            if table is None:
                return key_pos, value_pos, False
            try:
                if isinstance(node, dict):
                    key_pos, value_pos = table[elem]
                elif isinstance(node, list):
                    key_pos, value_pos = None, table[elem]
                else:
                    return key_pos, value_pos, False
                node = node[elem]
            except (KeyError, IndexError, TypeError):
                return key_pos, value_pos, False
        return key_pos, value_pos, True

    def value(self, path: Path_) -> Position | None:
        """Where the value at `path` starts, or None if there is no such node."""
        _, pos, found = self._walk(path)
        return _unpack(pos) if found and pos is not None else None

    def key(self, path: Path_) -> Position | None:
        """Where the key of the mapping entry at `path` is written (None for list items)."""
        pos, _, found = self._walk(path)
        return _unpack(pos) if found and pos is not None else None

    def locate(self, path: Path_, prefer_key: bool = False) -> Position:
        """The best position for `path`: the node itself, else its nearest existing ancestor."""
        for end in range(len(path), -1, -1):
            key_pos, value_pos, found = self._walk(path[:end])
            if found:
                if prefer_key and key_pos is not None:
                    return _unpack(key_pos)
                if value_pos is not None:
                    return _unpack(value_pos)
        return Position(1, 1)

    def line_text(self, line: int) -> str:
        """The source text of a 1-based line ('' if out of range)."""
        if self._lines is None:
            self._lines = self.text.split("\n")
        return self._lines[line - 1] if 0 < line <= len(self._lines) else ""


class Loaded(NamedTuple):
    """The outcome of loading one file: data and positions, or the diagnostics that stopped it."""

    data: Any
    source: SourceMap | None
    diagnostics: tuple[Diagnostic, ...]

    @property
    def ok(self) -> bool:
        return not self.diagnostics


class _Stop(Exception):
    """Abort loading with one diagnostic (the first fatal problem is the useful one)."""

    def __init__(self, code: str, line: int, column: int, message: str) -> None:
        super().__init__(message)
        self.code, self.line, self.column, self.message = code, line, column, message


# Characters YAML forbids in a stream (c-printable's complement); checked before parsing so the
# message can name the line and column rather than libyaml's byte offset.
_NON_PRINTABLE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]"
)

# Control characters a double-quoted scalar can produce through escapes (`\e`, `\a`, `\x9b`,
# `\N`, `\r`, ...) that the raw-text check cannot see: refused, so no value ever carries a
# terminal control sequence. Tab and line feed are text.
_DECODED_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {f"{_STD}{t}" for t in ("str", "int", "float", "bool", "null")} | {"!"}
_COLLECTION_TAGS = {f"{_STD}seq", f"{_STD}map", "!"}
_IMPLICIT = Resolver.yaml_implicit_resolvers
_constructor = SafeConstructor()


class _HugeNumber(ValueError):
    """An integer beyond MAX_INT_DIGITS, refused before Python parses it."""


def _bounded_int(value: str, node: ScalarNode) -> int:
    """An int of at most MAX_INT_DIGITS decimal digits. The text is measured before int() sees
    it: Python refuses to parse more than 4,300 digits (a ValueError deep in any command), and
    a huge hexadecimal or sexagesimal value would parse but overflow every later str()."""
    if len(value) > 4 * MAX_INT_DIGITS:
        raise _HugeNumber(value)
    if value.isascii() and value.isdigit() and (len(value) == 1 or value[0] != "0"):
        number = int(value)  # the common case; a leading 0 means octal in YAML 1.1
    else:
        number = _constructor.construct_yaml_int(node)
    if abs(number) >= 10**MAX_INT_DIGITS:
        raise _HugeNumber(value)
    return int(number)


def _typed(value: str, tag: str) -> Any:
    """Construct a scalar of a resolved or explicit core tag (PyYAML's safe semantics)."""
    if tag in (f"{_STD}str", "!"):
        return value
    node = ScalarNode(tag, value)
    if tag == f"{_STD}int":
        return _bounded_int(value, node)
    if tag == f"{_STD}float":
        return _constructor.construct_yaml_float(node)
    if tag == f"{_STD}bool":
        return _constructor.construct_yaml_bool(node)
    if tag == f"{_STD}null":
        return None
    return value  # timestamp, merge `<<`, value `=`: keep the text


def _plain(value: str) -> Any:
    """Resolve a plain (unquoted) scalar the way YAML 1.1 / PyYAML's SafeLoader does."""
    if not value:
        return None
    for tag, regexp in _IMPLICIT.get(value[0], ()):
        if regexp.match(value):
            return _typed(value, tag)
    return value


def _position_of_offset(text: str, offset: int) -> tuple[int, int]:
    """1-based (line, column) of a character offset."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, column


def _decode(raw: bytes) -> str:
    """UTF-8 text (a BOM is allowed), else _Stop at the first bad byte."""
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _Stop("NTX003", 1, 1, _("the file is UTF-16 encoded; save it as UTF-8"))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        start = exc.start
        line = raw.count(b"\n", 0, start) + 1
        line_start = raw.rfind(b"\n", 0, start) + 1
        column = len(raw[line_start:start].decode("utf-8", "replace")) + 1
        raise _Stop(
            "NTX003",
            line,
            column,
            _(
                "byte 0x{byte} is not valid UTF-8; save the file as UTF-8 "
                "(in most editors: Save with encoding → UTF-8)"
            ).format(byte=f"{raw[start]:02x}"),
        ) from None


def _count(n: int) -> str:
    """A count with the interface language's thousands separator (100,000 / 100 000)."""
    from engine.core.formats import number

    return number(n)


def _too_deep(line: int, column: int) -> _Stop:
    return _Stop(
        "NTX013",
        line,
        column,
        _("lists and mappings are nested more than {depth} levels deep here").format(
            depth=MAX_DEPTH
        ),
    )


def _event_parser(text: str) -> Any:
    """libyaml's parser when PyYAML was built with it; else PyYAML's own (slower, same events)."""
    if _CParser is not None:
        return _CParser(text)
    return yaml.SafeLoader(text)


class _RealLines:
    """Map libyaml's character offsets to lines that count only \\n as a break.

    libyaml also breaks lines at a lone CR, NEL (U+0085) and U+2028/U+2029, so its marks run
    ahead of the lines editors, `grep -n` and this tool's own line count see. Built only for a
    text that holds one of those characters.
    """

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    @staticmethod
    def needed(text: str) -> _RealLines | None:
        return _RealLines(text) if _OTHER_BREAKS.search(text) else None

    def pack(self, index: int) -> int:
        line = bisect.bisect_right(self.starts, index) - 1
        return line * _PACK + (index - self.starts[line])


_OTHER_BREAKS = re.compile("[\r\x85\u2028\u2029]")


def _syntax_error(exc: yaml.MarkedYAMLError, text: str, real: _RealLines | None) -> _Stop:
    """Turn libyaml's error into a located message; tabs get their own, plainer one."""
    mark = exc.problem_mark or exc.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    if mark is not None and real is not None:
        packed = real.pack(mark.index)
        line, column = packed // _PACK + 1, packed % _PACK + 1
    lines = text.split("\n", line)[:line]
    here = lines[line - 1] if len(lines) >= line else ""
    problem = exc.problem or ""
    if "nesting depth" in problem:  # libyaml >= 0.2.6 stops deep flow nesting while reading ahead
        return _too_deep(line, column)
    if "tab" in problem or here[column - 1 : column] == "\t":
        tab = here.find("\t")
        col = tab + 1 if tab >= 0 and here[:tab].strip() == "" else column
        return _Stop(
            "NTX006", line, col, _("tabs are not allowed for indentation; indent with spaces")
        )
    context = ""
    if exc.context:
        cm = exc.context_mark
        cm_line = (cm.line + 1 if real is None else real.pack(cm.index) // _PACK + 1) if cm else 0
        where = (
            _(" that starts on line {line}").format(line=cm_line) if cm and cm_line != line else ""
        )
        context = f" ({context_text(exc.context)}{where})"
    hint = ""
    if "mapping values are not allowed" in problem:
        hint = _("; a value containing ': ' must be quoted")
    elif "found character '%'" in problem or "cannot start any token" in problem:
        hint = _("; quote the value if it starts with a special character")
    message = _("YAML syntax error: {problem}").format(
        problem=problem_text(problem) if problem else _("invalid YAML")
    )
    return _Stop("NTX005", line, column, f"{message}{context}{hint}")


class _Builder:
    """Build data and positions from libyaml's events, iteratively."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.positions: dict[int, Any] = {}
        self.anchors: dict[str, tuple[Any, int]] = {}  # name -> (object, node count)
        self.open_anchors: set[str] = set()
        self.alias_nodes = 0
        self.root_pos = 0
        self.lines = _RealLines.needed(text)

    def build(self) -> Any:
        parser = _event_parser(self.text)
        lines = self.lines
        get = parser.get_event
        positions = self.positions
        ScalarEvent, MappingStartEvent = yaml.ScalarEvent, yaml.MappingStartEvent
        SequenceStartEvent, AliasEvent = yaml.SequenceStartEvent, yaml.AliasEvent
        MappingEndEvent, SequenceEndEvent = yaml.MappingEndEvent, yaml.SequenceEndEvent
        DocumentStartEvent, StreamEndEvent = yaml.DocumentStartEvent, yaml.StreamEndEvent

        stack: list[tuple[Any, Any, Any, int, str | None, int]] = []
        root: Any = None
        documents = 0
        cur: Any = None  # the open container, or None at document level
        table: Any = None  # its position table
        key: Any = None  # pending mapping key (None: expecting a key)
        key_pos = 0
        count = 0  # nodes so far, alias expansions included
        try:
            while True:
                event = get()
                kind = type(event)
                if kind is ScalarEvent:
                    mark = event.start_mark
                    pos = (
                        mark.line * _PACK + mark.column if lines is None else lines.pack(mark.index)
                    )
                    tag = event.tag
                    value = event.value
                    count += 1
                    if cur is not None and key is None and type(cur) is dict:
                        if tag is not None and tag not in _SCALAR_TAGS:
                            raise self._tag_error(tag, mark)
                        if event.style == '"' and _DECODED_CONTROL.search(value):
                            raise self._control_error(value, mark)
                        if value in cur:
                            first = table[value][0] // _PACK + 1
                            raise _Stop(
                                "NTX007",
                                *self._at(mark),
                                _(
                                    "duplicate key '{key}' (first defined on line {line}); "
                                    "YAML keeps only one — merge or rename them"
                                ).format(key=value, line=first),
                            )
                        key, key_pos = value, pos
                        if event.anchor is not None:
                            self.anchors[event.anchor] = (value, 1)
                        continue
                    if event.style == '"' and _DECODED_CONTROL.search(value):
                        raise self._control_error(value, mark)
                    if tag is None:
                        if event.style == "" or event.style is None:
                            try:
                                value = _plain(value)
                            except _HugeNumber:
                                raise self._huge_error(value, mark) from None
                    elif tag in _SCALAR_TAGS:
                        try:
                            value = _typed(value, tag)
                        except _HugeNumber:
                            raise self._huge_error(value, mark) from None
                        except (ConstructorError, ValueError, KeyError, TypeError):
                            raise _Stop(
                                "NTX012",
                                *self._at(mark),
                                _("'{value}' cannot be read as {tag}").format(
                                    value=value, tag=tag.replace(_STD, "!!")
                                ),
                            ) from None
                    else:
                        raise self._tag_error(tag, mark)
                    if event.anchor is not None:
                        self.anchors[event.anchor] = (value, 1)
                elif kind is MappingStartEvent or kind is SequenceStartEvent:
                    mark = event.start_mark
                    if event.tag is not None and event.tag not in _COLLECTION_TAGS:
                        raise self._tag_error(event.tag, mark)
                    if cur is not None and key is None and type(cur) is dict:
                        raise _Stop(
                            "NTX011",
                            *self._at(mark),
                            _("a key must be a plain string, not a list or mapping"),
                        )
                    if len(stack) >= MAX_DEPTH:
                        raise _too_deep(*self._at(mark))
                    pos = (
                        mark.line * _PACK + mark.column if lines is None else lines.pack(mark.index)
                    )
                    new: Any = {} if kind is MappingStartEvent else []
                    new_table: Any = {} if kind is MappingStartEvent else []
                    positions[id(new)] = new_table
                    if type(cur) is list and len(table) >= MAX_LIST_ITEMS:
                        raise self._long_list(mark)
                    self._attach(cur, table, key, key_pos, new, pos)
                    if cur is None:
                        root = new
                        self.root_pos = pos
                    if event.anchor is not None:
                        self.open_anchors.add(event.anchor)
                    stack.append((cur, table, key, key_pos, event.anchor, count))
                    count += 1
                    cur, table, key = new, new_table, None
                    continue
                elif kind is MappingEndEvent or kind is SequenceEndEvent:
                    done = cur
                    cur, table, key, key_pos, anchor, start = stack.pop()
                    if anchor is not None:
                        self.open_anchors.discard(anchor)
                        self.anchors[anchor] = (done, count - start)
                    key = None
                    continue
                elif kind is AliasEvent:
                    mark = event.start_mark
                    name = event.anchor
                    if name in self.open_anchors:
                        raise _Stop(
                            "NTX008",
                            *self._at(mark),
                            _(
                                "alias *{name} is inside its own anchor &{name}; a "
                                "document cannot contain itself"
                            ).format(name=name),
                        )
                    if name not in self.anchors:
                        raise _Stop(
                            "NTX005",
                            *self._at(mark),
                            _("YAML syntax error: {problem}").format(
                                problem=_("alias *{name} has no anchor &{name} before it").format(
                                    name=name
                                )
                            ),
                        )
                    value, size = self.anchors[name]
                    count += size
                    self.alias_nodes += size
                    if self.alias_nodes > MAX_ALIAS_NODES:
                        raise _Stop(
                            "NTX008",
                            *self._at(mark),
                            _(
                                "aliases expand to more than {limit} nodes "
                                "(an alias bomb?); write the repeated parts out or use "
                                "fewer aliases"
                            ).format(limit=_count(MAX_ALIAS_NODES)),
                        )
                    if cur is not None and key is None and type(cur) is dict:
                        if not isinstance(value, str):
                            raise _Stop(
                                "NTX011",
                                *self._at(mark),
                                _(
                                    "a key must be a plain string, not an alias to a list "
                                    "or mapping"
                                ),
                            )
                        if value in cur:
                            raise _Stop(
                                "NTX007",
                                *self._at(mark),
                                _("duplicate key '{key}' (first defined on line {line})").format(
                                    key=value, line=table[value][0] // _PACK + 1
                                ),
                            )
                        key, key_pos = (
                            value,
                            (
                                mark.line * _PACK + mark.column
                                if lines is None
                                else lines.pack(mark.index)
                            ),
                        )
                        continue
                    pos = (
                        mark.line * _PACK + mark.column if lines is None else lines.pack(mark.index)
                    )
                elif kind is DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        mark = event.start_mark
                        raise _Stop(
                            "NTX009",
                            *self._at(mark),
                            _(
                                "a second YAML document starts here; a scenario file "
                                "holds exactly one — remove this '---' and what follows, "
                                "or move it to its own file"
                            ),
                        )
                    continue
                elif kind is StreamEndEvent:
                    break
                else:  # StreamStart, DocumentEnd
                    continue
                # a finished scalar or alias value: attach it
                if cur is None:
                    root = value
                elif type(cur) is dict:
                    cur[key] = value
                    table[key] = (key_pos, pos)
                    key = None
                else:
                    if len(table) >= MAX_LIST_ITEMS:
                        raise self._long_list(mark)
                    cur.append(value)
                    table.append(pos)
        except yaml.MarkedYAMLError as exc:
            raise _syntax_error(exc, self.text, self.lines) from None
        except yaml.reader.ReaderError as exc:
            line, column = _position_of_offset(self.text, min(exc.position, len(self.text)))
            raise _Stop(
                "NTX005",
                line,
                column,
                _("YAML cannot read this character: {reason}").format(reason=exc.reason),
            ) from None
        if documents == 0:
            raise _Stop(
                "NTX004",
                1,
                1,
                _("the file is empty; a scenario starts with 'format: nexus-ttx/1'"),
            )
        return root

    @staticmethod
    def _attach(cur: Any, table: Any, key: Any, key_pos: int, value: Any, pos: int) -> None:
        if cur is None:
            return
        if type(cur) is dict:
            cur[key] = value
            table[key] = (key_pos, pos)
        else:
            cur.append(value)
            table.append(pos)

    def _at(self, mark: Any) -> tuple[int, int]:
        """1-based (line, column) of a libyaml mark, counting only \\n as a line break."""
        if self.lines is None:
            return mark.line + 1, mark.column + 1
        packed = self.lines.pack(mark.index)
        return packed // _PACK + 1, packed % _PACK + 1

    def _long_list(self, mark: Any) -> _Stop:
        return _Stop(
            "NTX020",
            *self._at(mark),
            _(
                "a list in a scenario holds at most {limit} items; this is item "
                "{item} (reading stopped here)"
            ).format(limit=_count(MAX_LIST_ITEMS), item=_count(MAX_LIST_ITEMS + 1)),
        )

    def _huge_error(self, text: str, mark: Any) -> _Stop:
        shown = (
            text
            if len(text) <= 24
            else _("{start}…{end} ({count} characters)").format(
                start=text[:12], end=text[-6:], count=_count(len(text))
            )
        )
        return _Stop(
            "NTX015",
            *self._at(mark),
            _(
                "the number {number} is too large; numbers in a scenario have at most "
                "{digits} digits (quote it if it is text)"
            ).format(number=shown, digits=MAX_INT_DIGITS),
        )

    def _control_error(self, value: str, mark: Any) -> _Stop:
        bad = _DECODED_CONTROL.search(value)
        assert bad is not None
        return _Stop(
            "NTX016",
            *self._at(mark),
            _(
                "this quoted text contains control character U+{code} (from an "
                "escape such as \\e, \\a or \\x1b); remove it: text may hold tabs and line "
                "breaks, never terminal control codes"
            ).format(code=f"{ord(bad.group()):04X}"),
        )

    def _tag_error(self, tag: str, mark: Any) -> _Stop:
        shown = tag.replace(_STD, "!!")
        return _Stop(
            "NTX012",
            *self._at(mark),
            _(
                "the YAML tag '{tag}' is not allowed; remove it (scenario files hold "
                "plain text, numbers, lists and mappings only)"
            ).format(tag=shown),
        )


def load_text(text: str, file: str) -> Loaded:
    """Load YAML text. Never raises for bad input: problems come back as diagnostics."""
    try:
        bad = _NON_PRINTABLE.search(text)
        if bad:
            line, column = _position_of_offset(text, bad.start())
            raise _Stop(
                "NTX003",
                line,
                column,
                _("control character U+{code} is not allowed in YAML; delete it").format(
                    code=f"{ord(bad.group()):04X}"
                ),
            )
        builder = _Builder(text)
        root = builder.build()
        if root is None:
            raise _Stop(
                "NTX004",
                1,
                1,
                _("the file has no content; a scenario starts with 'format: nexus-ttx/1'"),
            )
        if not isinstance(root, dict):
            message = (
                _(
                    "the file holds a list; a scenario is a mapping of "
                    "keys such as 'format:', 'id:' and 'scenes:'"
                )
                if isinstance(root, list)
                else _(
                    "the file holds a single value; a scenario is a mapping of "
                    "keys such as 'format:', 'id:' and 'scenes:'"
                )
            )
            raise _Stop("NTX010", 1, 1, message)
    except _Stop as stop:
        return Loaded(None, None, (make(stop.code, file, stop.line, stop.column, stop.message),))
    except RecursionError:  # pragma: no cover - the builder is iterative; belt and braces
        return Loaded(
            None, None, (make("NTX013", file, 1, 1, _("the document is nested too deeply")),)
        )
    return Loaded(root, SourceMap(root, builder.positions, text, builder.root_pos), ())


def load_bytes(raw: bytes, file: str) -> Loaded:
    """Load raw file content: size and encoding are checked before any parsing."""
    if len(raw) > MAX_BYTES:
        refused = too_large(len(raw), MAX_BYTES)
        return Loaded(None, None, (make(refused.code, file, 1, 1, refused.message),))
    try:
        text = _decode(raw)
    except _Stop as stop:
        return Loaded(None, None, (make(stop.code, file, stop.line, stop.column, stop.message),))
    return load_text(text, file)


def load_file(path: str | Path, file: str | None = None) -> Loaded:
    """Load a file from disk; `file` is the name shown in diagnostics (default: as given).

    Only a regular file is opened, and at most MAX_BYTES + 1 bytes are read (engine.load.files):
    a pipe, a device or a socket named *.yaml is refused at once instead of blocking or filling
    memory."""
    shown = str(path) if file is None else file
    try:
        raw = read_regular(path, MAX_BYTES)
    except FileRefused as refused:
        return Loaded(None, None, (make(refused.code, shown, 1, 1, refused.message),))
    return load_bytes(raw, shown)
