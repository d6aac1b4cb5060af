"""The other screens (Pilot): library filters and setup, diagnostics for a broken scenario,
the toolkit browser from anywhere, help listing every binding, the high-contrast theme; the
`play` command's options; and `import engine` never loading Textual."""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from cli.commands.play import _setup_from
from engine.store.sqlite import Store
from engine.toolkit.catalog import load_catalog
from tests.pilot import settle
from tests.scenarios.hand import convoy
from tui.app import (
    CONTRAST_THEME,
    DEFAULT_THEME,
    ExerciseReady,
    NexusApp,
    ScenarioReady,
    ScenarioRejected,
)
from tui.launch import Launch, PlaySetup
from tui.screens.diagnostics import DiagnosticsScreen
from tui.screens.help import HelpScreen
from tui.screens.library import LibraryScreen
from tui.screens.play import PlayScreen
from tui.screens.setup import SetupScreen
from tui.screens.toolkit import ToolkitScreen
from tui.widgets.choices import ChoiceList
from tui.widgets.filter_chip import FilterChip, PickScreen
from tui.widgets.keybar import KeyBar

ROOT = Path(__file__).resolve().parents[1]
SOLO = PlaySetup("solo", ("Solo",), "debrief", None, order="file")


def library(tmp_path: Path) -> Path:
    """A library folder: the convoy, a second scenario elsewhere, and a broken file."""
    folder = tmp_path / "library"
    folder.mkdir()
    (folder / "convoy.yaml").write_text(yaml.safe_dump(convoy(), sort_keys=False), "utf-8")
    other = copy.deepcopy(convoy())
    other.update(
        id="harbour",
        title="Harbour",
        region="West Africa",
        environment="transitional",
        manifestations=["hybrid"],
        good_practices=["GP21", "GP8", "GP25"],
    )
    (folder / "harbour.yaml").write_text(yaml.safe_dump(other, sort_keys=False), "utf-8")
    broken = copy.deepcopy(convoy())
    broken["id"] = "broken"
    broken["title"] = "Broken"
    broken["scenes"]["briefing"]["next"] = "nowhere"
    (folder / "broken.yaml").write_text(yaml.safe_dump(broken, sort_keys=False), "utf-8")
    return folder


def rows(app) -> list[str]:
    return [str(e.title) for e in app.screen.shown]


async def test_library_lists_filters_and_opens_setup(tmp_path: Path) -> None:
    folder = library(tmp_path)
    app = NexusApp(store=Store(":memory:"), library_dirs=[folder], builtin_library=False)
    async with app.run_test(size=(150, 30)) as pilot:  # details beside the table
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        # `broken` passes the quick check (its fault is a reference): listed, by id
        assert rows(app) == ["Broken", "Convoy", "Harbour"]
        text = app.screen_text()
        environment = load_catalog().environment("post-conflict").name
        assert "Convoy" in text and environment[:10] in text
        # free text
        await pilot.press("slash", *"harbour")
        await pilot.pause()
        assert rows(app) == ["Harbour"]
        await pilot.press("escape")
        screen.query_one("#search").value = ""
        await pilot.pause()
        # a filter chip: environment = transitional
        chip = screen.query_one("#f-environment", FilterChip)
        chip.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, PickScreen)
        values = [v for _t, v in app.screen.options]
        await pilot.press(*["down"] * (1 + values.index("transitional")), "enter")
        await pilot.pause()
        assert chip.value == "transitional"
        assert rows(app) == ["Harbour"]
        # practice and manifestation filters, then clear
        chip.value = None
        screen.query_one("#f-manifestation", FilterChip).value = "alliances"
        await pilot.pause()
        assert rows(app) == ["Broken", "Convoy"]
        screen.query_one("#f-practice", FilterChip).value = "GP21"
        screen.query_one("#f-region", FilterChip).value = "Sahel"
        await pilot.pause()
        assert rows(app) == ["Broken", "Convoy"]
        await pilot.press("slash", *"convoy")
        await pilot.pause()
        assert rows(app) == ["Convoy"]
        screen.query_one("#search").value = ""
        screen.query_one("#scenario-table").focus()
        await pilot.press("x")
        await pilot.pause()
        assert len(rows(app)) == 3
        # details pane: practices with their short titles
        assert "GP21" in app.screen_text()
        # Enter on the broken one shows its diagnostics; on the convoy, the setup
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DiagnosticsScreen)
        await pilot.press("escape", "down", "enter")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, PlayScreen)
        assert app.screen.exercise.mode == "solo"


