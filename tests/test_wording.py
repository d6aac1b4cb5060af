"""Wording from a hands-on review (Pilot): no doubled punctuation after texts others wrote, no
empty bar for an area where nothing could be earned, scene titles (not ids) in the Sessions tab."""

from __future__ import annotations

from pathlib import Path

import yaml

from engine.core.model import scenario_from_dict
from engine.core.wording import sentence
from engine.exercise.exercise import Exercise
from engine.store.sqlite import Store
from tests.pilot import settle
from tests.scenarios.hand import convoy
from tui.app import NexusApp
from tui.launch import Launch, PlaySetup
from tui.screens.debrief import DebriefScreen
from tui.screens.note import NoteScreen

SOLO = PlaySetup("solo", ("Solo",), "debrief", None, order="file")


def test_sentence_closes_a_text_once() -> None:
    assert sentence("One file or six?") == "One file or six?"
    assert sentence("Ask for mutual legal assistance.") == "Ask for mutual legal assistance."
    assert sentence("Border") == "Border."
    assert sentence("Wait…") == "Wait…"


def _scenario(tmp_path: Path) -> Path:
    doc = convoy()
    doc["scenes"]["call"]["title"] = "One file or six?"
    doc["scenes"]["call"]["choices"][1]["text"] = "Raid the market and stop the visits."
    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


async def test_note_dialog_does_not_double_the_question_mark(tmp_path: Path) -> None:
    app = NexusApp(store=Store(":memory:"), builtin_library=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.push_screen(NoteScreen("One file or six?"))
        await pilot.pause()
        text = app.screen_text()
        assert "On: One file or six? Enter saves it" in text
        assert "?." not in text


async def test_debrief_wording_and_no_empty_area_bars(tmp_path: Path) -> None:
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=_scenario(tmp_path), setup=SOLO),
    )
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "2", "enter")  # the briefing, then the raid: an ending
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        decisions = debrief.query_one("#debrief-decisions").markdown
        assert "*Raid the market and stop the visits.* (0 of 2" in decisions
        assert ".*:" not in decisions
        bars = " ".join(str(w.render()) for w in debrief.query(".area-bars"))
        bars += app.screen_text()
        assert "n/a" not in bars and "0/0" not in bars


async def test_sessions_tab_shows_the_scene_title(tmp_path: Path) -> None:
    path = _scenario(tmp_path)
    db = tmp_path / "s.db"
    with Store(db) as store:
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        ex = Exercise.start(
            store, scenario_from_dict(doc), scenario_path=str(path), teams=("Solo",)
        )
        ex.acknowledge()  # now at 'call', titled "One file or six?"
    app = NexusApp(store=Store(db), builtin_library=False)
    async with app.run_test(size=(160, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        table = app.screen.query_one("#session-table")
        column = [c.key.value for c in table.columns.values()].index("scene")
        assert str(table.get_row_at(0)[column]) == "One file or six?"
