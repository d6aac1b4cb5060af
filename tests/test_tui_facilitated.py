"""Facilitated play in the TUI (Pilot): three teams recorded by keyboard, the tally revealed,
a tie settled by the facilitator, an override, the facilitator view, per-team scores."""

from __future__ import annotations

import copy
from pathlib import Path

import yaml

from engine.store.sqlite import Store
from engine.toolkit.catalog import load_catalog
from tests.pilot import settle
from tests.scenarios.hand import convoy
from tui.app import NexusApp
from tui.launch import Launch, PlaySetup
from tui.play_flow import Phase
from tui.screens.debrief import DebriefScreen
from tui.screens.play import PlayScreen
from tui.widgets.tally import TeamPanel

TEAMS = ("Table 1", "Table 2", "Table 3")
ROOM = PlaySetup("facilitated", TEAMS, "debrief", None, order="file")


def scenario_file(tmp_path: Path) -> Path:
    doc = copy.deepcopy(convoy())
    call = doc["scenes"]["call"]
    call["discussion"] = ["Who benefits from the convoy's fuel?"]
    call["watch_points"] = ["corruption.3", "recruitment"]
    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


async def start(tmp_path: Path, size=(100, 30)):
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=scenario_file(tmp_path), setup=ROOM),
    )
    return app