async def test_setup_facilitated_with_teams(tmp_path: Path) -> None:
    folder = library(tmp_path)
    app = NexusApp(
        store=Store(":memory:"),
        library_dirs=[folder],
        builtin_library=False,
        launch=Launch(scenario=folder / "convoy.yaml"),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        setup = app.screen
        assert isinstance(setup, SetupScreen)
        setup.query_one("#mode-facilitated").value = True
        await pilot.pause()
        teams = setup.query_one("#teams")
        assert not teams.disabled
        teams.value = "Red, Red"
        assert setup.current() == "Team names must be different from each other."
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is setup  # refused: the form stays, saying why
        assert "different" in str(setup.query_one("#setup-error").render())
        teams.value = "Red, Blue, Green"
        assert not setup.query_one("#count").disabled
        setup.query_one("#count-heads").value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        play = app.screen
        assert isinstance(play, PlayScreen)
        assert play.exercise.teams == ("Red", "Blue", "Green")
        assert play.exercise.options["feedback"] == "debrief"
        assert play.exercise.options["count"] == "heads"
        assert play.exercise.session.count == "heads"


async def test_broken_scenario_opens_the_diagnostics_screen(tmp_path: Path) -> None:
    folder = library(tmp_path)
    broken = folder / "broken.yaml"
    app = NexusApp(
        store=Store(":memory:"), builtin_library=False, launch=Launch(scenario=broken, setup=SOLO)
    )
    messages: list[object] = []
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DiagnosticsScreen)
        # the worker said why, as a typed message: the reference error, at its place
        rejected = [m for m in messages if isinstance(m, ScenarioRejected)]
        assert len(rejected) == 1 and rejected[0].path == broken
        errors = [d for d in rejected[0].diagnostics if d.severity == "error"]
        assert errors and "nowhere" in errors[0].message and errors[0].line > 0
        assert screen.diagnostics == rejected[0].diagnostics
        assert not any(isinstance(m, ExerciseReady) for m in messages)
        text = app.screen_text()
        assert "INVALID SCENARIO" in text
        lines = [str(w.render()) for w in screen.query(".diagnostic")]
        assert lines and all(line.startswith(f"{broken}:") for line in lines)
        first = lines[0].split(":")
        assert first[1].isdigit() and first[2].isdigit() and "error" in lines[0]
        assert "nowhere" in " ".join(lines)
        # the author fixes the file and validates again: the setup opens
        broken.write_text(yaml.safe_dump(convoy(), sort_keys=False), "utf-8")
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        ready = [m for m in messages if isinstance(m, ScenarioReady)]
        assert len(ready) == 1 and ready[0].scenario.id == "convoy" and ready[0].setup is None


async def test_yaml_error_and_non_scenario_get_diagnostics(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: nexus-ttx/1\nid: [unclosed\n", "utf-8")
    app = NexusApp(
        store=Store(":memory:"), builtin_library=False, launch=Launch(scenario=bad, setup=SOLO)
    )
    messages: list[object] = []
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DiagnosticsScreen)
        (rejected,) = [m for m in messages if isinstance(m, ScenarioRejected)]
        assert [d.code for d in rejected.diagnostics] == ["NTX005"]  # YAML syntax
        error = rejected.diagnostics[0]
        assert error.line >= 2 and "line 2" in error.message  # where the sequence opened
        assert f"{bad}:{error.line}:{error.column}" in app.screen_text()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    toolkit = ROOT / "scenarios" / "toolkit.yaml"
    app = NexusApp(
        store=Store(":memory:"), builtin_library=False, launch=Launch(scenario=toolkit, setup=SOLO)
    )
    messages.clear()
    async with app.run_test(size=(100, 30), message_hook=messages.append) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, DiagnosticsScreen)
        (rejected,) = [m for m in messages if isinstance(m, ScenarioRejected)]
        assert any("not a scenario" in d.message for d in rejected.diagnostics)
        assert "not a scenario" in " ".join(app.screen_text().split())


