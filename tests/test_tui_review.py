"""Fixes from a hands-on review of the TUI (Pilot, keystrokes as a person types them): the setup
form's radio groups, resume with unread feedback, the library search box, the hint after a
resize, store problems at start, export folders, the room's own path in the debrief."""

from __future__ import annotations

from pathlib import Path

import yaml
from textual.widgets import Input, RadioButton, RadioSet

from engine.store.sqlite import Store
from tests.scenarios.hand import convoy
from tui.app import NexusApp
from tui.launch import Launch, PlaySetup
from tui.play_flow import Phase
from tui.screens.confirm import ConfirmQuitScreen
from tui.screens.library import LibraryScreen
from tui.screens.play import PlayScreen
from tui.screens.setup import SetupScreen


async def settle(pilot) -> None:
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


def scenario_file(tmp_path: Path) -> Path:
    doc = convoy()
    doc["scenes"]["call"]["choices"][2]["feedback"] = "Waiting lets the convoy pass unseen."
    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def lit(screen, group: str) -> list[str]:
    return [
        b.id or "" for b in screen.query_one(f"#{group}", RadioSet).query(RadioButton) if b.value
    ]


async def test_setup_facilitated_with_immediate_feedback_by_keys(tmp_path: Path) -> None:
    """Down, Enter (Facilitated), Tab Tab, Enter on "Right after each choice", Ctrl+S: one
    option lit per group, and the session keeps immediate feedback."""
    store = Store(tmp_path / "s.db")
    app = NexusApp(
        store=store, builtin_library=False, launch=Launch(scenario=scenario_file(tmp_path))
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        setup = app.screen
        assert isinstance(setup, SetupScreen)
        await pilot.press("down", "enter")
        await pilot.pause()
        assert lit(setup, "mode") == ["mode-facilitated"]
        assert lit(setup, "feedback") == ["fb-debrief"]  # the facilitated default
        await pilot.press("tab", "tab", "tab")  # teams, count, feedback
        await pilot.pause()
        assert app.focused is setup.query_one("#feedback")
        await pilot.press("up", "enter")
        await pilot.pause()
        for group in ("mode", "count", "feedback", "order"):
            assert len(lit(setup, group)) == 1, group
        assert lit(setup, "feedback") == ["fb-immediate"]
        await pilot.press("ctrl+s")
        await settle(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        assert play.exercise.options["feedback"] == "immediate"
        assert play.immediate


async def test_resume_shows_the_feedback_not_yet_read(tmp_path: Path) -> None:
    """Solo, immediate feedback: confirm a choice, quit on its outcome screen, resume: the
    feedback comes first, then the next decision."""
    db = tmp_path / "s.db"
    path = scenario_file(tmp_path)
    setup = PlaySetup("solo", ("Solo",), "immediate", None, order="file")
    app = NexusApp(
        store=Store(db), builtin_library=False, launch=Launch(scenario=path, setup=setup)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        play = app.screen
        session_id = play.exercise.session_id
        await pilot.press("enter", "3", "enter")  # briefing, then wait (with its feedback)
        await pilot.pause()
        assert play.phase == Phase.FEEDBACK and "You chose: Wait" in app.screen_text()
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuitScreen)
        await pilot.press("y")
        await pilot.pause()
    again = NexusApp(store=Store(db), builtin_library=False, launch=Launch(session=session_id))
    async with again.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = again.screen
        assert isinstance(screen, PlayScreen)
        assert screen.exercise.scene.id == "border"
        assert screen.phase == Phase.FEEDBACK
        text = again.screen_text()
        assert "You chose: Wait" in text and "convoy pass unseen" in text
        await pilot.press("enter")
        await pilot.pause()
        assert screen.phase == Phase.DECIDE and "Border" in again.screen_text()


def long_scenario(tmp_path: Path) -> Path:
    doc = convoy()
    doc["scenes"]["briefing"]["text"] = "\n\n".join(
        f"Paragraph {i} of the briefing." for i in range(30)
    )
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


async def test_more_text_below_follows_a_resize(tmp_path: Path) -> None:
    setup = PlaySetup("solo", ("Solo",), "immediate", None, order="file")
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=long_scenario(tmp_path), setup=setup),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        assert screen.hint_facts().more_below and "below" in app.screen_text()
        await pilot.resize_terminal(60, 20)
        await settle(pilot)
        assert "below" in app.screen_text()
        await pilot.resize_terminal(160, 80)
        await settle(pilot)
        assert not screen.hint_facts().more_below
        assert "below" not in str(screen.query_one("#hint").render())


async def test_escape_leaves_the_search_box(tmp_path: Path) -> None:
    folder = tmp_path / "library"
    folder.mkdir()
    scenario_file(folder)
    app = NexusApp(store=Store(":memory:"), library_dirs=[folder], builtin_library=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        await pilot.press("slash", *"GP24", "escape", "x")
        await pilot.pause()
        search = screen.query_one("#search", Input)
        assert search.value == ""  # x cleared the search, as the pane says
        assert app.focused is screen.query_one("#scenario-table")
