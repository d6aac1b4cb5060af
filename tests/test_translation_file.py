"""The PO reader and writer (engine/load/translation.py): round trips, located errors, no traces."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from engine.load.translation import (
    MAX_PO_BYTES,
    Entry,
    parse_translation,
    read_translation,
    render_translation,
    split_translation_name,
    translation_path,
)

_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\ufeff")
    | st.sampled_from("\n\t\"\\'#"),
    max_size=120,
)
_ids = st.from_regex(r"[a-z]+(\.[a-z0-9-]+){1,3}", fullmatch=True)


@st.composite
def _entries(draw: st.DrawFn) -> list[Entry]:
    ids = draw(st.lists(_ids, unique=True, max_size=8))
    out = []
    for field_id in ids:
        msgid = draw(_text.filter(bool))
        fuzzy = draw(st.booleans())
        out.append(
            Entry(
                field_id,
                msgid,
                draw(_text),
                fuzzy=fuzzy,
                previous_msgid=draw(st.none() | _text.filter(bool)) if fuzzy else None,
                comments=tuple(
                    draw(
                        st.lists(
                            st.from_regex(r"[A-Za-z]([A-Za-z ]*[a-z])?", fullmatch=True),
                            max_size=2,
                            unique=True,
                        )
                    )
                ),
            )
        )
    return out


def _same(a: Entry, b: Entry) -> bool:
    return (a.id, a.msgid, a.msgstr, a.fuzzy, a.previous_msgid, a.comments) == (
        b.id,
        b.msgid,
        b.msgstr,
        b.fuzzy,
        b.previous_msgid,
        b.comments,
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_entries(), _entries())
def test_what_is_written_reads_back_the_same(entries: list[Entry], old: list[Entry]) -> None:
    old = [e for e in old if e.id not in {x.id for x in entries}]
    po = render_translation(entries, "fr", obsolete=old, header="A test file\nsecond line")
    read = parse_translation(po, "x.fr.po")
    assert read.diagnostics == ()
    assert read.language == "fr"
    assert list(read.entries) == [e.id for e in entries]
    for entry in entries:
        got = read.entries[entry.id]
        assert _same(entry, got), (entry, got)
    assert [e.id for e in read.obsolete] == [e.id for e in old]
    assert [e.msgstr for e in read.obsolete] == [e.msgstr for e in old]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_any_bytes_give_diagnostics_never_an_exception(raw: bytes) -> None:
    result = parse_translation(raw, "junk.fr.po")
    for d in result.diagnostics:
        assert d.file == "junk.fr.po" and d.line >= 1 and d.column >= 1
        assert d.code.startswith("NTX5")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                'msgctxt "a"',
                'msgid "x"',
                'msgstr "y"',
                '"z"',
                "#~ ",
                "#, fuzzy",
                "",
                'msgid ""',
                'msgstr[0] ""',
                'msgctxt "a" x',
            ]
        ),
        max_size=12,
    )
)
def test_shuffled_keywords_never_raise(lines: list[str]) -> None:
    parse_translation("\n".join(lines), "x.fr.po")


@pytest.mark.parametrize(
    ("text", "line", "column", "words"),
    [
        ('msgctxt "a"\nmsgid hello\nmsgstr ""\n', 2, 7, "double quotes"),
        ('msgstr "x"\nmsgid "a"\nmsgstr "b"\n', 1, 1, "out of place"),
        ('msgctxt "a"\nmsgid "x"\nmsgstrr "y"\n', 3, 1, "'msgstrr'"),
        ('msgctxt "a"\nmsgid "he\\qllo"\nmsgstr ""\n', 2, 10, "unknown escape"),
        ('msgctxt "a"\nmsgid "x"\n', 3, 1, "ends inside an entry"),
        ('msgctxt "a"\nmsgid "x" y\nmsgstr ""\n', 2, 10, "unexpected text"),
        ('msgctxt "a"\n# note\nmsgid "x"\nmsgstr ""\n', 2, 1, "comment inside an entry"),
        ('msgctxt "a\x00"\nmsgid "x"\nmsgstr "y"\n', 1, 11, "U+0000"),
        ("#-#-#-#-#  a.po  #-#-#-#-#\n", 1, 1, "merge-conflict"),
        ('msgid "x"\nmsgid_plural "xs"\nmsgstr[0] "a"\n', 2, 1, "plural"),
        ('msgid ""\nmsgstr "Plural-Forms: nplurals=x;\\n"\n', 1, 1, "header"),
    ],
)
def test_syntax_errors_are_located(text: str, line: int, column: int, words: str) -> None:
    found = parse_translation(text.encode(), "t.fr.po").diagnostics
    assert [(d.code, d.line, d.column) for d in found][:1] == [("NTX501", line, column)], found
    assert words in found[0].message


def test_latin1_is_located_at_its_byte() -> None:
    (d,) = parse_translation('msgctxt "a"\nmsgid "café"\n'.encode("latin-1"), "t.fr.po").diagnostics
    assert (d.code, d.line, d.column) == ("NTX502", 2, 11)


def test_a_header_in_another_charset_or_language_is_flagged() -> None:
    text = 'msgid ""\nmsgstr ""\n"Language: de\\n"\n"Content-Type: text/plain; charset=ISO-8859-1\\n"\n'
    found = parse_translation(text, "t.fr.po").diagnostics
    assert {(d.code, d.line) for d in found} == {("NTX502", 4), ("NTX509", 3)}


def test_twice_and_without_id() -> None:
    text = 'msgctxt "a"\nmsgid "x"\nmsgstr "y"\n\nmsgctxt "a"\nmsgid "z"\nmsgstr ""\n\nmsgid "q"\nmsgstr "r"\n'
    found = parse_translation(text, "t.fr.po").diagnostics
    assert [(d.code, d.line, d.column) for d in found] == [("NTX506", 9, 7), ("NTX505", 5, 9)]


def test_fuzzy_empty_and_stale_entries_are_not_used() -> None:
    text = (
        'msgctxt "a"\nmsgid "x"\nmsgstr "X"\n\n#, fuzzy\nmsgctxt "b"\nmsgid "y"\nmsgstr "Y"\n\n'
        'msgctxt "c"\nmsgid "z"\nmsgstr ""\n'
    )
    t = parse_translation(text, "t.fr.po")
    assert t.text_for("a", "x") == "X"
    assert t.text_for("a", "x changed") is None  # stale: the base text moved on
    assert t.text_for("b", "y") is None  # fuzzy
    assert t.text_for("c", "z") is None  # empty
    assert t.text_for("d", "w") is None  # absent


def test_files_too_large_or_special_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.fr.po"
    with big.open("wb") as out:
        out.truncate(MAX_PO_BYTES + 1)
    (d,) = read_translation(big).diagnostics
    assert d.code == "NTX002" and "MB" in d.message
    (d,) = read_translation(tmp_path).diagnostics
    assert d.code == "NTX001"


def test_a_large_valid_file_reads_whole(tmp_path: Path) -> None:
    entries = [
        Entry(f"scene.s{i}.text", f"text {i} " * 20, f"texte {i} " * 20) for i in range(5000)
    ]
    path = tmp_path / "many.fr.po"
    path.write_bytes(render_translation(entries, "fr"))
    read = read_translation(path)
    assert read.diagnostics == () and len(read.entries) == 5000


def test_names() -> None:
    assert split_translation_name("a/sahel-gold-and-fuel.fr.po") == ("sahel-gold-and-fuel", "fr")
    assert split_translation_name("x.pt_BR.po") == ("x", "pt_BR")
    assert split_translation_name("toolkit.po") is None
    assert split_translation_name("x.fr.yaml") is None
    assert translation_path("scenarios/x.yaml", "fr") == Path("scenarios/x.fr.po")
