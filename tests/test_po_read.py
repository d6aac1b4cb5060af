"""The one-pass PO reader (engine/load/po_read.py) reads what Babel's `read_po` reads, on every
file Babel's `write_po` writes: entries, translations, flags, comments, previous msgids,
obsolete entries and the header's language and charset. Validation reads translations with it
alone, so the two must never drift; the writer stays Babel's."""

from __future__ import annotations

import os
import subprocess
import sys
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po, write_po
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.load.po_read import PoEntry, scan_po
from engine.load.translation import parse_translation

ROOT = Path(__file__).resolve().parent.parent

# What a PO string may hold: anything but the control characters Babel writes unescaped.
_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"))
    | st.sampled_from("\n\t\r\"\\'#%{}: \u2068\u2069"),
    max_size=90,
)
_comment = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\x85"
    ),
    max_size=30,
)
_flags = st.lists(st.sampled_from(["fuzzy", "python-format", "no-wrap", "c-format"]), max_size=3)
_location = st.tuples(
    st.sampled_from(["a.yaml", "dir/b c.yaml", "x"]), st.none() | st.integers(1, 999)
)


@st.composite
def _message(draw: st.DrawFn) -> Message:
    return Message(
        draw(_text.filter(bool)),  # an empty msgid is the header
        draw(_text),
        locations=draw(st.lists(_location, max_size=2)),
        flags=draw(_flags),
        auto_comments=draw(st.lists(_comment, max_size=2)),
        user_comments=draw(st.lists(_comment, max_size=2)),
        previous_id=draw(st.none() | _text.filter(bool)),
        context=draw(st.none() | _text),
    )


@st.composite
def _catalogs(draw: st.DrawFn) -> tuple[Catalog, dict[str, Any]]:
    catalog = Catalog(
        locale=draw(st.none() | st.sampled_from(["fr", "pt_BR", "ar", "de_CH"])),
        charset="utf-8",
        fuzzy=draw(st.booleans()),
    )
    for message in draw(st.lists(_message(), max_size=8)):
        catalog[message.id] = message
    for message in draw(st.lists(_message(), max_size=3)):
        catalog.obsolete[catalog._key_for(message.id, message.context)] = message
    options = {
        "width": draw(st.sampled_from([76, 100, 20, 0])),
        "no_location": draw(st.booleans()),
        "omit_header": draw(st.booleans()),
        "include_previous": draw(st.booleans()),
        "sort_output": draw(st.booleans()),
    }
    return catalog, options


# Flags Babel sets or clears from the msgid's own text, whatever the file says (nothing here
# reads them).
_GUESSED = {"python-format", "python-brace-format"}


def _babel(message: Message) -> tuple[Any, ...]:
    return (
        message.context,
        message.id,
        message.string or "",
        message.fuzzy,
        sorted(message.flags - _GUESSED),
        list(message.user_comments),
        list(message.auto_comments),
    )


def _ours(entry: PoEntry) -> tuple[Any, ...]:
    return (
        entry.context,
        entry.msgid,
        entry.msgstr,
        entry.fuzzy,
        sorted(set(entry.flags) - _GUESSED),
        list(entry.user_comments),
        list(entry.auto_comments),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_catalogs())
def test_the_reader_reads_what_babel_reads(written: tuple[Catalog, dict[str, Any]]) -> None:
    catalog, options = written
    out = BytesIO()
    write_po(out, catalog, **options)
    text = out.getvalue().decode("utf-8")
    babel = read_po(text.split("\n"), abort_invalid=True, charset="utf-8")
    ours = scan_po(text, "t.po")
    assert ours.problems == []
    assert [_ours(e) for e in ours.entries] == [_babel(m) for m in babel if m.id]
    assert [_ours(e) for e in ours.obsolete] == [_babel(m) for m in babel.obsolete.values()]
    assert ours.language == babel.locale_identifier
    assert ours.charset == babel.charset


