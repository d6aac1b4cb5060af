"""Snapshots (pytest-textual-snapshot) of the main screens: library, setup, a solo decision,
a facilitated tally, the debrief and the toolkit, each at 80x24 (the smallest terminal we
support) and at 120x40 (the layouts change at 100 and at 120 columns).

Deterministic: a fixed library folder (not the built-in one, which grows), an in-memory store
(no sessions listed, no dates), no timer. Update after a deliberate change with
`pytest tests/test_tui_snapshots.py --snapshot-update` and review the SVGs.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from engine.store.sqlite import Store
from tests.scenarios.hand import convoy
from tui.app import NexusApp
from tui.launch import Launch, PlaySetup

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


async def settle(pilot) -> None:
    """Workers done, their messages handled, and no toast left (they come and go in time)."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
    pilot.app.clear_notifications()
    await pilot.pause()


def folder(tmp_path: Path) -> Path:
    lib = tmp_path / "library"
    lib.mkdir()
    doc = copy.deepcopy(convoy())
    doc["summary"] = (
        "A fuel convoy crosses a border post that looks the other way; the "
        "working group must follow the money without breaking trust."
    )
    doc["duration_minutes"] = 45
    doc["good_practices"] = ["GP21", "GP8", "GP25", "GP13"]  # no warning toast
    doc["scenes"]["briefing"]["text"] = (
        "A convoy of **fourteen pick-ups** crossed at dawn.\n\n"
        "- The register shows three vehicles.\n- A customs officer wants to talk."
    )
    (lib / "convoy.yaml").write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")
    return lib


@SIZES
def test_library_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = NexusApp(store=Store(":memory:"), library_dirs=[folder(tmp_path)], builtin_library=False)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@SIZES
def test_setup_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = NexusApp(
        store=Store(":memory:"),
        builtin_library=False,
        launch=Launch(scenario=folder(tmp_path) / "convoy.yaml"),  # no setup: ask for one
    )
    assert snap_compare(app, terminal_size=size, run_before=settle)


@SIZES
def test_toolkit_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    app = NexusApp(store=Store(":memory:"), library_dirs=[folder(tmp_path)], builtin_library=False)

    async def search(pilot) -> None:
        await settle(pilot)
        await pilot.press("t", "slash", *"GP21", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=search)


@SIZES
def test_play_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    setup = PlaySetup("solo", ("Solo",), "immediate", None, order="file")
    app = NexusApp(
        store=Store(":memory:"),
        builtin_library=False,
        launch=Launch(scenario=folder(tmp_path) / "convoy.yaml", setup=setup),
    )

    async def decide(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter", "1")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=decide)


@SIZES
def test_facilitated_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    setup = PlaySetup(
        "facilitated", ("Table 1", "Table 2", "Table 3"), "debrief", None, order="file"
    )
    app = NexusApp(
        store=Store(":memory:"),
        builtin_library=False,
        launch=Launch(scenario=folder(tmp_path) / "convoy.yaml", setup=setup),
    )

    async def reveal(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter", "1", "1", "3", "v")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=reveal)


@SIZES
def test_debrief_snapshot(snap_compare, tmp_path: Path, size: tuple[int, int]) -> None:
    setup = PlaySetup("solo", ("Solo",), "debrief", None, order="file")
    app = NexusApp(
        store=Store(":memory:"),
        builtin_library=False,
        launch=Launch(scenario=folder(tmp_path) / "convoy.yaml", setup=setup),
    )

    async def finish(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter", "1", "enter", "1", "enter", "enter")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=finish)