async def test_toolkit_from_play_keeps_the_place(tmp_path: Path) -> None:
    folder = library(tmp_path)
    app = NexusApp(
        store=Store(":memory:"),
        builtin_library=False,
        launch=Launch(scenario=folder / "convoy.yaml", setup=SOLO),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        play = app.screen
        await pilot.press("enter", "2")
        await pilot.pause()
        assert play.query_one(ChoiceList).selected == 1
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, ToolkitScreen)
        toolkit = app.screen
        await pilot.press("slash", *"GP21")
        await pilot.pause()
        # an exact id finds that practice alone and shows it: the catalog's words, not ours
        gp21 = load_catalog().practice("GP21")
        assert [item.id for item in toolkit.results] == ["GP21"]
        assert toolkit.shown is not None and toolkit.shown.id == "GP21"
        assert gp21.short_title in app.screen_text()
        await pilot.press("enter")  # leave the search box
        await pilot.pause()
        text = app.screen_text()
        assert "Key actions" in text and gp21.key_actions[0].id in text
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is play
        assert play.query_one(ChoiceList).selected == 1  # the selection is still there
        assert play.exercise.scene.id == "call"
        await pilot.press("enter")
        await pilot.pause()
        assert play.exercise.session.decisions[-1].choice == "raid"


async def test_toolkit_browses_watch_points_manifestations_environments(tmp_path) -> None:
    app = NexusApp(store=Store(":memory:"), builtin_library=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, ToolkitScreen)
        labels = [str(n.label) for n in screen.query_one("#toolkit-tree").root.children]
        assert labels == [
            "Areas and good practices",
            "Watch points",
            "Manifestations",
            "Environments",
        ]
        await pilot.press("slash", *"corruption.3", "enter")
        await pilot.pause()
        catalog = load_catalog()
        indicator = catalog.indicator("corruption.3")
        assert [item.id for item in screen.results] == ["corruption.3"]
        assert screen.shown is not None and screen.shown.id == "corruption.3"
        # the details name the indicator's watch point, a word the test never typed
        text = " ".join(app.screen_text().split())
        assert f"Indicator of {catalog.watch_point(indicator.factor).name}" in text
        # words find items by their text too: the watch point by its name, shown first
        watch_point = catalog.watch_point(indicator.factor)
        screen.query_one("#toolkit-search").value = watch_point.name.lower()
        await pilot.pause()
        assert watch_point in screen.results and screen.shown is screen.results[0]
        await pilot.press("t")  # the same key closes it
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_help_lists_every_binding_of_the_screen(tmp_path: Path) -> None:
    folder = library(tmp_path)
    app = NexusApp(
        store=Store(":memory:"),
        builtin_library=False,
        launch=Launch(
            scenario=folder / "convoy.yaml",
            setup=PlaySetup("facilitated", ("A", "B"), "debrief", 60),
        ),
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        play = app.screen
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        ids = {row[3] for row in help_screen.rows}
        for binding in PlayScreen.BINDINGS:
            assert binding.id in ids, binding.id
        for binding in NexusApp.BINDINGS:
            assert binding.id in ids, binding.id
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is play


async def test_every_key_shows_in_the_footer_at_80x24(tmp_path: Path) -> None:
    folder = library(tmp_path)
    app = NexusApp(
        store=Store(":memory:"),
        builtin_library=False,
        launch=Launch(
            scenario=folder / "convoy.yaml",
            setup=PlaySetup("facilitated", ("A", "B", "C"), "debrief", 60),
        ),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        play = app.screen
        await pilot.press("enter")
        await pilot.pause()
        footer = play.query_one(KeyBar)
        shown = {item[3] for item in footer.items_shown}
        active = {b.action for _n, b, _e, _t in play.active_bindings.values() if b.show}
        assert active <= shown
        for line in app.screen_text().splitlines():
            assert len(line.rstrip()) <= 80
        for word in (
            "Reveal",
            "Override",
            "Facilitator",
            "Timer",
            "Note",
            "Quit",
            "Help",
            "Toolkit",
            "Contrast",
        ):
            assert word in app.screen_text(), word
        # the keys are clickable: a click on "q Quit" asks to leave
        lines = app.screen_text().splitlines()
        row = next(i for i, line in enumerate(lines) if "q Quit" in line)
        await pilot.click(KeyBar, offset=(lines[row].index("q Quit"), row - footer.region.y))
        await pilot.pause()
        assert type(app.screen).__name__ == "ConfirmQuitScreen"


async def test_high_contrast_theme_toggles(tmp_path: Path) -> None:
    app = NexusApp(store=Store(":memory:"), builtin_library=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.theme == DEFAULT_THEME
        await pilot.press("f2")
        await pilot.pause()
        assert app.theme == CONTRAST_THEME
        assert app.has_class("-theme-nexus-contrast")
        assert not app.current_theme.dark
        await pilot.press("f2")
        await pilot.pause()
        assert app.theme == DEFAULT_THEME


def test_play_options() -> None:
    ns = argparse.Namespace
    assert _setup_from(ns(scenario="x", mode=None, teams=None, feedback=None, timer=None)) is None
    setup = _setup_from(
        ns(scenario="x", mode=None, teams="Table 1, Table 2", feedback=None, timer=120)
    )
    assert setup == PlaySetup("facilitated", ("Table 1", "Table 2"), "debrief", 120)
    setup = _setup_from(ns(scenario="x", mode="solo", teams=None, feedback=None, timer=None))
    assert setup == PlaySetup("solo", ("Solo",), "immediate", None)
    with pytest.raises(ValueError):
        _setup_from(ns(scenario="x", mode="solo", teams="A,B", feedback=None, timer=None))


def test_play_count_option() -> None:
    ns = argparse.Namespace
    none = {"mode": None, "feedback": None, "timer": None}
    setup = _setup_from(ns(scenario="x", teams="A, B", count="heads", **none))
    assert setup is not None and setup.count == "heads"
    assert setup.options == {"feedback": "debrief", "count": "heads"}
    setup = _setup_from(ns(scenario="x", teams="A, B", count=None, **none))
    assert setup is not None and setup.options["count"] == "teams"
    with pytest.raises(ValueError, match="facilitated"):
        _setup_from(ns(scenario="x", teams=None, count="heads", **none))


def test_play_command_refuses_a_count_for_solo_play(cli) -> None:
    result = cli("play", "no-such-scenario", "--count", "heads")
    assert result.returncode == 2 and "--count is for facilitated play" in result.stderr
    result = cli("play", "no-such-scenario", "--count", "everyone")
    assert result.returncode == 2 and "invalid choice" in result.stderr


def test_play_command_refuses_an_unknown_scenario(cli) -> None:
    result = cli("play", "no-such-scenario")
    assert result.returncode == 1
    assert "no scenario" in result.stderr and "Traceback" not in result.stderr


def test_importing_the_engine_never_loads_textual() -> None:
    engine_dir = ROOT / "engine"
    modules = sorted(f"engine.{p.stem}" for p in engine_dir.glob("*.py") if p.stem != "__init__")
    code = (
        "import importlib, json, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')"
        " or m == 'tui' or m.startswith('tui.'))\n"
        "print(json.dumps(bad))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEXUS_TTX_")}
    env["PYTHONPATH"] = str(ROOT)
    proc = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout.strip().splitlines()[-1]) == []


async def test_high_contrast_rules_apply(tmp_path: Path) -> None:
    app = NexusApp(store=Store(":memory:"), builtin_library=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        bar = app.screen.query_one("#scene-bar")
        before = bar.styles.background
        await pilot.press("f2")
        await pilot.pause()
        assert str(NexusApp.CONTRAST_CSS) in {src[0] for src in app.stylesheet.source}
        assert bar.styles.background != before
        assert bar.styles.background.hex.upper() == "#000000"
    started = NexusApp(store=Store(":memory:"), builtin_library=False, theme=CONTRAST_THEME)
    async with started.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert started.screen.query_one("#scene-bar").styles.background.hex.upper() == "#000000"
