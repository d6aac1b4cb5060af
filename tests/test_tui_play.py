"""Solo play in the TUI (Pilot): a built-in scenario to its debrief, the facilitator-only layer,
immediate feedback, breaking scenes, and the store written before the screen moves on."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from engine.check.validate import load_scenario
from engine.exercise.exercise import Exercise
from engine.load.library import discover
from engine.play.scoring import format_alignment
from engine.store.sqlite import Store
from tests.pilot import settle
from tests.scenarios.hand import convoy
from tui.app import NexusApp
from tui.launch import Launch, PlaySetup
from tui.play_flow import Phase
from tui.screens.debrief import DebriefScreen
from tui.screens.play import PlayScreen

SOLO = PlaySetup("solo", ("Solo",), "immediate", None, order="file")
HIDDEN_WORDS = ("recommended", "enacts", "harmful", "feedback", "discussion")


def write(tmp_path: Path, doc: dict, name: str = "convoy.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def convoy_with_secrets() -> dict:
    """The convoy with facilitator-only material whose words must never reach the screen."""
    doc = copy.deepcopy(convoy())
    call = doc["scenes"]["call"]
    call["discussion"] = ["Zebra prompt: who owns the fuel depots?"]
    call["watch_points"] = ["corruption.3", "recruitment"]
    call["choices"][0]["feedback"] = "Quokka feedback: a task force shares what each knows."
    doc["scenes"]["briefing"]["discussion"] = ["Yak prompt: what do you see?"]
    doc["scenes"]["briefing"]["kind"] = "inject"
    return doc


def builtin_scenario() -> Path:
    entries, _ = discover([], builtin=True)
    preferred = [e for e in entries if e.id == "sahel-gold-and-fuel"] or entries
    if not preferred:
        pytest.skip("no built-in scenario in the library")
    return preferred[0].path


async def play_first_choices(pilot, limit: int = 300) -> None:
    """Play on: Enter on narrative scenes and feedback, choice 1 at every decision."""
    app = pilot.app
    for _ in range(limit):
        screen = app.screen
        if isinstance(screen, DebriefScreen):
            return
        assert isinstance(screen, PlayScreen), type(screen)
        if screen.phase == Phase.DECIDE:
            await pilot.press("1", "enter")
        else:
            await pilot.press("enter")
        await pilot.pause()
    raise AssertionError("the scenario did not reach its debrief")


async def test_solo_builtin_scenario_to_debrief_shows_engine_alignment(tmp_path: Path) -> None:
    path = builtin_scenario()
    store = Store(tmp_path / "s.db")
    app = NexusApp(
        store=store,
        builtin_library=False,
        launch=Launch(scenario=path, setup=SOLO),
        export_dir=tmp_path,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        exercise = screen.exercise
        await play_first_choices(pilot)
        await settle(pilot)
        assert exercise.is_over
        text = app.screen_text()
        expected = format_alignment(exercise.score().alignment)
        assert f"Alignment {expected}" in text
        # the same figure from the stored log alone
        again = Exercise.resume(Store(tmp_path / "s.db"), exercise.session_id, load_scenario(path))
        assert format_alignment(again.score().alignment) == expected
        ending = exercise.scenario.scenes[exercise.path[-1]]
        assert f"Ending: {ending.title}" in text

        await pilot.press("e")
        await settle(pilot)
        written = sorted(p.name for p in tmp_path.glob("*-report.*"))
        assert [n.rsplit(".", 1)[1] for n in written] == ["html", "md"]
        assert "Report written:" in app.screen_text()


async def test_participants_never_see_the_facilitator_layer(tmp_path: Path) -> None:
    path = write(tmp_path, convoy_with_secrets())
    app = NexusApp(
        store=Store(":memory:"), builtin_library=False, launch=Launch(scenario=path, setup=SOLO)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, PlayScreen)
        secrets = ["Zebra", "Quokka", "Yak", "GP21.S4", "GP8.S4", "No."]
        for stage in ("inject", "decision", "selected"):
            if stage == "decision":
                await pilot.press("enter")
                await pilot.pause()
            if stage == "selected":
                await pilot.press("2")  # the harmful raid, selected but not confirmed
                await pilot.pause()
            text = app.screen_text()
            lowered = text.casefold()
            for word in HIDDEN_WORDS:
                assert word not in lowered, (stage, word)
            for secret in secrets:
                assert secret not in text, (stage, secret)
            # nothing facilitator-only hides in the widget tree either
            assert str(screen.query_one("#facilitator-text").render()) == ""
        # breaking styling was applied to the inject
        assert screen.phase == Phase.DECIDE


async def test_inject_scenes_look_different(tmp_path: Path) -> None:
    path = write(tmp_path, convoy_with_secrets())
    app = NexusApp(
        store=Store(":memory:"), builtin_library=False, launch=Launch(scenario=path, setup=SOLO)
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        stripe = screen.query_one("#breaking-stripe")
        assert stripe.has_class("-kind-inject") and stripe.display
        assert screen.query_one("#scene-bar").has_class("-kind-inject")
        assert "BREAKING" in app.screen_text()
        await pilot.press("enter")
        await pilot.pause()
        assert not stripe.has_class("-kind-inject")
        assert screen.query_one("#scene-bar").has_class("-kind-decision")


async def test_immediate_feedback_follows_the_confirmed_choice(tmp_path: Path) -> None:
    path = write(tmp_path, convoy_with_secrets())
    app = NexusApp(
        store=Store(":memory:"), builtin_library=False, launch=Launch(scenario=path, setup=SOLO)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("enter", "1")
        await pilot.pause()
        assert "Quokka" not in app.screen_text()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.phase == Phase.FEEDBACK
        text = app.screen_text()
        assert "Quokka feedback" in text
        assert "GP21.S4" in text  # the key actions taken, after the choice
        await pilot.press("enter")
        await pilot.pause()
        assert screen.exercise.scene.id == "border"
        assert "Border" in app.screen_text()


async def test_debrief_feedback_mode_goes_straight_on(tmp_path: Path) -> None:
    path = write(tmp_path, convoy_with_secrets())
    setup = PlaySetup("solo", ("Solo",), "debrief", None, order="file")
    app = NexusApp(
        store=Store(":memory:"), builtin_library=False, launch=Launch(scenario=path, setup=setup)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("enter", "1", "enter")
        await pilot.pause()
        assert app.screen.phase == Phase.DECIDE
        assert "Quokka" not in app.screen_text()


async def test_numbers_count_only_the_choices_offered(tmp_path: Path) -> None:
    """At `border` with trust 45 only `checkpoint` is offered: it is 1, and 2 does nothing."""
    path = write(tmp_path, convoy())
    app = NexusApp(
        store=Store(":memory:"), builtin_library=False, launch=Launch(scenario=path, setup=SOLO)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("enter", "1", "enter", "enter")  # task-force: trust 45
        await pilot.pause()
        assert [c.id for c in screen.offered] == ["checkpoint"]
        await pilot.press("2", "enter")
        await pilot.pause()
        assert screen.exercise.scene.id == "border"  # nothing was chosen
        await pilot.press("1", "enter")
        await pilot.pause()
        assert screen.exercise.path[-1] == "stalemate"


async def test_choice_is_stored_before_the_screen_moves_on(tmp_path: Path) -> None:
    path = write(tmp_path, convoy())
    db = tmp_path / "s.db"
    store = Store(db)
    app = NexusApp(store=store, builtin_library=False, launch=Launch(scenario=path, setup=SOLO))
    seen: list[tuple[str, str]] = []
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        original = store.append

        def watching_append(session_id, kind, data, **kw):
            event = original(session_id, kind, data, **kw)
            # what the room sees at the moment the event is on disk
            seen.append((kind, screen.query_one("#scene-bar").render().plain))
            return event

        store.append = watching_append  # type: ignore[method-assign]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("1", "enter")
        await pilot.pause()
        kinds = [k for k, _ in seen]
        assert kinds == ["scene_entered", "choice_made", "group_followed"]
        # the decision was still on screen when its events were committed
        assert all("First call" in bar for kind, bar in seen if kind != "scene_entered")
        # and another connection reads them back
        other = Store(db)
        stored = [e.kind for e in other.events(screen.exercise.session_id)]
        assert stored[-2:] == ["choice_made", "group_followed"]


async def test_mouse_selects_then_confirms_a_choice(tmp_path: Path) -> None:
    from tui.widgets.choices import ChoiceItem

    path = write(tmp_path, convoy())
    app = NexusApp(
        store=Store(":memory:"), builtin_library=False, launch=Launch(scenario=path, setup=SOLO)
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press("enter")
        await pilot.pause()
        third = list(screen.query(ChoiceItem))[2]
        await pilot.click(third)
        await pilot.pause()
        assert screen.query_one("#choices").selected == 2
        assert screen.exercise.scene.id == "call"  # a first click only selects
        await pilot.click(third)
        await pilot.pause()
        assert screen.exercise.session.decisions[-1].choice == "wait"
