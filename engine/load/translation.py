"""Translation files: gettext PO files beside a base file, keyed by stable field ids.

One rule for scenarios and the toolkit catalog (docs/authoring.md, "Translating a scenario"):
`NAME.LANG.po` beside `NAME.yaml`; each entry's `msgctxt` is the stable id of a field, its
`msgid` the base text exactly as the base file has it (YAML folding applied, the trailing
newline stripped), its `msgstr` the translation. A translation is used only when its msgstr is
non-empty, it is not marked fuzzy and its msgid still equals the base text: anything else falls
back, string by string, to the base language.

Babel writes the files, so translators can use Poedit or Weblate; `engine.load.po_read` reads
them in one strict pass that reports every syntax problem with file:line:col and otherwise reads
what Babel's `read_po` would (tests keep the two in step). Nothing in here raises on bad input.
"""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from engine.core.diagnostics import Diagnostic, make
from engine.core.i18n import _
from engine.load.files import FileRefused, read_regular
from engine.load.po_read import ESCAPE, KEYWORD, STRING, PoEntry, PoFile, scan_po, unescape

MAX_PO_BYTES = 16 * 1024 * 1024  # the Sahel scenario's French file is ~60 KB
PO_SUFFIX = ".po"
_LANG = re.compile(r"^[a-z]{2,3}(?:[_-][A-Za-z0-9]{2,8})*$")


class Entry(NamedTuple):
    """One translated field. `line` and `column` locate its msgctxt (or msgid) in the file."""

    id: str
    msgid: str
    msgstr: str
    fuzzy: bool = False
    line: int = 1
    column: int = 1
    previous_msgid: str | None = None
    comments: tuple[str, ...] = ()  # the translator's own `# ...` lines, kept on update
    notes: tuple[str, ...] = ()  # `#.` lines written for translators (where the text is)

    @property
    def translated(self) -> bool:
        """Whether the entry carries a translation at all (fuzzy or not)."""
        return bool(self.msgstr)

    def text_for(self, base: str) -> str | None:
        """The translation to show for `base`, or None to fall back to the base text."""
        if self.msgstr and not self.fuzzy and self.msgid == base:
            return self.msgstr
        return None


