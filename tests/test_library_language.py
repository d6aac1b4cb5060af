"""The library lists scenarios in the interface language: each scenario's title, summary and
region come from its `NAME.LANG.po` where that translates them (per string), read without the
full translation reader (engine.load.translation.quick_entries)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from engine.load.library import discover
from engine.load.translation import Entry, quick_entries, read_translation, render_translation
from tests.conftest import ROOT, run_cli

OK = ROOT / "tests" / "fixtures" / "translations" / "ok"
TEXTS = ("scenario.title", "scenario.summary", "scenario.region")


def by_id(entries: list) -> dict:
    return {e.id: e for e in entries}


def test_the_built_in_library_lists_sahel_in_french_and_falls_back_per_scenario() -> None:
    french = by_id(discover(language="fr")[0])
    english = by_id(discover()[0])
    sahel = french["sahel-gold-and-fuel"]
    assert sahel.title == "L'or, le carburant et l'escorte"
    assert sahel.summary.startswith("À la frontière entre le Mali et le Niger")
    assert english["sahel-gold-and-fuel"].title == "Gold, Fuel and the Escort"
    assert french["prison-cell-west-europe"].region.startswith("Europe de l'Ouest")
    assert sahel.audience[0] == "police des frontières"  # scenario.audience.0
    assert english["sahel-gold-and-fuel"].audience[0] == "border police"
    # ids, paths and everything the filters use besides the three texts are the same
    for sid, entry in english.items():
        assert (french[sid].path, french[sid].good_practices) == (entry.path, entry.good_practices)
    assert by_id(discover(language="de")[0])["sahel-gold-and-fuel"].title == (
        "Gold, Fuel and the Escort"
    )
    speaking = {sid for sid, entry in french.items() if entry.in_language}
    assert speaking == {
        "sahel-gold-and-fuel",
        "prison-cell-west-europe",
        "lake-chad-fish-and-ransom",
        "maghreb-fuel-and-crossings",
    }
    assert all(entry.in_language for entry in english.values())


def _library(tmp_path: Path, po: str) -> Path:
    lib = tmp_path / "lib"
    lib.mkdir(parents=True)
    shutil.copy(OK / "complete.yaml", lib / "complete.yaml")
    (lib / "complete.fr.po").write_text(po, encoding="utf-8")
    return lib


def _entry(lib: Path, language: str | None = "fr"):
    (entry,) = discover([lib], builtin=False, language=language)[0]
    return entry


def test_a_stale_fuzzy_or_empty_string_falls_back_alone(tmp_path: Path) -> None:
    po = (OK / "complete.fr.po").read_text(encoding="utf-8")
    assert _entry(_library(tmp_path / "a", po)).title == "L'or, le carburant et un convoi"
    stale = po.replace('msgid "Gold, Fuel and a Convoy"', 'msgid "Gold, Fuel and the Convoy"')
    entry = _entry(_library(tmp_path / "b", stale))
    assert entry.title == "Gold, Fuel and a Convoy"  # the base text changed since
    assert entry.summary == "Un petit exercice qui utilise chaque partie du format."
    fuzzy = po.replace('msgctxt "scenario.title"', '#, fuzzy\nmsgctxt "scenario.title"')
    assert _entry(_library(tmp_path / "c", fuzzy)).title == "Gold, Fuel and a Convoy"
    empty = po.replace('msgstr "L\'or, le carburant et un convoi"', 'msgstr ""')
    assert _entry(_library(tmp_path / "d", empty)).title == "Gold, Fuel and a Convoy"
    assert _entry(_library(tmp_path / "e", po), language=None).title == "Gold, Fuel and a Convoy"


def test_a_translation_that_cannot_be_read_leaves_the_base_texts(tmp_path: Path) -> None:
    lib = _library(tmp_path, "")
    (lib / "complete.fr.po").write_bytes(
        'msgctxt "scenario.title"\nmsgid "Gold, Fuel and a Convoy"\nmsgstr "Or é"\n'.encode(
            "latin-1"
        )
    )
    assert _entry(lib).title == "Gold, Fuel and a Convoy"
    (lib / "complete.fr.po").unlink()
    (lib / "complete.fr.po").mkdir()  # not a file at all
    assert _entry(lib).title == "Gold, Fuel and a Convoy"


def test_the_quick_reader_agrees_with_the_full_reader_on_every_shipped_translation() -> None:
    for po in sorted((ROOT / "scenarios").glob("*.po")) + sorted(OK.glob("*.po")):
        full = read_translation(po)
        quick = quick_entries(po, full.entries)
        assert {k: (e.msgid, e.msgstr, e.fuzzy) for k, e in quick.items()} == {
            k: (e.msgid, e.msgstr, e.fuzzy) for k, e in full.entries.items()
        }, po


TEXT = st.text(  # what authors write: any printable text, quotes, backslashes, tabs, newlines
    st.characters(categories=("L", "M", "N", "P", "S", "Zs")) | st.sampled_from('\n\t"\\'),
    max_size=200,
)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(TEXTS + ("scene.a.text", "scene.b.title")), TEXT, TEXT, st.booleans()
        ),
        max_size=6,
        unique_by=lambda t: t[0],
    )
)
def test_the_quick_reader_reads_what_the_writer_writes(rows: list) -> None:
    """Any texts (quotes, backslashes, newlines, long lines wrapped by Babel): the quick
    reader finds the same msgid, msgstr and fuzzy flag as Babel's reader."""
    entries = [Entry(i, msgid or "x", msgstr, fuzzy=fuzzy) for i, msgid, msgstr, fuzzy in rows]
    content = render_translation(entries, "fr")
    from engine.load.translation import parse_translation

    full = parse_translation(content, "t.fr.po")
    assert full.ok, full.diagnostics
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "t.fr.po"
        path.write_bytes(content)
        quick = quick_entries(path, [e.id for e in entries])
    assert {k: (e.msgid, e.msgstr, e.fuzzy) for k, e in quick.items()} == {
        k: (e.msgid, e.msgstr, e.fuzzy) for k, e in full.entries.items()
    }


