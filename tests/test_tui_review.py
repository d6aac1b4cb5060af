"""Fixes from a hands-on review of the TUI (Pilot, keystrokes as a person types them): the setup
form's radio groups, resume with unread feedback, the library search box, the hint after a
resize, store problems at start, export folders, the room's own path in the debrief."""

from __future__ import annotations

import json
from pathlib import Path

import platformdirs
import pytest
import yaml
from textual.widgets import Input, RadioButton, RadioSet

from engine.store.sqlite import Store
from tests.pilot import settle
from tests.scenarios.hand import convoy
from tui.app import NexusApp
from tui.launch import Launch, PlaySetup
from tui.play_flow import Phase
from tui.screens.confirm import ConfirmQuitScreen
from tui.screens.debrief import DebriefScreen
from tui.screens.folder import FolderScreen
from tui.screens.library import LibraryScreen
from tui.screens.play import PlayScreen
from tui.screens.setup import SetupScreen

DEBRIEF_SOLO = PlaySetup("solo", ("Solo",), "debrief", None, order="file")


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


async def test_a_bad_store_is_named_when_the_app_opens(tmp_path: Path) -> None:
    """--db on a text file: said at once, with what to do; no setup form that cannot save."""
    folder = tmp_path / "library"
    folder.mkdir()
    scenario_file(folder)
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n", encoding="utf-8")
    app = NexusApp(store_path=text, library_dirs=[folder], builtin_library=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert app.store_problem is not None
        assert str(text) in app.store_problem and "--db" in app.store_problem
        (said,) = [n for n in app._notifications if n.title == "Session store"]
        assert said.message == app.store_problem and said.severity == "error"
        assert "unavailable" in str(app.screen.query_one("#tab-strip").render())
        await pilot.press("enter")  # the scenario: refused before the setup form
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
    assert text.read_text(encoding="utf-8") == "not a database\n"  # untouched


async def test_a_bad_store_stops_a_launch_before_setup(tmp_path: Path) -> None:
    text = tmp_path / "notes.txt"
    text.write_text("not a database\n", encoding="utf-8")
    app = NexusApp(
        store_path=text, builtin_library=False, launch=Launch(scenario=scenario_file(tmp_path))
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        assert not isinstance(app.screen, SetupScreen)
        said = [n for n in app._notifications if n.title == "Session store"]
        assert said and "not a nexus-ttx session store" in said[0].message


async def to_debrief(pilot) -> DebriefScreen:
    """Solo, feedback at the debrief: the briefing, the raid (an ending), the debrief."""
    await settle(pilot)
    await pilot.press("enter", "2", "enter")
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, DebriefScreen)
    return screen


async def test_export_defaults_to_the_documents_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "home" / ".config"))
    monkeypatch.delenv("XDG_DOCUMENTS_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=scenario_file(tmp_path), setup=DEBRIEF_SOLO),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        debrief = await to_debrief(pilot)
        await pilot.press("e")
        await settle(pilot)
        folder = Path(platformdirs.user_documents_dir()) / "nexus-ttx"
        assert folder.is_relative_to(tmp_path / "home")
        assert debrief.written and all(p.parent == folder.resolve() for p in debrief.written)
        assert not list(tmp_path.glob("*report*"))  # not the working directory
        status = " ".join(str(debrief.query_one("#export-status").render()).split())
        assert str(debrief.written[0]) in status  # the full path


async def test_a_failed_export_offers_another_folder(tmp_path: Path) -> None:
    blocked = tmp_path / "a-file"
    blocked.write_text("x", encoding="utf-8")
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=scenario_file(tmp_path), setup=DEBRIEF_SOLO),
        export_dir=blocked / "reports",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        debrief = await to_debrief(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert not debrief.written
        dialog = app.screen
        assert isinstance(dialog, FolderScreen)  # another place, at once
        field = dialog.query_one(Input)
        assert field.value == str(blocked / "reports")
        field.value = str(tmp_path / "elsewhere")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is debrief
        assert [p.parent for p in debrief.written] == [(tmp_path / "elsewhere").resolve()] * 3
        # E chooses a folder at any time; Esc keeps the last one
        await pilot.press("E")
        await pilot.pause()
        assert isinstance(app.screen, FolderScreen)
        assert app.screen.query_one(Input).value == str(tmp_path / "elsewhere")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is debrief


ROOM = PlaySetup("facilitated", ("Table 1", "Table 2", "Table 3"), "debrief", None, order="file")


async def test_an_override_is_explained_and_scored_in_the_debrief(tmp_path: Path) -> None:
    """Teams vote 1, 1, 3; the facilitator overrides to 2 (no team's choice) with a reason:
    the debrief gives the room's choice its feedback, its points and the reason, and scores the
    room's own path beside the teams'."""
    store = Store(tmp_path / "s.db")
    app = NexusApp(
        store=store,
        builtin_library=False,
        launch=Launch(scenario=scenario_file(tmp_path), setup=ROOM),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        play = app.screen
        await pilot.press("enter", "1", "1", "3", "v", "o", "2")
        await pilot.pause()
        await pilot.press(*"Show the cost of force", "enter")
        await settle(pilot)
        last = play.exercise.session.decisions[-1]
        assert (last.choice, last.how, last.reason) == (
            "raid",
            "override",
            "Show the cost of force",
        )
        assert play.exercise.is_over  # the raid leads to the riot
        await pilot.press("enter")
        await settle(pilot)
        debrief = app.screen
        assert isinstance(debrief, DebriefScreen)
        followed = debrief.report["decisions"][0]["followed"]
        assert (followed["points"], followed["possible"], followed["harmful"]) == (0, 2, True)
        assert followed["feedback"] == "No."
        summary = " ".join(str(debrief.query_one("#debrief-summary").render()).split())
        assert "The room's path: Alignment 0.00" in summary
        text = " ".join(debrief.query_one("#debrief-decisions").markdown.split())
        assert "The room followed **Raid** (facilitator's override)" in text
        assert "Reason given: Show the cost of force" in text
        assert "The room's choice: 0 of 2 - **harmful choice**" in text
        assert "Feedback: No." in text


async def test_arrows_move_between_choices(tmp_path: Path) -> None:
    """Solo at a decision whose text fits: Down and Up move the selection, Enter confirms."""
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=scenario_file(tmp_path), setup=DEBRIEF_SOLO),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        play = app.screen
        await pilot.press("enter")
        await pilot.pause()
        assert play.phase == Phase.DECIDE and play._selected() is None
        await pilot.press("down")
        await pilot.pause()
        assert play._selected() == 0
        await pilot.press("down", "down", "down")  # stops at the last
        await pilot.pause()
        assert play._selected() == 2
        await pilot.press("up")
        await pilot.pause()
        assert play._selected() == 1
        await pilot.press("enter")
        await pilot.pause()
        assert play.exercise.session.decisions[-1].choice == "raid"


async def test_down_reads_long_text_before_the_choices(tmp_path: Path) -> None:
    doc = convoy()
    doc["scenes"]["call"]["text"] = "\n\n".join(f"Line {i} of the call." for i in range(40))
    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=path, setup=DEBRIEF_SOLO),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        play = app.screen
        await pilot.press("enter")
        await settle(pilot)
        scroll = play.query_one("#scene-scroll")
        assert play.phase == Phase.DECIDE and scroll.max_scroll_y > 0
        await pilot.press("down")
        await pilot.pause()
        assert scroll.scroll_y > 0 and play._selected() is None  # the text first
        await pilot.press(*["down"] * 200)
        await pilot.pause()
        assert play._selected() == 2  # then the choices


