"""The TUI plays a scenario in the interface language's translation (Pilot)."""

from __future__ import annotations

from pathlib import Path

from engine.check.validate import load_scenario
from engine.exercise.exercise import Exercise
from engine.store.sqlite import Store
from tests.conftest import ROOT
from tests.pilot import settle
from tui.app import NexusApp
from tui.launch import Launch, PlaySetup
from tui.play_flow import Phase
from tui.screens.play import PlayScreen

SAHEL = ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"
SOLO = PlaySetup("solo", ("Solo",), "immediate", None, order="file")


async def test_the_sahel_scenario_plays_in_french(tmp_path: Path, french_interface: None) -> None:
    store = Store(tmp_path / "s.db")
    app = NexusApp(store=store, builtin_library=False, launch=Launch(scenario=SAHEL, setup=SOLO))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        exercise = screen.exercise
        assert exercise.language == "fr"
        assert exercise.scenario.language == "en"  # the base language stays the file's
        text = app.screen_text()
        assert "In-Wassadene et le corridor de Kalbouré" in text
        assert "In-Wassadene and the Kalbouré corridor" not in text
        for _ in range(20):
            if screen.phase == Phase.DECIDE:
                break
            await pilot.press("enter")
            await pilot.pause()
        assert screen.phase == Phase.DECIDE
        assert "Que savons-nous vraiment" in app.screen_text()
        session = exercise.session_id
    # the stored session holds ids only: it resumes on the English file as well
    again = Exercise.resume(Store(tmp_path / "s.db"), session, load_scenario(SAHEL))
    assert again.language == "fr"
    assert again.scenario.title == "Gold, Fuel and the Escort"


async def test_the_setup_screen_speaks_french(tmp_path: Path, french_interface: None) -> None:
    """Labels, choices and timers in French; Ctrl+S starts the French session."""
    from tui.screens.setup import SetupScreen

    store = Store(tmp_path / "s.db")
    app = NexusApp(store=store, builtin_library=False, launch=Launch(scenario=SAHEL))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SetupScreen)
        text = app.screen_text()
        for words in ("Qui joue ?", "Individuel - un seul stagiaire", "Lancer (Ctrl+S)"):
            assert words in text, words
        for words in ("Who plays?", "Start (Ctrl+S)", "Discussion timer"):
            assert words not in text, words
        assert screen.title == "Préparation"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.exercise.language == "fr"


def test_the_debrief_decisions_read_in_french(french_interface: None) -> None:
    """The debrief's per-decision lines: who chose what, points, key actions, the room."""
    from tui.screens.debrief import decisions_markdown

    team = {"choice": "a", "text": "Geler", "points": 2, "possible": 5, "harmful": False}
    team |= {"team": "Table 1", "taken": ["GP21.S1"], "missed": ["GP21.S2"], "also": []}
    other = {**team, "team": "Table 2", "choice": None}
    followed = {"choice": "a", "text": "Geler", "how": "override", "points": 2, "possible": 5}
    report = {
        "session": {"teams": ["Table 1", "Table 2"]},
        "decisions": [{"number": 1, "title": "T", "followed": followed, "teams": [team, other]}],
        "key_actions": {"GP21.S1": {"text": "un"}, "GP21.S2": {"text": "deux"}},
    }
    text = decisions_markdown(report)
    assert "Le groupe a retenu **Geler** (décision imposée par l'animateur)." in text
    assert "**Table 1** a choisi *Geler* (2 sur 5)." in text
    assert "Prise : **GP21.S1** un" in text and "Manquée : **GP21.S2** deux" in text
    assert "**Table 2** n'a enregistré aucun choix : 0 sur 5." in text
    assert "chose" not in text and "Taken" not in text and "Missed" not in text
