"""The participant pages and the API's messages speak the session's language (`serve --lang`,
or the language the session was started in): the join page, the play page, a refusal, and in
real Chromium the projector page, a vote, the reveal and the feedback form; ids and JSON keys
stay as they are."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from tests.browser import ARGS, CHROMIUM
from tests.conftest import ROOT
from tests.live_server import harbour_file, serve, start_session

SAHEL = ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"


def test_the_pages_and_refusals_are_in_french(tmp_path) -> None:
    db = tmp_path / "s.sqlite3"
    session_id = start_session(db, harbour_file(tmp_path))
    server = serve(db, session_id, "--lang", "fr")
    try:
        status, _head, join = server.request("GET", "/", origin=None)
        assert status == 200
        assert '<html lang="fr">' in join
        assert "Rejoindre l'exercice" in join and "Code de connexion" in join
        assert "Join the exercise" not in join
        refused, _, text = server.request(
            "POST", "/api/join", {"code": "ZZZZZZ", "name": "Ana", "team": "A"}
        )
        assert refused == 403
        assert json.loads(text) == {"error": "Ce code de connexion n'est pas celui de la séance."}
        _pid, token = server.join("Ana", "A")
        status, _, page = server.request("GET", "/", token=token, origin=None)
        assert status == 200
        assert "Actualiser" in page and "Refresh" not in page
    finally:
        server.kill()


ENGLISH = re.compile(
    r"(?<![-\w/])(Join at|online voted|your vote|Voting is closed|Last decision|The room followed|"
    r"teams:|Your feedback|Send feedback|What worked|What to change|Thank you|Refresh|left\))"
)


def _french_sahel(db: Path) -> str:
    """A facilitated Sahel session started in French (two tables, an 8-minute timer,
    immediate feedback), waiting at its first decision."""
    from engine.check.validate import load_scenario
    from engine.core import i18n
    from engine.exercise.exercise import Exercise
    from engine.store.sqlite import Store

    i18n.set_language("fr")
    try:
        with Store(db) as store:
            ex = Exercise.start(
                store, load_scenario(SAHEL, "fr"), scenario_path=str(SAHEL), mode="facilitated",
                teams=("Table 1 (N'Djamena)", "Table 2 (Niamey)"),
                options={"order": "file", "timer": 480, "feedback": "immediate"},
            )  # fmt: skip
            while ex.scene.kind != "decision":
                ex.acknowledge()
            return ex.session_id
    finally:
        i18n.set_language("en")


def _fits(page, width: int) -> None:
    """Nothing wider than the screen: no French sentence runs off the side."""
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert english_on(page) == [], english_on(page)


def english_on(page) -> list[str]:
    return sorted({m.group(0) for m in ENGLISH.finditer(page.inner_text("body"))})


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium")
def test_projector_play_and_feedback_pages_in_french_in_chromium(tmp_path) -> None:
    """A French session served without --lang: the projector, a phone's vote, the reveal, the
    next scene with its feedback, and the feedback form at the end all read in French, at
    390x844 and 1280x800, in a real browser."""
    from playwright.sync_api import sync_playwright

    from engine.check.validate import load_scenario
    from engine.exercise.exercise import Exercise
    from engine.store.sqlite import Store

    db = tmp_path / "s.sqlite3"
    session_id = _french_sahel(db)
    server = serve(db, session_id)
    store = Store(db)
    ex = Exercise.resume(store, session_id, load_scenario(SAHEL, "fr"))
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
            phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
            laptop = browser.new_context(viewport={"width": 1280, "height": 800})
            screen = laptop.new_page()
            screen.goto(server.info["screen"])
            assert screen.get_attribute("html", "lang") == "fr"
            assert "Rejoindre sur" in screen.inner_text(".join-box")
            assert "Que savons-nous vraiment" in screen.inner_text("h1, h2")
            _fits(screen, 1280)

            page = phone.new_page()
            page.goto(server.url)
            page.fill("#code", server.info["code"])
            page.fill("#name", "Aïcha")
            page.check('input[name=team][value="Table 1 (N\'Djamena)"]')
            page.click("button[type=submit]")
            page.wait_for_selector("#choices")
            assert "Temps jusqu'à" in page.inner_text(".timer")
            page.wait_for_selector("#countdown:not([hidden])")
            assert re.search(r"\(reste \d+:\d\d\)", page.inner_text("#countdown"))
            page.click("#choices button >> nth=1")
            page.wait_for_selector("#choices button.mine")
            assert "✓ votre vote" in page.inner_text("#choices button.mine")
            _fits(page, 390)
            screen.wait_for_selector("#voted:has-text('1 sur 1 en ligne ont voté')")

            ex.refresh()
            ex.reveal()
            page.wait_for_selector("text=Le vote est clos")
            screen.wait_for_selector("text=1 vote ; équipes : Table 1 (N'Djamena)")
            _fits(screen, 1280)
            ex.refresh()
            ex.follow()
            page.wait_for_selector("text=Dernière décision : Que savons-nous vraiment")
            last = page.inner_text("section.last")
            assert "La salle a suivi" in last and " — 1 vote ; équipes : " in last
            assert "L'étape 1 de la GP3" in last  # the choice's feedback, in French
            _fits(page, 390)

            while not ex.is_over:
                ex.refresh()
                if ex.scene.kind in ("narrative", "inject"):
                    ex.acknowledge()
                else:
                    ex.follow(ex.offered[0].id, override=True, reason="Pour avancer.")
            page.reload()
            page.wait_for_selector("text=Votre avis")
            form = page.inner_text("form[action='/feedback']")
            assert "Ce qui a fonctionné" in form and "Ce qu’il faudrait changer" in form
            assert "Remonter l'argent de l'or jusqu'aux financiers du réseau." in form
            _fits(page, 390)
            page.locator("input[type=radio]").first.check()
            page.locator("textarea").first.fill("Très utile pour la coordination.")
            page.click("form[action='/feedback'] button[type=submit]")
            page.wait_for_selector("text=Merci : votre avis a été enregistré (anonymement).")
            _fits(page, 390)
            screen.reload()
            assert "la salle a suivi" in screen.inner_text("body")
            assert ".." not in screen.inner_text(".status")
            _fits(screen, 1280)
            browser.close()
    finally:
        server.kill()
        store.close()