def test_debrief_lists_key_actors_and_standards_once_per_practice() -> None:
    from tui.screens.debrief import decisions_markdown

    info = {
        "practice": "GP21",
        "practice_title": "Interagency cooperation",
        "key_actors": ["Police", "Prosecutors"],
        "standards": ["UNSCR 2482 (2019)"],
        "text": "Set up a task force.",
    }
    team = {
        "team": "Solo", "choice": "a", "text": "A", "points": 1, "possible": 1, "harmful": False,
        "taken": ["GP21.S4"], "missed": [], "also": [], "feedback": None, "effects": [],
    }  # fmt: skip
    decision = {
        "title": "Call", "followed": {"choice": "a", "how": "solo", "text": "A"},
        "teams": [team], "recommended": ["GP21.S4"], "notes": [],
    }  # fmt: skip
    from engine.report.document import practices_concerned

    decisions = [{**decision, "number": 1}, {**decision, "number": 2, "title": "Border"}]
    report = {
        "session": {"teams": ["Solo"]},
        "key_actions": {"GP21.S4": info},
        "decisions": decisions,
        "practices": practices_concerned(decisions, {"GP21.S4": info}),  # the engine's rule
    }
    text = decisions_markdown(report)
    assert text.count("Key actors: Police; Prosecutors") == 1
    assert text.count("UNSCR 2482 (2019)") == 1
    assert text.count("GP21 Interagency cooperation") == 1  # its own heading, once
    assert text.index("### 2. Border") < text.index("Key actors")  # after every decision


