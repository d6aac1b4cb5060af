"""The toolkit catalog in another language: `scenarios/toolkit.fr.po` keyed by stable ids.

The catalog's French texts come from a PO file beside `toolkit.yaml`; a text is used only while
its msgid is still the English text, so a change in English falls back to English (and `validate`
flags the French as stale) instead of showing an outdated translation.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.core.i18n import set_language
from engine.load.translation import read_translation
from engine.toolkit.catalog import load_catalog
from engine.toolkit.texts import catalog_texts, localize
from tests.conftest import run_cli

ROOT = Path(__file__).resolve().parents[1]
CATALOG = ROOT / "scenarios" / "toolkit.yaml"
FRENCH = ROOT / "scenarios" / "toolkit.fr.po"
SAME_IN_FRENCH = {"Police", "Corruption", "Alliances", "Transformation"}  # the words are French too


@pytest.fixture(scope="module")
def english():
    return load_catalog(lang="en")


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


# --------------------------------------------------------------------------- as people use it


def test_toolkit_command_in_french(tmp_path):
    """`nexus-ttx toolkit GP21 --lang fr` from an unrelated folder: the practice in French,
    ids and URLs as they are."""
    proc = run_cli("toolkit", "GP21", "--lang", "fr", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    out = " ".join(proc.stdout.split())
    assert "GP21 Renforcer les capacités d'enquête financière." in out
    assert "cellules de renseignement financier (CRF)" in out
    assert "Police financière" in out
    assert "Renforcement des capacités et application de la loi" in out
    assert all(f"GP21.S{k}" in out for k in range(1, 8))
    assert "http://www.unicri.it/topics/asset_recovery/" in out
    assert "Increase financial investigative capacities" not in out
    for heading in ("Actions clés", "Acteurs clés", "Normes et documents internationaux"):
        assert heading in out
    step = run_cli("toolkit", "GP22.A5.S1", "--lang", "fr", cwd=tmp_path).stdout
    assert step.startswith("GP22.A5.S1  action clé (étape 1 de l'action 5 de la GP22)")
    english = run_cli("toolkit", "GP21", cwd=tmp_path, env={"LANG": "C"})
    assert "GP21  Increase financial investigative capacities." in english.stdout


def test_toolkit_command_searches_french_words(tmp_path):
    proc = run_cli("--lang", "fr", "toolkit", "lanceurs", "d'alerte", "--json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    found = {item["id"]: item for item in json.loads(proc.stdout)}
    assert {"GP1.S2", "GP13.S3"} <= set(found)
    assert found["GP13.S3"]["kind"] == "key_action"  # JSON keys and kinds stay English
    assert "lanceurs d'alerte" in found["GP13.S3"]["text"]


@pytest.fixture
def in_french():
    set_language("fr")
    try:
        yield
    finally:
        set_language("en")


async def test_tui_toolkit_browser_in_french(in_french):
    """The toolkit browser (Pilot) in a French session: French texts, French search."""
    from engine.store.sqlite import Store
    from tui.app import NexusApp
    from tui.screens.toolkit import ToolkitScreen

    app = NexusApp(store=Store(":memory:"), builtin_library=False)
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ToolkitScreen)
        await pilot.press("slash", *"reinsertion", "enter")  # typed without the accent
        await pilot.pause()
        ids = [item.id for item in screen.results]
        assert "GP17" in ids and "GP17.A1.S2" in ids
        screen.query_one("#toolkit-search").value = "GP21"
        await pilot.pause()
        assert screen.shown is not None and screen.shown.id == "GP21"
        text = " ".join(app.screen_text().split())
        assert "Renforcer les capacités d'enquête financière." in text
        assert "cellules de renseignement financier (CRF)" in text
        assert "Increase financial investigative capacities" not in text


def test_toolkit_overview_and_search_lines_in_french(tmp_path):
    """The counts sentence and the search results agree in number, in French."""
    overview = run_cli("--lang", "fr", "toolkit", cwd=tmp_path)
    assert overview.returncode == 0, overview.stderr
    out = " ".join(overview.stdout.split())
    assert "25 bonnes pratiques en 4 domaines, 105 actions clés, 11 points de vigilance" in out
    assert "(35 indicateurs), 6 manifestations, 3 environnements." in out
    assert "Points de vigilance (identifiants des facteurs" in out and "Environnementaux" in out
    assert "good practice" not in out and "Watch points" not in out
    found = run_cli("--lang", "fr", "toolkit", "prison", cwd=tmp_path).stdout
    first = found.splitlines()[0]
    assert first.endswith("résultats pour 'prison' :"), first
    assert "action clé" in found and "key action" not in found
    missing = run_cli("--lang", "fr", "toolkit", "xyzzyq", cwd=tmp_path)
    assert missing.returncode == 1
    assert "rien dans la boîte à outils ne correspond à 'xyzzyq'" in missing.stderr
