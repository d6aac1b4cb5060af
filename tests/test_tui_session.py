"""Sessions in the TUI (Pilot): quitting asks first and the session resumes where it was;
the discussion timer runs out with a warning and chooses nothing; notes are stored."""

from __future__ import annotations

from pathlib import Path

import yaml

from engine.store.sqlite import Store
from tests.pilot import settle
from tests.scenarios.hand import convoy
from tui.app import EngineFailed, ExerciseReady, NexusApp
from tui.launch import Launch, PlaySetup
from tui.play_flow import Phase
from tui.screens.confirm import ConfirmQuitScreen
from tui.screens.library import LibraryScreen
from tui.screens.play import PlayScreen
from tui.widgets.timer import CountdownTimer

SOLO = PlaySetup("solo", ("Solo",), "debrief", None, order="file")


def scenario_file(tmp_path: Path) -> Path:
    path = tmp_path / "convoy.yaml"
    path.write_text(yaml.safe_dump(convoy(), sort_keys=False), encoding="utf-8")
    return path


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_quit_asks_and_the_session_resumes_where_it_was(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    path = scenario_file(tmp_path)
    app = NexusApp(store=Store(db), builtin_library=False, launch=Launch(scenario=path, setup=SOLO))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        session_id = play.exercise.session_id
        await pilot.press("enter", "1", "enter")  # briefing, then task-force: at border
        await pilot.pause()
        assert play.exercise.scene.id == "border"
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuitScreen)
        assert "resume" in app.screen_text()
        await pilot.press("n")  # stay
        await pilot.pause()
        assert app.screen is play
        await pilot.press("ctrl+q")  # the app-wide quit asks too
        await pilot.pause()
        assert isinstance(app.screen, ConfirmQuitScreen)
        await pilot.press("y")
        await pilot.pause()
    assert app.return_code == 0

    stored = Store(db)
    info = stored.session(session_id)
    assert info.status == "active" and info.scene == "border"
    again = NexusApp(store=stored, builtin_library=False, launch=Launch(session=session_id[:5]))
    messages: list[object] = []
    async with again.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await settle(pilot)
        # the resume worker folded the session and said so with one typed message
        (ready,) = [m for m in messages if isinstance(m, ExerciseReady)]
        assert ready.exercise.session_id == session_id and ready.exercise.scene.id == "border"
        assert not [m for m in messages if isinstance(m, EngineFailed)]
        screen = again.screen
        assert screen.exercise is ready.exercise
        assert isinstance(screen, PlayScreen)
        assert screen.exercise.session_id == session_id
        assert screen.exercise.scene.id == "border"
        assert screen.phase == Phase.DECIDE
        assert "Border" in again.screen_text()
        await pilot.press("1", "enter")
        await pilot.pause()
        assert screen.exercise.path == ("briefing", "call", "border", "stalemate")


async def test_leaving_to_the_library_lists_the_session_to_resume(tmp_path: Path) -> None:
    path = scenario_file(tmp_path)
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=path, setup=SOLO),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        session_id = app.screen.exercise.session_id
        await pilot.press("enter", "q", "l")
        await settle(pilot)
        library = app.screen
        assert isinstance(library, LibraryScreen)
        await pilot.press("s")
        await settle(pilot)
        text = app.screen_text()
        assert session_id in text and "1 in progress" in text
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.exercise.scene.id == "call"


async def test_a_changed_scenario_is_refused_on_resume(tmp_path: Path) -> None:
    db = tmp_path / "s.db"
    path = scenario_file(tmp_path)
    app = NexusApp(store=Store(db), builtin_library=False, launch=Launch(scenario=path, setup=SOLO))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        session_id = app.screen.exercise.session_id
    doc = convoy()
    doc["title"] = "Convoy, revised"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    again = NexusApp(store=Store(db), builtin_library=False, launch=Launch(session=session_id))
    messages: list[object] = []
    async with again.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await settle(pilot)
        assert isinstance(again.screen, LibraryScreen)
        (failed,) = [m for m in messages if isinstance(m, EngineFailed)]
        assert failed.title == "Scenario changed"
        assert "has changed since this session started" in failed.message
        assert not [m for m in messages if isinstance(m, ExerciseReady)]
        shown = [n.message for n in again._notifications]
        assert failed.message in shown


async def test_timer_runs_out_with_a_warning_and_chooses_nothing(tmp_path: Path) -> None:
    clock = Clock()
    setup = PlaySetup("solo", ("Solo",), "debrief", 90, order="file")
    app = NexusApp(
        store=Store(":memory:"),
        builtin_library=False,
        clock=clock,
        launch=Launch(scenario=scenario_file(tmp_path), setup=setup),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        timer = screen.query_one(CountdownTimer)
        await pilot.press("enter")  # the decision starts the countdown
        await pilot.pause()
        assert timer.running
        assert "Discussion 01:30" in app.screen_text()
        clock.now += 60
        timer.tick()
        await pilot.pause()
        assert "Discussion 00:30" in app.screen_text()
        await pilot.press("p")  # pause: time stands still
        clock.now += 100
        timer.tick()
        await pilot.pause()
        assert "Paused 00:30" in app.screen_text()
        await pilot.press("p")
        clock.now += 31
        timer.tick()
        await pilot.pause()
        text = app.screen_text()
        assert "TIME IS UP" in text
        assert timer.has_class("-expired")
        assert screen.query_one("#hint").has_class("-time-up")
        # nothing was chosen: still at the decision, no vote recorded
        assert screen.exercise.scene.id == "call" and screen.phase == Phase.DECIDE
        assert screen.exercise.session.votes == ()
        # the room decides when it is ready; the next decision restarts the timer
        await pilot.press("3", "enter")
        await pilot.pause()
        assert screen.exercise.scene.id == "border"
        assert timer.running and not timer.has_class("-expired")


async def test_notes_are_stored_with_the_scene(tmp_path: Path) -> None:
    app = NexusApp(
        store=Store(":memory:"),
        builtin_library=False,
        launch=Launch(scenario=scenario_file(tmp_path), setup=SOLO),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("enter", "n")
        await pilot.pause()
        await pilot.press(*"Table 2 argued for a raid")
        await pilot.press("enter")
        await pilot.pause()
        notes = screen.exercise.notes
        assert [(n.scene, n.text) for n in notes] == [("call", "Table 2 argued for a raid")]
        assert app.screen is screen


async def test_the_idle_timer_is_shown_whole_in_a_narrow_side_panel(tmp_path: Path) -> None:
    """At 80 columns the side panel is narrower than « Minuteur 09:00 par décision »: the
    timer wraps instead of losing its last words."""
    from engine.core.i18n import set_language

    set_language("fr")
    try:
        setup = PlaySetup("solo", ("Solo",), "debrief", 540, order="file")
        app = NexusApp(
            store=Store(":memory:"),
            builtin_library=False,
            launch=Launch(scenario=scenario_file(tmp_path), setup=setup),
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            timer = app.screen.query_one(CountdownTimer)
            assert not timer.running
            lines = [timer.render_line(y).text for y in range(timer.size.height)]
            shown = " ".join(" ".join(line.split()) for line in lines)
            assert "Minuteur 09:00 par décision" in shown, lines
    finally:
        set_language("en")
