"""Reading a gettext PO file in one pass: its syntax checked line by line, its entries with
their positions.

Translators edit these files with Poedit, Weblate or a text editor, so the reader is strict and
says where: every problem is an NTX501 at file:line:col (at most 50), and a file with a problem
yields no entries. What it reads from a well-formed file is what Babel's `read_po` reads (the
catalog's entries, obsolete `#~` entries, flags, comments, header fields), so the writer
(Babel's `write_po`) and this reader cannot drift: tests/test_po_read.py checks both on files
Babel writes. Reading stays out of Babel because validation reads a translation on every run and
Babel's import (its catalog, dates and the e-mail parser for the header) costs more than the
whole file.

Babel's rules kept here, for files it would read: comments (`#`, `#.`, `#,`, `#|`, `#:`) belong
to the entry after them; an entry is obsolete when its last keyword line is a `#~` line; an
entry whose msgid is empty is the header (it replaces the header fields it names); a second
entry with the same msgctxt and msgid adds its flags and comments to the first; of `msgstr[n]`
lines the first is the translation.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from engine.core.diagnostics import Diagnostic, make
from engine.core.i18n import _

MAX_PROBLEMS = 50

STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"')  # unrolled: linear, no per-character alternation
ESCAPE = re.compile(r"\\(.)")
KEYWORD = re.compile(r"(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)(?=\s|\"|$)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_UNESCAPE = re.compile(r'\\([\\abfnrtv"])')
_UNESCAPED = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_HEADER_NAME = re.compile(r"[\x21-\x39\x3b-\x7e]*")  # printable ASCII but ':' (RFC 5322)
_DATE = re.compile(r"^(?P<datetime>.*?)(?P<tzoffset>[+-]\d{4})?$")
# strptime's own pattern for "%Y-%m-%d %H:%M" (a space in the format matches any whitespace)
_STRPTIME = re.compile(
    r"(\d\d\d\d)-(1[0-2]|0[1-9]|[1-9])-(3[01]|[12]\d|0[1-9]|[1-9]| [1-9])\s+"
    r"(2[0-3]|[0-1]\d|\d):([0-5]\d|\d)",
    re.IGNORECASE,
)

Expect = Literal["entry", "msgid", "msgstr", "more"]


def unescape(quoted: str) -> str:
    """The text of one quoted PO string (`"a\\n"` -> `a` and a newline)."""
    inner = quoted[1:-1]
    if "\\" not in inner:
        return inner
    return _UNESCAPE.sub(lambda m: _UNESCAPED.get(m.group(1), m.group(1)), inner)


# Plain classes and NamedTuples, not dataclasses: `validate` imports this module on every run,
# and making a dataclass costs more than reading a whole translation file.


class PoEntry(NamedTuple):
    """One entry as read. `line` and `column` locate its msgctxt's string (else its msgid's)."""

    context: str | None
    msgid: str
    msgstr: str
    flags: tuple[str, ...]
    user_comments: tuple[str, ...]  # `# text` and `#| ...` lines, without the '#'
    auto_comments: tuple[str, ...]  # `#.` lines
    obsolete: bool
    line: int
    column: int

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags


class PoFile(NamedTuple):
    """What a PO file holds: its entries (the header apart), obsolete entries, header fields
    (`language`, `charset`), and every msgctxt met with its place (for duplicates)."""

    entries: list[PoEntry]
    obsolete: list[PoEntry]
    language: str | None
    charset: str
    contexts: list[tuple[str, int, int, bool]]  # (msgctxt, line, column, obsolete)
    problems: list[Diagnostic]


class _Raw:
    """An entry being read: its strings' quoted pieces."""

    __slots__ = ("column", "context", "line", "msgid", "msgstr", "obsolete")

    def __init__(self, context: list[str] | None, line: int, column: int) -> None:
        self.context = context
        self.line = line
        self.column = column
        self.msgid: list[str] = []
        self.msgstr: list[str] | None = None
        self.obsolete = False


