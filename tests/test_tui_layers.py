"""The TUI with role cards, timing profiles, identify drills and on-demand injects (Pilot)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, Select, Static

from engine.play.session import discussion_seconds
from engine.store.sqlite import Store
from tests.pilot import settle
from tui.app import NexusApp
from tui.launch import Launch, PlaySetup
from tui.play_flow import Phase
from tui.screens.injects import InjectPickScreen, InjectShownScreen
from tui.screens.play import PlayScreen
from tui.screens.setup import SetupScreen
from tui.widgets.choices import ChoiceList
from tui.widgets.tally import TeamPanel

LAYERS = Path(__file__).resolve().parent / "fixtures" / "valid" / "layers.yaml"


def _texts(screen: PlayScreen) -> list[str]:
    return list(screen.query_one("#choices", ChoiceList)._texts)


async def test_setup_offers_roles_and_timing(tmp_path: Path) -> None:
    store = Store(":memory:")
    app = NexusApp(store=store, builtin_library=False, launch=Launch(scenario=LAYERS))
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        setup = app.screen
        assert isinstance(setup, SetupScreen)
        assert setup.query_one("#timing", Select).value == "standard"
        setup.query_one("#timing", Select).value = "short"
        setup.query_one("#role", Select).value = "fiu"
        solo = setup.current()
        assert isinstance(solo, PlaySetup)
        assert solo.options["roles"] == {"Solo": "fiu"} and solo.options["timing"] == "short"
        assert solo.timer is None  # no timer chosen: the profile's minutes per decision
        assert discussion_seconds(setup.scenario, solo.options) == 4 * 60
        setup.query_one("#mode-facilitated").value = True
        await settle(pilot)
        teams = setup.query_one("#teams", Input)
        teams.value = "Blue, Red, Green"
        await settle(pilot)
        roles = setup.query_one("#roles", Input)
        assert roles.value == "Blue=police, Red=fiu, Green=police"  # dealt in turn
        roles.value = "Blue=fiu, Red=army"
        assert setup.current() == "Roles: no role 'army' (roles: police, fiu)."
        roles.value = "Blue=fiu, Red=police"
        room = setup.current()
        assert isinstance(room, PlaySetup) and room.options["roles"] == {
            "Blue": "fiu",
            "Red": "police",
        }
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    (info,) = store.sessions()
    first = store.events(info.id)[0]
    assert first.data["options"]["roles"] == {"Blue": "fiu", "Red": "police"}
    assert first.data["options"]["timing"] == "short"


async def test_solo_drill_toggles_and_confirms_then_an_inject(tmp_path: Path) -> None:
    setup = PlaySetup("solo", ("Solo",), "debrief", None, order="file", roles=(("Solo", "fiu"),))
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=LAYERS, setup=setup),
    )
    async with app.run_test(size=(110, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        ex = screen.exercise
        assert screen.phase is Phase.IDENTIFY
        text = screen.query_one("#scene-text").markdown  # the player's own role layer
        assert "Your role: Financial analyst" in text
        assert "Three reports name the same gold buyer." in text
        await pilot.press("1", "4", "2", "4")  # 4 ticked, then unticked
        await settle(pilot)
        assert ex.session.selection_of(ex.scenario, "Solo") == ("gold-levy", "new-recruits")
        assert _texts(screen)[0].startswith("[x]") and _texts(screen)[3].startswith("[ ]")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.phase is Phase.DECIDE and ex.scene.id == "first-call"
        assert (
            "The levy payments go through a money transfer shop."
            in screen.query_one("#scene-text").markdown
        )
        assert "The informants are nervous." not in screen.query_one("#scene-text").markdown
        await pilot.press("i")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, InjectPickScreen)
        assert [i.id for i in picker.injects] == ["press-leak", "minister-calls"]
        await pilot.press("1")
        await settle(pilot)
        assert "trust -10, leaked = 1" in str(picker.query_one("#dialog-text", Static).render())
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, InjectShownScreen)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is screen and ex.scene.id == "first-call"
        assert [f.inject for f in ex.session.fired] == ["press-leak"]
        assert ex.values == {"trust": 40, "leaked": 1}
        assert len(screen.offered) == 2  # 'Brief the press' needs leaked == 0
        assert ex.identification().recall is not None
        await pilot.press("1", "enter")  # task-force
        await settle(pilot)
        await pilot.press("enter")  # the ending: open the debrief
        await settle(pilot)
        summary = str(app.screen.query_one("#debrief-summary", Static).render())
        assert "Alignment 100.00%" in summary
        assert "Identification precision 100.00%, recall 66.67%" in summary
        decisions = app.screen.query_one("#debrief-decisions").markdown
        assert "[x] Gold buyers pay the armed group a levy (correct)" in decisions


async def test_facilitated_drill_per_team_and_private_texts(tmp_path: Path) -> None:
    setup = PlaySetup(
        "facilitated",
        ("Blue", "Red"),
        "debrief",
        None,
        order="file",
        roles=(("Blue", "police"), ("Red", "fiu")),
    )
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=LAYERS, setup=setup),
    )
    async with app.run_test(size=(120, 44)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        ex = screen.exercise
        assert screen.phase is Phase.IDENTIFY
        assert (
            "Only you" not in screen.query_one("#scene-text").markdown
        )  # not on the room's screen
        assert screen.query_one("#teams", TeamPanel).current == "Blue"
        await pilot.press("1", "2")
        await pilot.press("right_square_bracket", "4")
        await settle(pilot)
        assert ex.session.selection_of(ex.scenario, "Blue") == ("gold-levy", "new-recruits")
        assert ex.session.selection_of(ex.scenario, "Red") == ("red-herring",)
        await pilot.press("f")
        await settle(pilot)
        view = str(screen.query_one("#facilitator-text", Static).render())
        assert "Financial analyst (Red): Three reports name the same gold buyer." in view
        assert "correct statements: 1, 2, 3" in view
        await pilot.press("enter")
        await settle(pilot)
        assert ex.scene.id == "first-call" and screen.phase is Phase.RECORD
        view = str(screen.query_one("#facilitator-text", Static).render())
        assert "Counter-terrorism investigator (Blue): The informants are nervous." in view
        assert "Financial analyst (Red): The levy payments" in view
    assert ex.identification("Red").precision == 0.0
    assert ex.identification("Blue").precision == 100.0


def test_play_command_takes_roles_and_a_timing_profile() -> None:
    import argparse

    import pytest

    from cli.commands.play import _setup_from

    room = _setup_from(
        argparse.Namespace(teams="Blue,Red", roles="Blue=police, Red=fiu", timing="long")
    )
    assert room.options["roles"] == {"Blue": "police", "Red": "fiu"}
    assert room.options["timing"] == "long"
    solo = _setup_from(argparse.Namespace(mode="solo", roles="fiu"))
    assert solo.options["roles"] == {"Solo": "fiu"}
    with pytest.raises(ValueError, match="TEAM=ROLE"):
        _setup_from(argparse.Namespace(teams="Blue,Red", roles="Green=fiu"))