async def test_three_teams_tie_settled_by_the_facilitator(tmp_path: Path) -> None:
    app = await start(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        ex = screen.exercise
        await pilot.press("enter")  # the briefing
        await pilot.pause()
        assert screen.phase == Phase.RECORD
        panel = screen.query_one("#teams", TeamPanel)
        assert panel.current == "Table 1"
        # one number per team: the cursor moves on to the next team by itself
        await pilot.press("1", "2", "3")
        await pilot.pause()
        assert dict(ex.session.votes) == {
            "Table 1": "task-force",
            "Table 2": "raid",
            "Table 3": "wait",
        }
        assert not panel.revealed and screen.hint_facts().pending == ()
        text = app.screen_text()
        assert "chosen" in text and "#1" not in text  # recorded, not yet revealed
        await pilot.press("v")
        await pilot.pause()
        assert screen.phase == Phase.REVEALED and panel.revealed
        assert screen.hint_facts().leaders == (1, 2, 3)  # a three-way tie
        text = app.screen_text()
        assert "Tie between 1, 2 and 3" in text
        assert "1 team" in text
        # Enter cannot follow a tie; the facilitator's number settles it
        await pilot.press("enter")
        await pilot.pause()
        assert ex.scene.id == "call"
        await pilot.press("2")  # a tie-break asks for a one-line reason
        await pilot.pause()
        await pilot.press(*"Table 2 argued it best", "enter")
        await pilot.pause()
        last = ex.session.decisions[-1]
        assert (last.choice, last.how, last.reason) == (
            "raid",
            "tie-break",
            "Table 2 argued it best",
        )
        assert ex.path[-1] == "riot"  # trust 50 - 30 = 20 < 30
        await pilot.press("enter")  # the ending -> debrief
        await pilot.pause()
        await settle(pilot)
        assert isinstance(app.screen, DebriefScreen)
        text = app.screen_text()
        scores = ex.scores()
        assert scores["Table 1"].alignment == 100.0
        assert scores["Table 2"].harmful == 1
        assert "Table 1: Alignment 100.00%" in text
        assert "Table 2: Alignment 0.00%" in text
        assert "Table 3: Alignment 0.00%" in text
        assert "By area - Table 3" in text


async def test_majority_follows_and_override(tmp_path: Path) -> None:
    app = await start(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        ex = screen.exercise
        await pilot.press("enter", "3", "3", "1", "v")
        await pilot.pause()
        assert screen.phase == Phase.REVEALED and screen.hint_facts().leaders == (3,)
        assert "The majority chose 3" in app.screen_text()
        # a number that is not the majority is refused without an override
        await pilot.press("1")
        await pilot.pause()
        assert ex.scene.id == "call"
        await pilot.press("enter")
        await pilot.pause()
        assert (ex.session.decisions[-1].choice, ex.session.decisions[-1].how) == (
            "wait",
            "majority",
        )
        # border (trust 60): two teams pick checkpoint, the facilitator overrides
        assert ex.scene.id == "border"
        await pilot.press("2", "2", "2", "o")
        await pilot.pause()
        assert screen.phase == Phase.OVERRIDE
        await pilot.press("1")
        await pilot.pause()
        await pilot.press("enter")  # no reason given: the room still follows
        await pilot.pause()
        last = ex.session.decisions[-1]
        assert (last.choice, last.how) == ("community-watch", "override")
        assert ex.is_over and ex.path[-1] == "calm"
        # each team is scored on its own choices
        scores = ex.scores()
        assert scores["Table 3"].points == 2 and scores["Table 1"].points == 0


async def test_team_cursor_and_correcting_a_team(tmp_path: Path) -> None:
    app = await start(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        ex = screen.exercise
        await pilot.press("enter", "1")  # Table 1 -> 1; cursor on Table 2
        await pilot.press("left_square_bracket", "3")  # back to Table 1: now 3
        await pilot.pause()
        assert ex.session.vote_of("Table 1") == "wait"
        # a reveal with teams missing asks for a second press
        await pilot.press("v")
        await pilot.pause()
        assert screen.phase == Phase.RECORD
        await pilot.press("v")
        await pilot.pause()
        assert screen.phase == Phase.REVEALED
        await pilot.press("v")  # hide it again and go on recording
        await pilot.pause()
        assert screen.phase == Phase.RECORD


async def test_facilitator_view_shows_prompts_and_indicators(tmp_path: Path) -> None:
    app = await start(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("enter")
        await pilot.pause()
        assert "Who benefits" not in app.screen_text()
        await pilot.press("f")
        await pilot.pause()
        text = app.screen_text()
        assert "FACILITATOR VIEW" in text
        assert "Who benefits from the convoy's fuel?" in text
        catalog = load_catalog()
        indicator = catalog.indicator("corruption.3").text
        words = " ".join(indicator.split()[:4])
        assert words in " ".join(text.split())
        assert catalog.watch_point("recruitment").name in text
        await pilot.press("f")
        await pilot.pause()
        assert "Who benefits" not in app.screen_text()
        assert str(screen.query_one("#facilitator-text").render()) == ""


async def test_room_dialog_moves_a_participant_and_corrects_a_vote(tmp_path: Path) -> None:
    from textual.widgets import Input, Select

    from engine.play import events as ev
    from tui.screens.room import RoomScreen

    app = await start(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        ex = screen.exercise
        await pilot.press("enter", "1")  # Table 1 records choice 1
        await pilot.pause()
        ana = ex.join("Ana", "Table 1", "0" * 64)  # as the web server would append it
        ex.vote(ana.id, ex.offered[1].id)
        first = ex.offered[0].id
        recorded = next(e.seq for e in ex.events() if e.kind == ev.CHOICE_MADE)

        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, RoomScreen)
        assert "Ana - Table 1 - " + ex.offered[1].id in str(
            dialog.query_one("#room-roster").render()
        )
        dialog.query_one("#room-what", Select).value = f"p:{ana.id}"
        await pilot.pause()
        dialog.query_one("#room-to", Select).value = "Table 3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen
        moved = ex.events()[-1]
        assert moved.kind == ev.PARTICIPANT_MOVED
        assert moved.data == {"participant": ana.id, "team": "Table 3"}
        assert ex.session.participant(ana.id).team == "Table 3"

        await pilot.press("m")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#room-what", Select).value = f"v:{recorded}"
        await pilot.pause()
        other = ex.offered[2].id
        dialog.query_one("#room-to", Select).value = other
        dialog.query_one("#room-why", Input).value = "mis-keyed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        fixed = ex.events()[-1]
        assert fixed.kind == ev.CORRECTION
        assert fixed.data == {
            "target": recorded,
            "action": "replace",
            "choice": other,
            "text": "mis-keyed",
        }
        assert ex.session.vote_of("Table 1") == other != first