class _Scan:
    """The pass's state: what may come next, the entry being read, what is found so far."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Diagnostic] = []
        self.expect: Expect = "entry"
        self.keyword = ""
        self.current: _Raw | None = None
        self.pieces: list[str] | None = None  # where a continuation string goes
        self.flags: list[str] = []  # comments waiting for the next entry
        self.user_comments: list[str] = []
        self.auto_comments: list[str] = []
        self.read: list[PoEntry] = []

    def error(self, line: int, column: int, message: str) -> None:
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(make("NTX501", self.file, line, column, message))


def _check_string(scan: _Scan, text: str, line: int, column: int) -> str | None:
    """The quoted string at the start of `text`, checked; its raw form, or None (reported)."""
    match = STRING.match(text)
    if match is None:
        scan.error(line, column, _('expected a string in double quotes ("...") here'))
        return None
    rest = text[match.end() :].strip()
    if rest:
        scan.error(
            line,
            column + match.end(),
            _("unexpected text after the string: {text}").format(text=repr(rest[:40])),
        )
        return None
    if "\\" not in match.group():
        return match.group()
    for escape in ESCAPE.finditer(match.group()[1:-1]):
        if escape.group(1) not in '\\abfnrtv"':
            scan.error(
                line,
                column + 1 + escape.start(),
                _("unknown escape '{escape}' (use \\n, \\t, \\\" or \\\\)").format(
                    escape="\\" + escape.group(1)
                ),
            )
            return None
    return match.group()


def _finish(scan: _Scan) -> None:
    """The entry being read is complete (a new one starts, a comment or the end comes)."""
    raw = scan.current
    scan.current = scan.pieces = None
    if raw is None or raw.msgstr is None:
        return
    scan.read.append(
        PoEntry(
            context=None if raw.context is None else "".join(map(unescape, raw.context)),
            msgid="".join(map(unescape, raw.msgid)),
            msgstr="".join(map(unescape, raw.msgstr)),
            flags=tuple(scan.flags),
            user_comments=_collapsed(scan.user_comments),
            auto_comments=_collapsed(scan.auto_comments),
            obsolete=raw.obsolete,
            line=raw.line,
            column=raw.column,
        )
    )
    scan.flags, scan.user_comments, scan.auto_comments = [], [], []


def _collapsed(comments: list[str]) -> tuple[str, ...]:
    """Consecutive repeats of a comment kept once (as Babel reads them)."""
    return tuple(c for i, c in enumerate(comments) if i == 0 or comments[i - 1] != c)


_NEXT: dict[str, tuple[str, ...]] = {
    "entry": ("msgctxt", "msgid"),
    "msgid": ("msgid",),
    "msgstr": ("msgstr", "msgid_plural"),
    "more": ("msgctxt", "msgid"),
}


def _keyword_line(scan: _Scan, text: str, line: int, column: int, obsolete: bool) -> None:
    match = KEYWORD.match(text)
    if match is None:
        word = text.split(maxsplit=1)[0] if text.split() else text
        scan.error(
            line,
            column,
            _("expected msgctxt, msgid, msgstr or a quoted string, not {word}").format(
                word=repr(word[:40])
            ),
        )
        scan.expect = "entry"
        return
    keyword = match.group(1)
    kind = "msgstr" if keyword.startswith("msgstr") else keyword
    if keyword == "msgid_plural":
        scan.error(line, column, _("plural entries (msgid_plural) are not used in these files"))
    elif kind not in _NEXT[scan.expect] and not (
        keyword.startswith("msgstr[") and scan.keyword == "msgstr["
    ):
        wanted = _(" or ").join(_NEXT[scan.expect])
        scan.error(
            line,
            column,
            _("{keyword} out of place: expected {wanted} here").format(
                keyword=keyword, wanted=wanted
            ),
        )
    elif text[match.end() : match.end() + 1] not in ("", " "):
        scan.error(
            line,
            column,
            _("put one space between {keyword} and its string").format(keyword=keyword),
        )
    after = text[match.end() :]
    value_at = column + match.end() + len(after) - len(after.lstrip())
    raw = _check_string(scan, after.lstrip(), line, value_at)
    _take(scan, kind, raw, line, value_at, obsolete)
    scan.keyword = "msgstr[" if keyword.startswith("msgstr[") else kind


def _take(scan: _Scan, kind: str, raw: str | None, line: int, column: int, obsolete: bool) -> None:
    """Record a keyword line's string in the entry being read."""
    pieces = [raw] if raw else []
    if kind == "msgctxt":
        _finish(scan)
        scan.current = _Raw(pieces, line, column)
        scan.pieces, scan.expect = pieces, "msgid"
    elif kind == "msgid":
        if scan.current is None or scan.expect != "msgid":
            _finish(scan)
            scan.current = _Raw(None, line, column)
        scan.current.msgid = scan.pieces = pieces
        scan.expect = "msgstr"
    else:
        if scan.current is not None and scan.current.msgstr is None:
            scan.current.msgstr = pieces  # of several msgstr[n], the first is the translation
        scan.pieces, scan.expect = pieces, "more"
    if scan.current is not None:
        scan.current.obsolete = obsolete


