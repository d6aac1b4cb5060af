"""The evaluation screens in the running app (Pilot): an observation from the play screen, the
feedback form and the improvement-plan editor from the debrief; objectives at setup; a snapshot
of each new screen."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml
from textual.widgets import DataTable, Input, Select

from engine.store.sqlite import Store
from tests.pilot import settle_quiet as settle
from tests.scenarios.hand import convoy
from tui.app import NexusApp
from tui.launch import Launch, PlaySetup
from tui.screens.debrief import DebriefScreen
from tui.screens.feedback import FeedbackScreen
from tui.screens.observe import ObservationScreen
from tui.screens.plan import PlanItemScreen, PlanScreen

TEAMS = ("Table 1", "Table 2")
OBJECTIVES = [
    {"id": "money", "text": "Follow the money with the FIU.", "practices": ["GP21", "GP8"]},
    {"id": "border", "text": "Secure the border with the community.", "practices": ["GP25"]},
]


def scenario_file(tmp_path: Path) -> Path:
    doc = copy.deepcopy(convoy())
    doc["good_practices"] = ["GP21", "GP8", "GP25", "GP13"]
    doc["objectives"] = OBJECTIVES
    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def app_for(tmp_path: Path, setup: PlaySetup | None, store: Store | None = None) -> NexusApp:
    return NexusApp(
        store=store or Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=scenario_file(tmp_path), setup=setup),
    )


async def finish_solo(pilot) -> None:
    await settle(pilot)
    await pilot.press("enter", "1", "enter", "1", "enter", "enter")
    await settle(pilot)


async def test_objectives_are_shown_at_setup(tmp_path: Path) -> None:
    app = app_for(tmp_path, None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        text = app.screen_text()
        assert "Objectives" in text and "Follow the money with the FIU." in text


async def test_observation_from_the_play_screen(tmp_path: Path) -> None:
    app = app_for(tmp_path, PlaySetup("facilitated", TEAMS, "debrief", None, order="file"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        play = app.screen
        await pilot.press("enter", "w")  # past the briefing, then observe
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ObservationScreen)
        await pilot.press("enter")  # nothing written yet: refused, dialog stays
        await pilot.pause()
        assert app.screen is dialog and "Write what you observed" in app.screen_text()
        await pilot.press(*"Table 2 <b>ignored</b> the FIU")
        dialog.query_one("#obs-rating", Select).value = "M"
        dialog.query_one("#obs-team", Select).value = "Table 2"
        dialog.query_one("#obs-objective", Select).value = "money"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is play
        (obs,) = play.exercise.session.observations
        assert obs.text == "Table 2 <b>ignored</b> the FIU" and obs.rating == "M"
        assert (obs.team, obs.objective, obs.scene) == ("Table 2", "money", "call")
        await pilot.press("w", "escape")  # Esc records nothing
        await pilot.pause()
        assert app.screen is play and len(play.exercise.session.observations) == 1


async def test_feedback_form_for_each_team_at_the_debrief(tmp_path: Path) -> None:
    app = app_for(tmp_path, PlaySetup("facilitated", TEAMS, "debrief", None, order="file"))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        ex = app.screen.exercise
        await pilot.press("enter", "1", "1", "v", "enter")
        await settle(pilot)
        await pilot.press("1", "1", "v", "enter")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen), app.screen
        await pilot.press("f")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, FeedbackScreen) and form.who == "Table 1"
        form.query_one("#fb-rating-0", Select).value = 4
        form.query_one("#fb-worked", Input).focus()
        await pilot.press(*"Real pressure", "enter", *"More time", "enter")
        await settle(pilot)
        second = app.screen
        assert isinstance(second, FeedbackScreen) and second.who == "Table 2"
        await pilot.press("escape")  # a team may skip
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        (given,) = ex.session.feedback
        assert given.team == "Table 1" and given.ratings == (("money", 4),)
        assert (given.worked, given.change, given.participant) == (
            "Real pressure",
            "More time",
            None,
        )


async def test_plan_editor_drafts_edits_and_removes(tmp_path: Path) -> None:
    app = app_for(tmp_path, PlaySetup("solo", ("Solo",), "debrief", None, order="file"))
    async with app.run_test(size=(110, 32)) as pilot:
        await finish_solo(pilot)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        ex = debrief.exercise
        ex.add_observation("No one asked for the FIU.", rating="U", practice="GP21")
        await pilot.press("i")
        await settle(pilot)
        plan = app.screen
        assert isinstance(plan, PlanScreen)
        await pilot.press("r")
        await settle(pilot)
        items = ex.session.plan
        assert items and items[0].source.startswith("observation:")
        assert plan.query_one(DataTable).row_count == len(items)
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, PlanItemScreen)
        form.query_one("#item-organisation", Input).value = "Ministry of Justice"
        form.query_one("#item-start", Input).value = "2026-02-01"
        form.query_one("#item-completion", Input).value = "2026-01-01"  # before the start
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ex.session.plan[0].organisation == ""  # refused: nothing changed
        await pilot.press("e")
        await pilot.pause()
        app.screen.query_one("#item-organisation", Input).value = "Ministry of Justice"
        app.screen.query_one("#item-completion", Input).value = "2026-06-30"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert ex.session.plan[0].organisation == "Ministry of Justice"
        assert ex.session.plan[0].completion == "2026-06-30"
        count = len(ex.session.plan)
        await pilot.press("d")
        await settle(pilot)
        assert len(ex.session.plan) == count - 1
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*"[red]Press line[/]", "ctrl+s")
        await settle(pilot)
        assert ex.session.plan[-1].issue == "[red]Press line[/]"
        assert "[red]Press line[/]" in app.screen_text()  # shown as typed, never as markup
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is debrief


def test_observation_snapshot(snap_compare, tmp_path: Path) -> None:
    app = app_for(
        tmp_path, PlaySetup("facilitated", TEAMS, "debrief", None, order="file"), Store(":memory:")
    )

    async def observe(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter", "w")
        await pilot.pause()
        pilot.app.screen.query_one("#obs-text", Input).cursor_blink = False  # deterministic
        await pilot.press(*"Table 2 skipped the FIU")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=observe)


def test_feedback_snapshot(snap_compare, tmp_path: Path) -> None:
    app = app_for(
        tmp_path, PlaySetup("solo", ("Solo",), "debrief", None, order="file"), Store(":memory:")
    )

    async def feedback(pilot) -> None:
        await finish_solo(pilot)
        await pilot.press("f")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=feedback)


def test_plan_snapshot(snap_compare, tmp_path: Path) -> None:
    app = app_for(
        tmp_path, PlaySetup("solo", ("Solo",), "debrief", None, order="file"), Store(":memory:")
    )

    async def plan(pilot) -> None:
        await finish_solo(pilot)
        await pilot.press("i", "r")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(100, 30), run_before=plan)