async def test_a_followed_majority_is_confirmed_with_its_undo(tmp_path: Path) -> None:
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=scenario_file(tmp_path), setup=ROOM),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        play = app.screen
        await pilot.press("enter", "3", "3", "1", "v", "enter")
        await settle(pilot)
        assert play.exercise.scene.id == "border"
        said = [n.message for n in app._notifications]
        assert any(
            "The room follows choice 3: Wait (majority)" in m and "u undoes" in m for m in said
        )
        await pilot.press("u")
        await pilot.pause()
        await pilot.press(*"wrong key", "enter")
        await settle(pilot)
        assert play.exercise.scene.id == "call" and play.phase == Phase.RECORD


async def test_the_timers_end_stays_on_the_hint_line_and_is_recorded(tmp_path: Path) -> None:
    from tests.test_tui_session import Clock
    from tui.widgets.timer import CountdownTimer

    clock = Clock()
    setup = PlaySetup("solo", ("Solo",), "debrief", 60, order="file")
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        clock=clock,
        launch=Launch(scenario=scenario_file(tmp_path), setup=setup),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        play = app.screen
        await pilot.press("enter")
        await pilot.pause()
        clock.now += 61
        play.query_one(CountdownTimer).tick()
        await settle(pilot)
        app.clear_notifications()  # not only a toast
        await pilot.pause()
        assert "Time is up" in str(play.query_one("#hint").render())
        kinds = [e.kind for e in play.exercise.events()]
        assert kinds.count("timer_expired") == 1
        await pilot.press("1")  # selecting keeps the warning until the room moves on
        await pilot.pause()
        assert "Time is up" in str(play.query_one("#hint").render())
        await pilot.press("enter")
        await pilot.pause()
        assert "Time is up" not in str(play.query_one("#hint").render())


async def test_preferences_are_kept_between_launches(tmp_path: Path) -> None:
    """High contrast, facilitated play and immediate feedback come back at the next launch;
    a damaged preferences file is named and the defaults used."""
    from tui.app import CONTRAST_THEME, DEFAULT_THEME

    path = tmp_path / "config" / "preferences.json"

    def app_for(**kw) -> NexusApp:
        return NexusApp(
            store=Store(tmp_path / "s.db"),
            builtin_library=False,
            launch=Launch(scenario=scenario_file(tmp_path)),
            preferences=path,
            **kw,
        )

    app = app_for()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")  # high contrast
        await pilot.press("down", "enter", "tab", "tab", "tab", "up", "enter", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "theme": "high-contrast",
        "mode": "facilitated",
        "feedback": "immediate",
    }
    again = app_for()
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert again.theme == CONTRAST_THEME
        setup = again.screen
        assert isinstance(setup, SetupScreen)
        assert lit(setup, "mode") == ["mode-facilitated"]
        assert lit(setup, "feedback") == ["fb-immediate"]
        assert not setup.query_one("#teams").disabled
    assert app_for(theme=DEFAULT_THEME).theme == DEFAULT_THEME  # --theme still decides

    path.write_text('{"theme": "neon", ', encoding="utf-8")
    broken = app_for()
    async with broken.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert broken.theme == DEFAULT_THEME
        (said,) = [n for n in broken._notifications if n.title == "Preferences"]
        assert str(path) in said.message and "not valid JSON" in said.message
    path.write_text('{"theme": "neon", "mode": "facilitated"}', encoding="utf-8")
    odd = app_for()
    assert odd.prefs.mode == "facilitated" and odd.prefs.theme == "default"
    assert 'theme "neon" is not one of' in (odd.prefs_warning or "")


async def test_library_titles_and_columns_whole_at_120_columns(tmp_path: Path) -> None:
    app = NexusApp(store=Store(":memory:"))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen) and screen.entries
        text = app.screen_text()
        for entry in screen.shown:
            assert str(entry.title) in text, entry.title
            assert str(entry.region) in text, entry.region


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_sessions_tab_keeps_teams_and_scene_in_view(tmp_path: Path, size) -> None:
    from engine.check.validate import load_scenario
    from engine.exercise.exercise import Exercise

    store = Store(tmp_path / "s.db")
    scenario = load_scenario(scenario_file(tmp_path))
    for teams in (("Red", "Blue"), ("North", "South")):
        Exercise.start(store, scenario, mode="facilitated", teams=teams, label="Nairobi, day 2")
    moved = Exercise.start(store, scenario, mode="facilitated", teams=("Red", "Blue"))
    moved.acknowledge()  # at the first call, not the briefing
    app = NexusApp(store=store, builtin_library=False)
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        lines = [line for line in app.screen_text().splitlines() if "Convoy" in line]
        assert len(lines) == 3 and len(set(lines)) == 3  # no two rows look the same
        assert sum("North" in line for line in lines) == 1
        assert sum("call" in line for line in lines) == 1
        assert sum("briefing" in line for line in lines) == 2