def _comment_line(scan: _Scan, stripped: str, line: int, column: int) -> None:
    if stripped.startswith("#-"):
        scan.error(line, column, _("a merge-conflict marker: resolve the conflict (msgcat)"))
        return
    if scan.expect in ("msgid", "msgstr"):
        scan.error(line, column, _("a comment inside an entry: comments go before msgctxt"))
        return
    _finish(scan)
    if scan.expect == "more":  # a string after the comment continues nothing
        scan.expect, scan.keyword = "entry", ""
    kind = stripped[:2]
    if kind == "#:":
        body = stripped[2:]
        if body.count("\u2068") != body.count("\u2069"):
            message = _("unbalanced isolate marks (U+2068/U+2069) in a location")
            scan.error(line, column, message)
    elif kind == "#,":
        scan.flags.extend(flag.strip() for flag in stripped[2:].lstrip().split(","))
    elif kind == "#.":
        if stripped[2:].strip():
            scan.auto_comments.append(stripped[2:].strip())
    else:
        scan.user_comments.append(stripped[1:].strip())


def _scan_line(scan: _Scan, raw_line: str, line: int) -> None:
    stripped = raw_line.strip()
    if not stripped:
        return
    column = len(raw_line) - len(raw_line.lstrip()) + 1
    if stripped.startswith("#~"):
        body = stripped[2:].lstrip()
        if body:
            _content_line(scan, body, line, column + len(stripped) - len(body), True)
        return
    if stripped.startswith("#"):
        _comment_line(scan, stripped, line, column)
        return
    _content_line(scan, stripped, line, column, False)


def _content_line(scan: _Scan, text: str, line: int, column: int, obsolete: bool) -> None:
    if text.startswith('"'):
        if scan.expect == "entry":
            scan.error(
                line, column, _("a string outside any entry (it follows no msgid or msgstr)")
            )
            return
        raw = _check_string(scan, text, line, column)
        if raw is not None and scan.pieces is not None:
            scan.pieces.append(raw)
        return
    _keyword_line(scan, text, line, column, obsolete)


def scan_po(text: str, file: str) -> PoFile:
    """Read a PO file's text (already decoded). With problems, the entries are empty."""
    scan = _Scan(file)
    lines = text.split("\n")
    clean = _CONTROL.search(text) is None  # then no line has one
    for number, raw_line in enumerate(lines, start=1):
        control = None if clean else _CONTROL.search(raw_line.removesuffix("\r"))
        if control is not None:
            scan.error(
                number,
                control.start() + 1,
                _(
                    "control character U+{code} in the file: remove it "
                    "(a line break inside a string is written \\n)"
                ).format(code=f"{ord(control.group()):04X}"),
            )
            continue
        _scan_line(scan, raw_line, number)
    if scan.expect in ("msgid", "msgstr"):
        scan.error(len(lines), 1, _("the file ends inside an entry (a msgstr is missing)"))
    _finish(scan)
    contexts = [
        (e.context, e.line, e.column, e.obsolete) for e in scan.read if e.context is not None
    ]
    if scan.problems:
        return PoFile([], [], None, "utf-8", contexts, scan.problems)
    return _catalog(scan.read, contexts, text, file)