@st.composite
def _blocks(draw: st.DrawFn) -> str:
    """A file of entries from small pools (so the same msgctxt and msgid come back), with
    comments before them, some obsolete, some header entries, some lines continued."""
    lines: list[str] = []
    for _ in range(draw(st.integers(0, 8))):
        lines += draw(
            st.lists(
                st.sampled_from(
                    [
                        "#, fuzzy",
                        "#, c-format",
                        "# note",
                        "# other",
                        "#. auto",
                        '#| msgid "old"',
                        "#: a.yaml:3",
                        "",
                    ]
                ),
                max_size=3,
            )
        )
        prefix = "#~ " if draw(st.integers(0, 4)) == 0 else ""
        context = draw(st.sampled_from([None, '"a"', '"b"', '""']))
        if context is not None:
            lines.append(f"{prefix}msgctxt {context}")
        msgid = draw(st.sampled_from(['"x"', '"y"', '""']))
        lines.append(f"{prefix}msgid {msgid}")
        if draw(st.booleans()):
            lines.append(f'{prefix}"more"')
        value = draw(st.sampled_from(['"X"', '""', '"Language: fr\\n"', '"Language: de\\n"']))
        lines.append(f"{prefix}msgstr {value}")
        if draw(st.booleans()):
            lines.append(f'{prefix}"Content-Type: text/plain; charset=latin-1\\n"')
    return "\n".join(lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_blocks())
def test_hand_written_files_read_as_babel_reads_them(text: str) -> None:
    """Duplicates merged (the first translation kept), obsolete entries, several headers:
    read alike."""
    ours = scan_po(text, "t.po")
    assert ours.problems == []
    babel = read_po(text.split("\n"), abort_invalid=True, charset="utf-8")
    assert [_ours(e) for e in ours.entries] == [_babel(m) for m in babel if m.id]
    assert [_ours(e) for e in ours.obsolete] == [_babel(m) for m in babel.obsolete.values()]
    assert ours.language == babel.locale_identifier
    assert ours.charset == babel.charset


def test_babel_refuses_what_the_reader_refuses_too() -> None:
    """Lines Babel cannot read are NTX501 here, at their line, before any entry is used."""
    for text, line in [
        ('msgid"x"\nmsgstr "y"\n', 1),  # no space after the keyword
        ('msgid "x"\nmsgstr "y"\n# note\n"z"\n', 4),  # a string after a comment continues nothing
        ('#- not a comment\nmsgid "x"\nmsgstr "y"\n', 1),
        ('#: \u2068a.yaml\nmsgid "x"\nmsgstr "y"\n', 1),
    ]:
        found = parse_translation(text, "t.fr.po").diagnostics
        assert [(d.code, d.line) for d in found][:1] == [("NTX501", line)], (text, found)


def test_a_header_babel_cannot_take_is_refused() -> None:
    text = 'msgid ""\nmsgstr ""\n"POT-Creation-Date: yesterday\\n"\n'
    (d,) = parse_translation(text, "t.fr.po").diagnostics
    assert (d.code, d.line) == ("NTX501", 1) and "header" in d.message


def test_validating_a_translation_does_not_import_babel() -> None:
    code = (
        "import sys\n"
        "from engine.check.translations import check_translation_file\n"
        "from pathlib import Path\n"
        "check_translation_file(Path('scenarios/sahel-gold-and-fuel.fr.po'))\n"
        "print(sorted(m for m in sys.modules if m == 'babel' or m.startswith('babel.')))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "[]"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet="0123456789-: +\tTa", max_size=24)
    | st.builds(
        "{}-{}-{} {}:{}{}".format,
        st.integers(0, 10000),
        st.integers(0, 13),
        st.integers(0, 32),
        st.integers(0, 25),
        st.integers(0, 61),
        st.sampled_from(["", "+0200", "-0130", " ", "x"]),
    )
)
def test_header_dates_are_refused_as_babel_refuses_them(value: str) -> None:
    from babel.messages.catalog import _parse_datetime_header

    from engine.load.po_read import _check_date

    try:
        _parse_datetime_header(value)
        babel = None
    except ValueError as exc:
        babel = str(exc)
    try:
        _check_date(value)
        ours = None
    except ValueError as exc:
        ours = str(exc)
    assert ours == babel