class Translation(NamedTuple):
    """A PO file read: its entries by id, its obsolete (`#~`) entries and its problems."""

    file: str
    language: str | None
    entries: Mapping[str, Entry] = MappingProxyType({})
    obsolete: tuple[Entry, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(d.is_error for d in self.diagnostics)

    def text_for(self, field_id: str, base: str) -> str | None:
        entry = self.entries.get(field_id)
        return entry.text_for(base) if entry is not None else None


def base_text(text: str) -> str:
    """A base-file text as msgids carry it: YAML folding done, the trailing newline stripped."""
    return text.rstrip("\n")


def translation_path(base: str | os.PathLike[str], language: str) -> Path:
    """`NAME.LANG.po` beside `NAME.yaml`."""
    path = Path(base)
    return path.with_name(f"{path.stem}.{language}{PO_SUFFIX}")


def split_translation_name(path: str | os.PathLike[str]) -> tuple[str, str] | None:
    """(`NAME`, `LANG`) for a file named `NAME.LANG.po`; None for any other name."""
    name = Path(path).name
    if not name.endswith(PO_SUFFIX):
        return None
    stem, dot, language = name[: -len(PO_SUFFIX)].rpartition(".")
    if not dot or not stem or not _LANG.match(language):
        return None
    return stem, language


def is_language(code: str) -> bool:
    """A plausible language code (`fr`, `pt_BR`, `ar`): what may stand between the dots."""
    return bool(_LANG.match(code))


# --- reading ------------------------------------------------------------------------------


def _decode(raw: bytes, file: str) -> tuple[str | None, Diagnostic | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = raw[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        message = _(
            "not UTF-8 text: byte 0x{byte} cannot be read; save the file as UTF-8 "
            "(Poedit and Weblate do)"
        ).format(byte=f"{raw[exc.start]:02x}")
        return None, make("NTX502", file, line, column, message)
    return text.removeprefix("\ufeff"), None


def _header_problems(po: PoFile, text: str, file: str) -> list[Diagnostic]:
    """The charset must be UTF-8; a Language header that disagrees with the name is flagged."""
    problems: list[Diagnostic] = []
    charset = po.charset.replace("_", "-")
    line = _line_of(text, "Content-Type:")
    if charset not in ("utf-8", "utf8"):
        message = _("the header declares charset={charset}; these files are UTF-8 only").format(
            charset=charset
        )
        problems.append(make("NTX502", file, line, 1, message))
    named = split_translation_name(file)
    language = po.language
    if named is not None and language and language.replace("-", "_") != named[1]:
        message = _(
            "the header says Language: {header} but the file name says {named}; "
            "set the header to 'Language: {named}' (or rename the file)"
        ).format(header=language, named=named[1])
        problems.append(make("NTX509", file, _line_of(text, "Language:"), 1, message))
    return problems


def _line_of(text: str, needle: str) -> int:
    at = text.find(needle)
    return 1 if at < 0 else text.count("\n", 0, at) + 1


def _previous(comments: Iterable[str]) -> tuple[str | None, tuple[str, ...]]:
    """`#| msgid "old"` lines are read as comments: split them back out as the previous
    msgid (one line or several, as gettext writes them)."""
    pieces: list[str] = []
    kept: list[str] = []
    keyword = ""
    for comment in comments:
        if not comment.startswith("|"):
            kept.append(comment)
            continue
        body = comment[1:].strip()
        word, _, rest = body.partition(" ")
        if word in ("msgctxt", "msgid", "msgid_plural"):
            keyword, body = word, rest
        if keyword == "msgid":
            pieces.extend(unescape(s) for s in STRING.findall(body))
    return ("".join(pieces) if pieces else None), tuple(kept)


def _entry(read: PoEntry) -> Entry:
    previous, comments = _previous(read.user_comments)
    return Entry(
        id=str(read.context),
        msgid=read.msgid,
        msgstr=read.msgstr,
        fuzzy=read.fuzzy,
        line=read.line,
        column=read.column,
        previous_msgid=previous,
        comments=comments,
        notes=tuple(read.auto_comments),
    )


def _entries(po: PoFile, file: str) -> tuple[dict[str, Entry], list[Diagnostic]]:
    problems: list[Diagnostic] = []
    entries: dict[str, Entry] = {}
    for read in po.entries:
        if not read.context:
            problems.append(
                make(
                    "NTX506",
                    file,
                    read.line,
                    read.column,
                    _(
                        "this entry has no msgctxt (msgid {msgid}): every entry names the field "
                        "it translates in msgctxt"
                    ).format(msgid=repr(read.msgid[:50])),
                )
            )
            continue
        entries[read.context] = _entry(read)
    seen: dict[str, int] = {}
    for value, line, column, obsolete in po.contexts:
        if obsolete:
            continue
        if value in seen:
            message_text = _(
                "'{id}' is translated twice (first at line {line}); keep one entry"
            ).format(id=value, line=seen[value])
            problems.append(make("NTX505", file, line, column, message_text))
        else:
            seen[value] = line
    return entries, problems


def parse_translation(raw: bytes | str, file: str) -> Translation:
    """A PO file's text (bytes: decoded as UTF-8) as a `Translation`; problems as diagnostics."""
    if isinstance(raw, bytes):
        text, problem = _decode(raw, file)
        if text is None:
            return Translation(file, None, diagnostics=(problem,) if problem else ())
    else:
        text = raw.removeprefix("\ufeff")
    named = split_translation_name(file)
    po = scan_po(text, file)
    if po.problems:
        return Translation(file, named and named[1], diagnostics=tuple(po.problems))
    entries, problems = _entries(po, file)
    obsolete = tuple(_entry(e) for e in po.obsolete if e.context is not None)
    return Translation(
        file=file,
        language=po.language or (named[1] if named else None),
        entries=MappingProxyType(entries),
        obsolete=obsolete,
        diagnostics=tuple(_header_problems(po, text, file) + problems),
    )


def read_translation(path: str | os.PathLike[str], file: str | None = None) -> Translation:
    """Read a PO file from disk; unreadable, oversized or special files become diagnostics."""
    shown = file if file is not None else str(path)
    try:
        raw = read_regular(path, MAX_PO_BYTES)
    except FileRefused as exc:
        message = exc.message
        if exc.code == "NTX002":
            limit = MAX_PO_BYTES // 1048576
            message = _("the translation file is over {limit} MB; the limit is {limit} MB").format(
                limit=limit
            )
        return Translation(shown, None, diagnostics=(make(exc.code, shown, 1, 1, message),))
    return parse_translation(raw, shown)


_UNESCAPE = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}


def _unquote(quoted: str) -> str:
    """A PO string's text: the quotes off, the escapes undone."""
    return ESCAPE.sub(lambda m: _UNESCAPE.get(m.group(1), m.group(1)), quoted[1:-1])


class _Quick:
    """`quick_entries`'s state: the entry being read (its fuzzy flag and string pieces)."""

    def __init__(self) -> None:
        self.fuzzy = False
        self.keyword = ""
        self.parts: dict[str, list[str]] = {}

    def entry(self) -> Entry | None:
        """The entry read so far, once it has a msgctxt, a msgid and a msgstr."""
        if not {"msgctxt", "msgid", "msgstr"} <= self.parts.keys():
            return None
        text = {k: "".join(v) for k, v in self.parts.items()}
        return Entry(text["msgctxt"], text["msgid"], text["msgstr"], fuzzy=self.fuzzy)


def quick_entries(path: str | os.PathLike[str], ids: Iterable[str]) -> dict[str, Entry]:
    """The entries with these ids, read without Babel or the syntax pass, stopping once all are
    found: for showing a few texts in another language (the library lists titles, summaries and
    regions), where reading whole files would cost tens of milliseconds each. A file that
    cannot be read gives nothing: its texts fall back to the base language (`validate` and
    opening the scenario say what is wrong with it)."""
    wanted = set(ids)
    found: dict[str, Entry] = {}
    try:
        text = read_regular(path, MAX_PO_BYTES).decode("utf-8").removeprefix("\ufeff")
    except (FileRefused, UnicodeDecodeError):
        return found
    state = _Quick()
    for raw in [*text.splitlines(), ""]:
        line = raw.strip()
        keyword = KEYWORD.match(line)
        starts = keyword is not None and keyword.group(1) in ("msgctxt", "msgid")
        if not line or line.startswith("#") or (starts and "msgstr" in state.parts):
            done = state.entry()  # a blank line, a comment or a new msgctxt/msgid ends one
            if done is not None and done.id in wanted:
                found[done.id] = done
                if len(found) == len(wanted):
                    break
            if done is not None or not line:
                state = _Quick()
        if line.startswith("#,"):
            state.fuzzy = "fuzzy" in line[2:].replace(",", " ").split()
        if keyword is not None:
            state.keyword = keyword.group(1)
            line = line[keyword.end() :].strip()
        elif not line.startswith('"'):
            state.keyword = ""
        if state.keyword and STRING.fullmatch(line):
            state.parts.setdefault(state.keyword, []).append(_unquote(line))
    return found


# --- writing ------------------------------------------------------------------------------


def _message(entry: Entry) -> Any:
    from babel.messages.catalog import Message

    return Message(
        entry.msgid,
        entry.msgstr,
        flags=("fuzzy",) if entry.fuzzy else (),
        auto_comments=list(entry.notes),
        user_comments=list(entry.comments),
        context=entry.id,
    )


def _with_previous(po: str, entries: Sequence[Entry]) -> str:
    """Insert gettext's `#| msgid "old"` lines before each fuzzy entry's msgctxt.

    Babel can write them, but wraps them like prose, which can split a quoted string across
    lines; these are written as gettext does, one quoted piece per line."""
    from babel.messages.pofile import escape, normalize

    for entry in entries:
        if not (entry.fuzzy and entry.previous_msgid is not None):
            continue
        anchor = f"\nmsgctxt {escape(entry.id)}\n"
        at = po.find(anchor)
        if at < 0:
            continue
        lines = normalize(entry.previous_msgid, width=100).split("\n")
        previous = "".join(
            f"#| msgid {line}\n" if i == 0 else f"#| {line}\n" for i, line in enumerate(lines)
        )
        po = po[: at + 1] + previous + po[at + 1 :]
    return po


def render_translation(
    entries: Sequence[Entry],
    language: str | None,
    obsolete: Sequence[Entry] = (),
    project: str = "nexus-ttx scenario",
    header: str = "",
    translator: Mapping[str, str] | None = None,
) -> bytes:
    """The PO file (a template when `language` is None) for these entries, in this order.
    `header` is the file's opening comment (what the file translates, how to edit it);
    `translator` the header fields a translation's own file already had (`Last-Translator`,
    `Language-Team`, `PO-Revision-Date`), else Babel's placeholders."""
    from io import BytesIO

    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    comment = "\n".join(f"# {line}".rstrip() for line in header.splitlines()) or "#"
    catalog = Catalog(
        locale=language,
        project=project,
        version="1",
        charset="utf-8",
        fuzzy=False,
        header_comment=comment,
        last_translator=(translator or {}).get("Last-Translator"),
        language_team=(translator or {}).get("Language-Team"),
        revision_date=(translator or {}).get("PO-Revision-Date"),
    )
    for entry in entries:
        message = _message(entry)
        catalog[message.id] = message
    for entry in obsolete:
        message = _message(entry)
        catalog.obsolete[(message.id, message.context)] = message
    out = BytesIO()
    write_po(out, catalog, width=100, no_location=True)
    return _with_previous(out.getvalue().decode("utf-8"), entries).encode("utf-8")


def write_translation(path: str | os.PathLike[str], content: bytes) -> None:
    """Write a PO file atomically (a crash never leaves half a translation behind)."""
    target = Path(path)
    fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
