"""The TUI's side of labels and cohorts: the setup screen's label field, the Sessions tab's
Label column and its cohort view (Pilot, and a snapshot at 80x24)."""

from __future__ import annotations

from pathlib import Path

import yaml

from engine.check.validate import load_scenario
from engine.exercise.exercise import Exercise
from engine.store.sqlite import Store
from tests.pilot import settle_quiet as settle
from tests.scenarios.hand import convoy
from tui.app import NexusApp
from tui.launch import Launch
from tui.screens.cohort import CohortScreen
from tui.screens.setup import SetupScreen


def _library(tmp_path: Path) -> Path:
    lib = tmp_path / "library"
    lib.mkdir(exist_ok=True)
    doc = convoy()
    doc["good_practices"] = ["GP21", "GP8", "GP25", "GP13"]
    (lib / "convoy.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
    return lib


def _stocked(tmp_path: Path) -> tuple[Store, Path]:
    lib = _library(tmp_path)
    path = lib / "convoy.yaml"
    scenario = load_scenario(path)
    store = Store(":memory:", clock=lambda: "2026-03-01T09:00:00.000Z")
    for label, moves in (("Day 1", ["raid"]), ("Day 1", ["wait", "community-watch"])):
        ex = Exercise.start(store, scenario, scenario_path=str(path), label=label)
        for move in moves:
            while ex.scene.kind != "decision":
                ex.acknowledge()
            ex.choose(move)
    ex = Exercise.start(store, scenario, scenario_path=str(path), label="Day 2")
    ex.acknowledge()
    ex.choose("task-force")
    return store, lib


async def test_setup_label_reaches_the_session(tmp_path: Path) -> None:
    lib = _library(tmp_path)
    store = Store(":memory:")
    app = NexusApp(store=store, builtin_library=False, launch=Launch(scenario=lib / "convoy.yaml"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        setup = app.screen
        assert isinstance(setup, SetupScreen)
        field = setup.query_one("#label")
        field.value = "bad\x07"
        assert setup.current() == "Label: a label cannot contain control characters."
        field.value = "  Nairobi   course, day 2 "
        await pilot.press("ctrl+s")
        await settle(pilot)
    (info,) = store.sessions()
    assert info.label == "Nairobi course, day 2"


async def test_sessions_tab_labels_and_cohort_view(tmp_path: Path) -> None:
    store, lib = _stocked(tmp_path)
    app = NexusApp(store=store, library_dirs=[lib], builtin_library=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        table = app.screen.query_one("#session-table")
        labels = sorted(str(table.get_row_at(r)[2]) for r in range(table.row_count))
        assert labels == ["Day 1", "Day 1", "Day 2"]
        row = next(r for r in range(table.row_count) if str(table.get_row_at(r)[2]) == "Day 1")
        table.move_cursor(row=row)
        await pilot.press("c")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CohortScreen)
        cohort = screen.cohort
        assert (cohort.title, cohort.sessions, cohort.points, cohort.possible) == ("Day 1", 2, 1, 5)
        summary = str(screen.query_one("#cohort-summary").render())
        assert "2 sessions" in summary and "20.00%" in summary
        assert "GP8.S4" in str(screen.query_one("#cohort-missed").render())
        assert "took" in str(screen.query_one("#cohort-harmful").render())
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, CohortScreen)


def test_cohort_snapshot(snap_compare, tmp_path: Path) -> None:
    store, lib = _stocked(tmp_path)
    app = NexusApp(store=store, library_dirs=[lib], builtin_library=False)

    async def open_cohort(pilot) -> None:
        await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        table = pilot.app.screen.query_one("#session-table")
        row = next(r for r in range(table.row_count) if str(table.get_row_at(r)[2]) == "Day 1")
        table.move_cursor(row=row)
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(app, terminal_size=(80, 24), run_before=open_cohort)
