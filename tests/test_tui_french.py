"""A French-speaking facilitator's whole session in the TUI (Pilot): the library lists Sahel
under its French title, the setup starts a facilitated room of two teams, the room plays to the
ending (a tie settled with a reason, majorities followed, a note), the debrief reads in French
and the after-action report is exported; every notification on the way is French."""

from __future__ import annotations

import re
from pathlib import Path

from engine.core import i18n
from engine.store.sqlite import Store
from tests.conftest import ROOT
from tests.pilot import settle
from tui.app import NexusApp
from tui.play_flow import Phase
from tui.play_text import followed_toast, short_text
from tui.screens.debrief import DebriefScreen
from tui.screens.library import LibraryScreen
from tui.screens.note import NoteScreen
from tui.screens.play import PlayScreen
from tui.screens.setup import SetupScreen

SAHEL = ROOT / "scenarios" / "sahel-gold-and-fuel.yaml"
# words of the English messages that no French one contains (paths are left out first)
ENGLISH = re.compile(
    r"\b(the|and|press|choice|room|not|yet|here|team|report|written|followed|undo|saved|"
    r"with|to|of|is|session|library)\b",
    re.IGNORECASE,
)


def recording(app: NexusApp) -> list[tuple[str, str]]:
    """Keep every notification the app shows (title, message), and show it as before."""
    said: list[tuple[str, str]] = []
    shown = app.notify

    def notify(message, *, title="", severity="information", timeout=None, markup=True):
        said.append((title, str(message)))
        shown(message, title=title, severity=severity, timeout=timeout, markup=markup)

    app.notify = notify  # type: ignore[method-assign]
    return said


def english_in(text: str) -> list[str]:
    words = " ".join(w for w in text.split() if "/" not in w)  # file paths say "report"
    return ENGLISH.findall(words)


async def open_sahel_from_the_library(app: NexusApp, pilot) -> None:
    library = app.screen
    assert isinstance(library, LibraryScreen)
    titles = {e.id: e.title for e in library.entries}
    assert titles["sahel-gold-and-fuel"] == "L'or, le carburant et l'escorte"
    text = app.screen_text()
    for words in ("Bibliothèque de scénarios", "Titre", "Région", "Durée", "Séances (0 en cours)"):
        assert words in text, words
    # the scenarios a French facilitator can run in French come first, and the first is shown
    first = [e.in_language for e in library.shown]
    assert first[0] and first == sorted(first, reverse=True), first
    opening = " ".join(library.shown[0].summary.split()[:8])
    assert opening in " ".join(app.screen_text().split()), opening
    row = next(i for i, e in enumerate(library.shown) if e.id == "sahel-gold-and-fuel")
    library.query_one("#scenario-table").move_cursor(row=row)
    await pilot.pause()
    assert "L'or, le carburant et l'escorte" in app.screen_text()
    assert "Gold, Fuel and the Escort" not in app.screen_text()
    await pilot.press("enter")
    await settle(pilot)


async def start_two_teams(app: NexusApp, pilot) -> PlayScreen:
    setup = app.screen
    assert isinstance(setup, SetupScreen)
    setup.query_one("#mode-facilitated").value = True
    await settle(pilot)
    setup.query_one("#teams").value = "Table 1, Table 2"
    setup.query_one("#order-file").value = True
    await pilot.press("ctrl+s")
    await settle(pilot)
    play = app.screen
    assert isinstance(play, PlayScreen)
    assert play.exercise.teams == ("Table 1", "Table 2") and play.exercise.language == "fr"
    return play


async def settle_a_tie_with_a_reason(app: NexusApp, pilot, play: PlayScreen) -> None:
    """The first decision: a number that is not offered, a reveal with a team missing, a tie
    and the facilitator's pick with a reason, and a note."""
    await pilot.press("9", "1", "v", "2", "v", "enter")  # Table 1 -> 1, Table 2 -> 2: a tie
    await settle(pilot)
    assert play.phase is Phase.REVEALED
    await pilot.press("n")
    await settle(pilot)
    note = app.screen
    assert isinstance(note, NoteScreen)
    await pilot.press(*"Bon échange", "enter")
    await settle(pilot)
    await pilot.press("1")  # settles the tie: the reason first
    await settle(pilot)
    assert isinstance(app.screen, NoteScreen)
    await pilot.press(*"Le parquet doit suivre", "enter")
    await settle(pilot)