def test_list_in_french_shows_french_titles_under_english_keys() -> None:
    shown = run_cli("--lang", "fr", "list", "--region", "Sahel")
    assert shown.returncode == 0, shown.stderr
    assert "L'or, le carburant et l'escorte" in shown.stdout
    assert "Gold, Fuel and the Escort" not in shown.stdout
    data = json.loads(run_cli("--lang", "fr", "list", "--json", "--region", "Sahel").stdout)
    sahel = next(d for d in data if d["id"] == "sahel-gold-and-fuel")
    assert sahel["title"] == "L'or, le carburant et l'escorte"
    assert set(sahel) >= {"id", "title", "summary", "region", "environment"}
    english = json.loads(run_cli("list", "--json", "--region", "Sahel").stdout)
    assert next(d for d in english if d["id"] == "sahel-gold-and-fuel")["title"] == (
        "Gold, Fuel and the Escort"
    )


def test_what_the_listing_skips_is_said_in_the_interface_language(tmp_path: Path) -> None:
    from engine.core import i18n

    broken = tmp_path / "lib"
    broken.mkdir()
    (broken / "broken.yaml").write_text("format: nexus-ttx/1\nid: zz\ntitle: [unclosed\n")
    i18n.set_language("fr")
    try:
        entries, problems = discover([broken, tmp_path / "nope"], builtin=False)
        kept, _ = discover([broken], builtin=False, keep_broken=True)
    finally:
        i18n.set_language("en")
    assert entries == []
    assert f"{broken / 'broken.yaml'} ignoré : ce n'est pas un scénario valide" in problems[0]
    assert problems[1] == f"{tmp_path / 'nope'} ignoré : ce dossier n'existe pas"
    assert kept[0].problem.startswith("ligne 4 : erreur de syntaxe YAML")
