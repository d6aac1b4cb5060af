"""The toolkit catalog in another language: `scenarios/toolkit.fr.po` keyed by stable ids.

The catalog's French texts come from a PO file beside `toolkit.yaml`; a text is used only while
its msgid is still the English text, so a change in English falls back to English (and `validate`
flags the French as stale) instead of showing an outdated translation.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.load.translation import read_translation
from engine.toolkit.catalog import load_catalog
from engine.toolkit.texts import catalog_texts, localize

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "scenarios" / "toolkit.yaml"
FRENCH = ROOT / "scenarios" / "toolkit.fr.po"
SAME_IN_FRENCH = {"Police", "Corruption", "Alliances", "Transformation"}  # the words are French too


@pytest.fixture(scope="module")
def english():
    return load_catalog()


@pytest.fixture(scope="module")
def french():
    return load_catalog(lang="fr")


def _ids(catalog) -> dict:
    """Everything but the texts: what a translation must never change."""
    texts = set(catalog_texts(catalog).values())

    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items()}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return "<text>" if value in texts else value

    return strip(catalog.to_dict())


def test_every_catalog_text_has_an_id_of_the_contract(english):
    texts = catalog_texts(english)
    for gp in english.good_practices:
        for field in ("title", "short_title", "summary"):
            assert texts[f"practice.{gp.id}.{field}"] == getattr(gp, field)
        for n, actor in enumerate(gp.key_actors):
            assert texts[f"practice.{gp.id}.key_actor.{n}"] == actor
    for ka_id in english.key_action_ids:
        assert texts[f"action.{ka_id}.text"] == english.key_action(ka_id).text
    for ind_id in english.indicator_ids:
        assert texts[f"indicator.{ind_id}.text"] == english.indicator(ind_id).text
    for wp in english.watch_points:
        assert texts[f"watch_point.{wp.id}.description"] == wp.description
    for m in english.manifestations:
        assert texts[f"manifestation.{m.id}.definition"] == m.definition
    for e in english.environments:
        assert texts[f"environment.{e.id}.name"] == e.name
    for a in english.areas:
        assert texts[f"area.{a.id}.name"] == a.name
    assert len(english.key_action_ids) == 105


def test_every_catalog_text_has_a_current_french_translation(english):
    """No missing, empty, fuzzy or stale entry: a change to an English text fails here until
    the French is reviewed (and `validate` warns about it meanwhile)."""
    translation = read_translation(FRENCH)
    assert translation.ok, [d.format_text() for d in translation.diagnostics]
    assert translation.language == "fr"
    texts = catalog_texts(english)
    assert set(translation.entries) == set(texts)
    for field_id, base in texts.items():
        entry = translation.entries[field_id]
        assert entry.msgid == base, f"{field_id}: stale (the English changed)"
        assert entry.msgstr and not entry.fuzzy, f"{field_id}: not translated"
    same = {i for i, base in texts.items() if translation.entries[i].msgstr == base}
    assert {texts[i] for i in same} == SAME_IN_FRENCH, "English text left in the French file"


def test_the_french_catalog_changes_texts_never_ids(english, french):
    assert _ids(french) == _ids(english)
    assert french.all_ids == english.all_ids
    assert french.practice("GP21").title == "Renforcer les capacités d'enquête financière."
    assert french.key_action("GP21.S2").text.endswith("cellules de renseignement financier (CRF).")
    assert french.environment("post-conflict").name == "États en situation de (post-)conflit"
    assert french.practice("GP21").key_actors[3] == "CRF (le cas échéant)"
    assert french.action_group("GP22.A5").title.startswith("Adapter la législation")
    # numbers, standards, examples and URLs are proper names: the same in every language
    assert french.practice("GP21").standards == english.practice("GP21").standards
    assert french.practice("GP21").examples == english.practice("GP21").examples


def test_french_search_finds_french_words_with_or_without_accents(french, english):
    found = french.search("réinsertion")
    assert french.practice("GP17") in found
    assert [i.id for i in french.search("reinsertion")] == [i.id for i in found]
    assert french.search("CELLULES DE RENSEIGNEMENT FINANCIER")[0].id == "GP21.S2"
    assert english.search("réinsertion") == []  # the English catalog is searched in English
    assert french.search("gp21")[0].id == "GP21"  # ids are the same in every language


def _copy_catalog(tmp_path: Path) -> Path:
    shutil.copy(CATALOG, tmp_path / "toolkit.yaml")
    shutil.copy(FRENCH, tmp_path / "toolkit.fr.po")
    return tmp_path / "toolkit.yaml"


def test_a_changed_english_text_falls_back_to_english(tmp_path):
    """Staleness is plain gettext: the French of a text whose English changed is not used."""
    path = _copy_catalog(tmp_path)
    before = "Increase financial investigative capacities."
    after = "Increase financial investigation capacities."
    path.write_text(path.read_text(encoding="utf-8").replace(before, after), encoding="utf-8")
    french = load_catalog(path, lang="fr")
    assert french.practice("GP21").title == after
    assert french.practice("GP21").short_title == "Capacités d'enquête financière"


def test_fuzzy_and_missing_entries_fall_back_per_string(tmp_path):
    path = _copy_catalog(tmp_path)
    po = tmp_path / "toolkit.fr.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace(
        'msgctxt "practice.GP21.title"', '#, fuzzy\nmsgctxt "practice.GP21.title"', 1
    )
    start = text.index('msgctxt "practice.GP21.short_title"')
    end = text.index("\n\n", start)
    po.write_text(text[:start] + text[end + 2 :], encoding="utf-8")
    french = load_catalog(path, lang="fr")
    assert french.practice("GP21").title == "Increase financial investigative capacities."
    assert french.practice("GP21").short_title == "Financial investigation capacity"
    assert french.practice("GP21").summary.startswith("L'enquête financière")


def test_no_translation_file_or_base_language_gives_the_english_catalog(tmp_path, english):
    shutil.copy(CATALOG, tmp_path / "toolkit.yaml")
    assert load_catalog(tmp_path / "toolkit.yaml", lang="fr") == english
    assert load_catalog(lang="en") is english
    assert load_catalog(lang="de") == english  # no toolkit.de.po: English, string by string


@settings(max_examples=25, deadline=None)
@given(st.sets(st.integers(min_value=0, max_value=394), max_size=40), st.text(min_size=1))
def test_localize_replaces_exactly_the_texts_asked_for(english, chosen, marker):
    """Any subset of ids translated: those texts change, every other text and every id stays."""
    ids = list(catalog_texts(english))
    picked = {ids[i] for i in chosen}
    result = localize(english, lambda i, base: marker + base if i in picked else base)
    after = catalog_texts(result)
    assert list(after) == ids
    for field_id, base in catalog_texts(english).items():
        assert after[field_id] == (marker + base if field_id in picked else base)
    assert result.all_ids == english.all_ids
    assert localize(english, lambda i, base: base) == english