async def play_to_the_ending(app: NexusApp, pilot, play: PlayScreen) -> None:
    tied = False
    for _ in range(80):
        phase = play.phase
        if phase is Phase.ENDING:
            break
        if phase is Phase.RECORD and not tied:
            tied = True
            await settle_a_tie_with_a_reason(app, pilot, play)
        elif phase is Phase.RECORD:
            await pilot.press("1", "1", "v", "enter")  # both teams: the majority follows
        else:
            await pilot.press("enter")
        await settle(pilot)
    assert play.phase is Phase.ENDING and tied
    await pilot.press("enter")
    await settle(pilot)


async def test_a_french_facilitator_plays_sahel_with_two_teams(
    tmp_path: Path, french_interface: None
) -> None:
    app = NexusApp(store=Store(tmp_path / "s.db"), export_dir=tmp_path / "rapports")
    said = recording(app)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await open_sahel_from_the_library(app, pilot)
        play = await start_two_teams(app, pilot)
        assert "Équipes" in app.screen_text() and "Situation" in app.screen_text()
        await play_to_the_ending(app, pilot, play)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        text = app.screen_text()
        for words in ("DÉBRIEFING", "L'or, le carburant et l'escorte", "Parcours :"):
            assert words in text, words
        assert "Table 1 : alignement" in text and "Décisions" in text
        await pilot.press("e")
        await settle(pilot)
        assert len(debrief.written) == 3
        ending = play.exercise.scene.title  # the French title of the ending reached
        await pilot.press("l", "s")  # the library's sessions: the scene in French too
        await settle(pilot)
        text = app.screen_text()
        for words in ("Séance", "Libellé", "Équipes", "Scène", "État", "terminée", ending):
            assert words in text, words
        await pilot.press("ctrl+p")
        await settle(pilot)
        text = app.screen_text()
        assert "Chercher une commande…" in text and "Touches" in text and "Keys" not in text
    titles = {title for title, _message in said}
    assert {"Suivi", "Rapport après action écrit"} <= titles
    messages = [message for _title, message in said]
    assert any(m.startswith("Il n'y a pas d'option 9 ici") for m in messages)
    assert any(m.startswith("Pas encore de choix : Table 2.") for m in messages)
    assert any(m.startswith("Égalité : appuyez sur 1 ou 2") for m in messages)
    assert "Note enregistrée avec cette scène." in messages
    assert any("(départage)" in m for m in messages) and any("(majorité)" in m for m in messages)
    for title, message in said:
        assert not english_in(f"{title} {message}"), (title, message)


def test_the_followed_toast_names_the_choice_by_its_first_words(french_interface: None) -> None:
    long = "Ouvrir une information judiciaire et geler les comptes du commerçant sans attendre"
    said = followed_toast(2, long, "majority")
    assert said.startswith("La salle suit l'option 2 : Ouvrir une information judiciaire et geler…")
    assert "commerçant" not in said and "(majorité)" in said
    assert short_text("Geler les avoirs") == "Geler les avoirs"
    assert (
        short_text("Un, deux, trois, quatre, cinq, six, sept")
        == "Un, deux, trois, quatre, cinq, six…"
    )
    i18n.set_language("en")
    assert followed_toast(1, "Wait", "tie-break") == (
        "The room follows choice 1: Wait (tie-break). u undoes it until the room moves on."
    )


def test_a_changed_scenario_is_refused_in_french(french_interface: None) -> None:
    """What the TUI shows under « Scénario modifié » when a session's scenario changed."""
    from engine.play.session import ContentChanged

    said = str(ContentChanged("sahel", "a" * 64, "b" * 64, "sahel.yaml"))
    assert said.startswith("le scénario « sahel » (sahel.yaml) a changé depuis le début")
    assert "aaaaaaaaaaaa alors, bbbbbbbbbbbb maintenant" in said