async def test_every_choice_and_its_tally_in_view_at_80x24(tmp_path: Path) -> None:
    """The built-in Sahel scenario's first decision (four long choices), three teams at 80x24:
    every choice number and every tally mark on the screen once the tally is revealed."""
    from engine.load.library import discover

    entries, _ = discover([], builtin=True)
    (entry,) = [e for e in entries if e.id == "sahel-gold-and-fuel"]
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=entry.path, setup=ROOM),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        play = app.screen
        while play.phase != Phase.RECORD:
            await pilot.press("enter")
            await settle(pilot)
        assert len(play.offered) == 4
        await pilot.press("1", "2", "4", "v")
        await settle(pilot)
        assert play.phase == Phase.REVEALED
        box = play.query_one("#choices-box")
        shown = [item for item in play.query("ChoiceItem") if item.display]
        assert len(shown) == 4
        for item in shown:  # each choice's first line (its number and mark) inside the box
            assert box.region.contains_point(item.region.offset), item.index
        assert app.screen_text().count("1 team") == 3
        await pilot.press("v")  # the tally hidden: the scene's text is back
        await settle(pilot)
        assert play.query_one("#scene-scroll").size.height >= 2


async def test_recorded_votes_on_the_facilitator_view_and_a_change_confirmed(
    tmp_path: Path,
) -> None:
    """The room sees only who has chosen; the facilitator view says who chose what before the
    reveal, and changing a team's recorded choice says so."""
    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=scenario_file(tmp_path), setup=ROOM),
    )
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        play = app.screen
        await pilot.press("enter", "1", "3")
        await pilot.pause()
        assert "Task force" not in " ".join(play.query_one("#teams").render().plain.split())
        await pilot.press("f")
        await pilot.pause()
        view = " ".join(str(play.query_one("#facilitator-text").render()).split())
        assert "Recorded so far" in view
        assert "Table 1: 1. Task force" in view and "Table 2: 3. Wait" in view
        assert "Table 3: not yet" in view
        app.clear_notifications()
        await pilot.press("left_square_bracket", "left_square_bracket", "2")  # Table 1 again
        await pilot.pause()
        assert dict(play.exercise.session.votes)["Table 1"] == "raid"
        said = [n.message for n in app._notifications]
        assert any("Table 1" in m and "changed" in m for m in said), said
        view = " ".join(str(play.query_one("#facilitator-text").render()).split())
        assert "Table 1: 2. Raid" in view  # the view follows the votes
        await pilot.press("f")  # hidden again: nothing of it stays on the screen
        await pilot.pause()
        assert "Recorded so far" not in app.screen_text()


async def test_notes_about_one_team(tmp_path: Path) -> None:
    from engine.report.document import exercise_report, render
    from tui.screens.note import TeamNoteScreen

    app = NexusApp(
        store=Store(tmp_path / "s.db"),
        builtin_library=False,
        launch=Launch(scenario=scenario_file(tmp_path), setup=ROOM),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        play = app.screen
        await pilot.press("enter", "1", "n")  # the cursor is on Table 2 now
        await pilot.pause()
        assert isinstance(app.screen, TeamNoteScreen)
        await pilot.press(*"asked for the FIU first", "enter")
        await pilot.pause()
        await pilot.press("v")  # not every team has chosen: v twice
        await pilot.pause()
        await pilot.press("v")  # the tally: a note is about the room by default
        await pilot.pause()
        assert play.phase == Phase.REVEALED
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, TeamNoteScreen)
        await pilot.press(*"quiet room", "enter")
        await settle(pilot)
        notes = play.exercise.session.notes
        assert [(n.team, n.text) for n in notes] == [
            ("Table 2", "asked for the FIU first"),
            (None, "quiet room"),
        ]
        await pilot.press("enter")  # the room follows: the decision is in the report
        await settle(pilot)
        report = exercise_report(play.exercise)
        assert "Table 2: asked for the FIU first" in report["decisions"][0]["notes"]
        assert "about Table 2: asked for the FIU first" in render(report, "md")
