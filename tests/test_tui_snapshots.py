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
from tests.pilot import settle_quiet as settle
from tests.scenarios.hand import convoy
from tui.app import NexusApp
from tui.launch import Launch, PlaySetup

SIZES = pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])


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


# --- French -------------------------------------------------------------------------------
# The same scenario with a French translation beside it, the interface in French: the library
# and a facilitated tally, where French runs longest (no word may be cut at 80x24).

FRENCH = {
    "scenario.title": "Le convoi",
    "scenario.summary": (
        "Un convoi de carburant franchit un poste frontière qui ferme les yeux ; le groupe de "
        "travail doit suivre l'argent sans briser la confiance."
    ),
    "scenario.region": "Sahel",
    "variable.trust.label": "Confiance des communautés",
    "variable.raided.label": "Descente menée",
    "scene.briefing.title": "Point de situation",
    "scene.briefing.text": (
        "Un convoi de **quatorze pick-up** a franchi la frontière à l'aube.\n\n"
        "- Le registre n'indique que trois véhicules.\n- Un douanier demande à parler."
    ),
    "scene.call.title": "Le premier appel",
    "scene.call.text": "Décidez.",
    "choice.call.task-force.text": "Réunir un groupe de travail interservices avec la CRF",
    "choice.call.raid.text": "Lancer une descente sur le poste frontière dès ce soir",
    "choice.call.raid.feedback": "Non.",
    "choice.call.wait.text": "Attendre d'en savoir plus avant d'agir",
    "scene.border.title": "La frontière",
    "scene.border.text": "Décidez à nouveau.",
    "choice.border.community-watch.text": "Comité de vigilance",
    "choice.border.checkpoint.text": "Poste de contrôle",
    "scene.riot.title": "Émeute",
    "scene.riot.text": "Mauvais.",
    "scene.calm.title": "Calme",
    "scene.calm.text": "Bien.",
    "scene.stalemate.title": "Impasse",
    "scene.stalemate.text": "Statu quo.",
}


@pytest.fixture
def french_folder(tmp_path: Path):
    from engine.core import i18n
    from engine.load.scenario_text import scenario_fields
    from engine.load.translation import Entry, render_translation

    lib = folder(tmp_path)
    doc = yaml.safe_load((lib / "convoy.yaml").read_text("utf-8"))
    entries = [Entry(k, f.text, FRENCH[k]) for k, f in scenario_fields(doc).items()]
    (lib / "convoy.fr.po").write_bytes(render_translation(entries, "fr"))
    i18n.set_language("fr")
    yield lib
    i18n.set_language("en")


@SIZES
def test_french_library_snapshot(snap_compare, french_folder: Path, size: tuple[int, int]) -> None:
    app = NexusApp(store=Store(":memory:"), library_dirs=[french_folder], builtin_library=False)
    assert snap_compare(app, terminal_size=size, run_before=settle)


@SIZES
def test_french_facilitated_snapshot(
    snap_compare, french_folder: Path, size: tuple[int, int]
) -> None:
    setup = PlaySetup(
        "facilitated", ("Table 1", "Table 2", "Table 3"), "debrief", None, order="file"
    )
    app = NexusApp(
        store=Store(":memory:"),
        builtin_library=False,
        launch=Launch(scenario=french_folder / "convoy.yaml", setup=setup),
    )

    async def reveal(pilot) -> None:
        await settle(pilot)
        await pilot.press("enter", "1", "1", "3", "v")
        await settle(pilot)

    assert snap_compare(app, terminal_size=size, run_before=reveal)
