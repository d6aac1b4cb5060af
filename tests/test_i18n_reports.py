"""Reports in French: a session records the language it was started in and its reports use it
(unless --lang says otherwise), the after-action report and the debrief read in French with
dates and numbers in French conventions, and `run --json` keeps its keys and ids in English."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from engine.core import i18n
from engine.report.aar_html import SECTIONS
from engine.store.sqlite import Store
from engine.toolkit.catalog import load_catalog
from tests.browser import CHROMIUM, print_to_pdf
from tests.conftest import ROOT, run_cli
from tests.scenarios.aar_session import build

FRENCH_MONTHS = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
]
SAHEL = ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"


def _played(folder: Path, language: str) -> tuple[str, str]:
    """A 9-decision, 3-team session started in `language`; (its id, the store)."""
    i18n.set_language(language)
    try:
        with Store(folder / "s.sqlite3") as store:
            ex = build(store, load_catalog(), folder)
            return ex.session_id, str(folder / "s.sqlite3")
    finally:
        i18n.set_language("en")


@pytest.fixture(scope="module")
def french(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return _played(tmp_path_factory.mktemp("fr"), "fr")


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    return _played(tmp_path_factory.mktemp("en"), "en")


def test_a_session_started_in_french_reports_in_french(french: tuple[str, str]) -> None:
    session, db = french
    html = run_cli("report", session, "--format", "aar", env={"NEXUS_TTX_DB": db})
    assert html.returncode == 0, html.stderr
    page = html.stdout
    assert '<html lang="fr">' in page
    assert "Rapport après action et plan d’amélioration" in page
    for title in ("Synthèse", "Chronologie des décisions", "Annexe A\u00a0: plan d’amélioration"):
        assert title in page
    for _key, english_title in SECTIONS:
        assert english_title not in page
    cover_dates = re.search(r"<th>Dates</th><td>(.*?)</td>", page).group(1)
    assert cover_dates.startswith("du ") and any(m in cover_dates for m in FRENCH_MONTHS)
    assert re.search(r"\d+\u00a0%", page)  # 50 % with the French non-breaking space
    assert "Réalisé" in page or "Non évalué" in page
    assert re.search(r"<b>[^<]* non retenues[ \u00a0]:</b>", page)  # the French colon
    assert re.search(r"\d\. «[ \u00a0][^»]+[ \u00a0]»", page)  # decisions named in guillemets
    assert not re.search(r"[?!]\.", page)  # a title's own ? never meets the full stop


def test_lang_overrides_the_sessions_language_and_the_environment_does_not(
    french: tuple[str, str], english: tuple[str, str]
) -> None:
    session, db = french
    asked = run_cli("report", session, "--format", "aar", "--lang", "en", env={"NEXUS_TTX_DB": db})
    assert asked.returncode == 0 and "Executive summary" in asked.stdout
    assert "Synthèse" not in asked.stdout
    session, db = english
    env = {"NEXUS_TTX_DB": db, "NEXUS_TTX_LANG": "fr", "LANG": "fr_FR.UTF-8"}
    kept = run_cli("report", session, "--format", "aar", env=env)
    assert kept.returncode == 0 and "Executive summary" in kept.stdout


def test_french_markdown_reports_have_no_english_headings(french: tuple[str, str]) -> None:
    session, db = french
    aar = run_cli("report", session, "--format", "aar-md", env={"NEXUS_TTX_DB": db})
    assert aar.returncode == 0, aar.stderr
    assert "## Annexe A\u00a0: plan d’amélioration" in aar.stdout
    english = [line for line in aar.stdout.splitlines() if line.startswith("#")]
    for _key, title in SECTIONS:
        assert not any(title in line for line in english), title
    record = run_cli("report", session, "--format", "md", env={"NEXUS_TTX_DB": db})
    assert record.returncode == 0, record.stderr
    for heading in ("## Synthèse", "## Décisions", "## Parcours et dénouement"):
        assert heading in record.stdout
    assert "harmful choice(s)" not in record.stdout
    assert re.search(r"\d+,\d\d\u00a0%", record.stdout)  # 33,33 %


def test_json_keys_and_ids_stay_english(tmp_path: Path) -> None:
    def run(lang: str) -> dict:
        result = run_cli("run", str(SAHEL), "--choices", "", "--json", "--lang", lang, cwd=tmp_path)
        assert result.returncode in (0, 1), result.stderr
        return json.loads(result.stdout)

    english, french = run("en"), run("fr")

    def shape(value: object) -> object:
        if isinstance(value, dict):
            return {k: shape(v) for k, v in value.items()}
        if isinstance(value, list):
            return [shape(v) for v in value]
        return type(value).__name__

    assert shape(french) == shape(english)
    for key in ("session", "team", "path", "stopped_at"):
        assert key in french
    assert french["path"] == english["path"] and french["stopped_at"] == english["stopped_at"]


def test_the_debrief_run_prints_is_french(tmp_path: Path) -> None:
    result = run_cli("run", str(SAHEL), "--choices", "", "--lang", "fr", cwd=tmp_path)
    assert result.returncode == 1  # no choices: stops at the first decision
    assert result.stdout.startswith("Débriefing\u00a0: ")
    assert "Alignement\u00a0: " in result.stdout and "Parcours\u00a0: " in result.stdout
    assert "Debrief:" not in result.stdout and "Alignment:" not in result.stdout


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs /usr/bin/chromium")
def test_the_printed_french_aar_keeps_every_section(french: tuple[str, str], tmp_path: Path):
    """French runs about a fifth longer: printed, every section still starts on a page of its
    own budget and the summary's last line stays on the summary's page."""
    session, db = french
    page = tmp_path / "aar.html"
    made = run_cli("report", session, "--format", "aar", "-o", str(page), env={"NEXUS_TTX_DB": db})
    assert made.returncode == 0, made.stderr
    pdf = tmp_path / "aar.pdf"
    print_to_pdf(page, pdf)
    if not shutil.which("pdftotext"):
        pytest.skip("needs pdftotext")
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")
    assert 3 <= len([p for p in pages if p.strip()]) <= 10
    flat = " ".join(text.split())
    for title in ("Synthèse", "Objectifs et évaluations", "Chronologie des décisions",
                  "Évaluation par les participants", "Points forts et axes d’amélioration"):  # fmt: skip
        assert title in flat, title
    assert "Principaux axes d’amélioration" in pages[1]


def test_the_html_scoring_record_in_french(french: tuple[str, str]) -> None:
    session, db = french
    page = run_cli("report", session, "--format", "html", env={"NEXUS_TTX_DB": db})
    assert page.returncode == 0, page.stderr
    assert "<html lang=fr>" in page.stdout
    for words in ("Présentation de l’exercice", "Synthèse", "Décisions", "Parcours et dénouement"):
        assert words in page.stdout
    for english in (
        "Exercise overview",
        "Executive summary",
        "harmful choice(s)",
        "The room followed",
    ):
        assert english not in page.stdout