def _catalog(
    read: list[PoEntry], contexts: list[tuple[str, int, int, bool]], text: str, file: str
) -> PoFile:
    """The entries as a catalog keeps them: the header apart, duplicates merged."""
    entries: dict[tuple[str, str | None], PoEntry] = {}
    obsolete: dict[tuple[str, str | None], PoEntry] = {}
    header: dict[str, str] = {}
    for entry in read:
        key = (entry.msgid, entry.context)
        if entry.obsolete:
            obsolete[key] = entry
        elif entry.msgid == "":
            header.update(_header_fields(entry.msgstr))
        elif key in entries:
            first = entries[key]
            entries[key] = first._replace(
                flags=tuple(dict.fromkeys([*first.flags, *entry.flags])),
                user_comments=tuple(dict.fromkeys([*first.user_comments, *entry.user_comments])),
                auto_comments=tuple(dict.fromkeys([*first.auto_comments, *entry.auto_comments])),
            )
        else:
            entries[key] = entry
    language, charset, problem = _header_values(header)
    problems = []
    if problem is not None:
        at = text.find('msgid ""')
        line = 1 if at < 0 else text.count("\n", 0, at) + 1
        message = _('cannot read the header entry (msgid ""): {error}').format(error=problem)
        problems.append(make("NTX501", file, line, 1, message))
    return PoFile(
        list(entries.values()), list(obsolete.values()), language, charset, contexts, problems
    )


def _header_fields(text: str) -> dict[str, str]:
    """`Name: value` lines of a header entry's msgstr (names lower-cased), as e-mail headers
    are read: a line starting with a space or tab continues the one before, and a blank line
    or a line that is not a header ends them."""
    fields: list[tuple[str, str]] = []
    for line in re.split(r"\r\n|\r|\n", text):
        if not line:
            break
        if line[0] in " \t":
            if fields:
                name, value = fields[-1]
                fields[-1] = (name, f"{value}\n{line}")
            continue
        name, colon, value = line.partition(":")
        if not colon or _HEADER_NAME.fullmatch(name) is None:
            break
        fields.append((name.lower(), value.lstrip(" \t")))
    return dict(fields)


def _header_values(header: dict[str, str]) -> tuple[str | None, str, str | None]:
    """(language, charset, why the header cannot be read or None), as Babel's catalog takes
    them: a Plural-Forms whose nplurals is not a number, or a date it cannot parse, is refused."""
    language = header.get("language", "").replace("-", "_") or None
    charset = "utf-8"
    params = _params(header.get("content-type", ""))
    if params.get("charset", "").lower() not in ("", "charset"):
        charset = params["charset"].lower()
    try:
        if "plural-forms" in header:
            int(_params(f" ;{header['plural-forms']}").get("nplurals", "2"))
        for name in ("pot-creation-date", "po-revision-date"):
            value = header.get(name, "")
            if value.strip() and not (name == "po-revision-date" and "YEAR" in value):
                _check_date(value)
    except ValueError as exc:
        return language, charset, str(exc)
    return language, charset, None


def _params(value: str) -> dict[str, str]:
    """`name=value` parameters after the first `;` of a header value (names lower-cased)."""
    out: dict[str, str] = {}
    for part in value.split(";")[1:]:
        name, _, param = part.partition("=")
        param = param.strip()
        if len(param) > 1 and param[0] == param[-1] == '"':
            param = param[1:-1]
        if name.strip():
            out[name.strip().lower()] = param
    return out


def _check_date(value: str) -> None:
    """Babel reads the dates as `datetime.strptime(..., "%Y-%m-%d %H:%M")` after an optional
    `+hhmm` offset: the same pattern, checked without importing `_strptime`."""
    from datetime import datetime

    match = _DATE.match(value)
    text = match.group("datetime") if match else value
    found = _STRPTIME.match(text)
    if found is None:
        raise ValueError(f"time data {text!r} does not match format '%Y-%m-%d %H:%M'")
    if found.end() != len(text):
        raise ValueError(f"unconverted data remains: {text[found.end() :]}")
    year, month, day, hour, minute = (int(g) for g in found.groups())
    datetime(year, month, day, hour, minute)  # a day the month does not have is refused
