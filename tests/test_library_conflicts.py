"""One scenario id in two library files is an error where the author looks: `validate` (NTX029,
naming both files), `list` (both listed, the conflict named, exit 1), opening it by id (refused,
both files named) and the TUI library (both rows marked). One rule: engine/load/library.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from engine.core.resources import builtin_library
from engine.load.library import ScenarioNotFound, discover, find_scenario

SAHEL = builtin_library() / "sahel-gold-and-fuel.yaml"


@pytest.fixture
def mine(tmp_path: Path) -> Path:
    """A user folder whose scenario reuses the built-in Sahel scenario's id."""
    folder = tmp_path / "mine"
    folder.mkdir()
    text = SAHEL.read_text(encoding="utf-8")
    (folder / "my-sahel.yaml").write_text(
        text.replace("title: ", "title: My own ", 1), encoding="utf-8"
    )
    return folder


def test_discover_keeps_both_and_names_the_conflict(mine: Path) -> None:
    entries, problems = discover([mine])
    both = [e for e in entries if e.id == "sahel-gold-and-fuel"]
    assert [e.path for e in both] == [mine / "my-sahel.yaml", SAHEL]
    assert both[0].conflicts == (SAHEL,) and both[1].conflicts == (mine / "my-sahel.yaml",)
    assert [e for e in entries if e.conflicts] == both
    (said,) = [p for p in problems if "sahel-gold-and-fuel" in p]
    assert str(SAHEL) in said and str(mine / "my-sahel.yaml") in said


def test_two_user_folders_conflict_too(mine: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    text = (mine / "my-sahel.yaml").read_text(encoding="utf-8")
    (other / "x.yaml").write_text(text.replace("sahel-gold-and-fuel", "shared-id"), "utf-8")
    (mine / "my-sahel.yaml").write_text(text.replace("sahel-gold-and-fuel", "shared-id"), "utf-8")
    entries, _problems = discover([mine, other], builtin=False)
    assert [(e.path.name, len(e.conflicts)) for e in entries] == [
        ("my-sahel.yaml", 1),
        ("x.yaml", 1),
    ]


def test_opening_a_conflicting_id_names_both_files(mine: Path) -> None:
    with pytest.raises(ScenarioNotFound) as caught:
        find_scenario("sahel-gold-and-fuel", [mine])
    said = str(caught.value)
    assert str(SAHEL) in said and str(mine / "my-sahel.yaml") in said
    assert find_scenario(str(mine / "my-sahel.yaml"), [mine]) == mine / "my-sahel.yaml"


def test_list_shows_both_and_exits_1(cli, mine: Path) -> None:
    result = cli("list", "--library", str(mine))
    assert result.returncode == 1
    rows = [line for line in result.stdout.splitlines() if line.startswith("sahel-gold")]
    assert len(rows) == 2
    assert "My own" in result.stdout
    assert "sahel-gold-and-fuel" in result.stderr and str(SAHEL) in result.stderr
    listed = cli("list", "--json", env={"NEXUS_TTX_LIBRARY": str(mine)})
    assert listed.returncode == 1
    items = [i for i in json.loads(listed.stdout) if i["id"] == "sahel-gold-and-fuel"]
    assert [i["conflicts"] for i in items] == [[str(SAHEL)], [str(mine / "my-sahel.yaml")]]


def test_validate_reports_ntx029_with_both_paths(cli, mine: Path) -> None:
    copy = mine / "my-sahel.yaml"
    result = cli("validate", "--library", str(mine), str(copy))
    assert result.returncode == 1, result.stdout
    (line,) = [x for x in result.stdout.splitlines() if "NTX029" in x]
    assert line.startswith(f"{copy}:")
    assert ": error: NTX029 " in line and str(SAHEL) in line
    # the built-in file is told too when a library folder in the environment reuses its id
    builtin = cli("validate", str(SAHEL), env={"NEXUS_TTX_LIBRARY": str(mine)})
    assert builtin.returncode == 1
    assert "NTX029" in builtin.stdout and str(copy) in builtin.stdout
    # without the folder among the libraries, the file stands alone
    alone = cli("validate", str(copy))
    assert "NTX029" not in alone.stdout


def test_run_by_a_conflicting_id_is_refused(cli, mine: Path) -> None:
    result = cli("run", "sahel-gold-and-fuel", "--library", str(mine), "--choices", "")
    assert result.returncode == 1
    assert str(SAHEL) in result.stderr and str(mine / "my-sahel.yaml") in result.stderr


# --- the library screen: both rows of a conflict marked; every file validated in a worker ----


def _tui_library(tmp_path: Path) -> Path:
    import copy

    import yaml

    from tests.scenarios.hand import convoy

    folder = tmp_path / "library"
    folder.mkdir()

    def write(name: str, doc: dict) -> None:
        (folder / name).write_text(yaml.safe_dump(doc, sort_keys=False), "utf-8")

    write("convoy.yaml", convoy())
    broken = copy.deepcopy(convoy())
    broken.update(id="broken", title="Broken")
    broken["scenes"]["briefing"]["next"] = "nowhere"  # passes the quick check: NTX202
    write("broken.yaml", broken)
    lonely = copy.deepcopy(convoy())
    lonely.update(id="lonely", title="Lonely")
    lonely["scenes"]["island"] = {
        "kind": "ending",
        "title": "Island",
        "text": "x",
        "outcome": "partial",
    }
    write("lonely.yaml", lonely)  # a scene never reached: NTX303/NTX305 warnings
    twin = copy.deepcopy(convoy())
    twin["title"] = "Convoy twin"  # id convoy again
    write("twin.yaml", twin)
    return folder


async def test_library_screen_marks_errors_warnings_and_conflicts(tmp_path: Path) -> None:
    from engine.store.sqlite import Store
    from tui.app import NexusApp

    folder = _tui_library(tmp_path)
    app = NexusApp(store=Store(":memory:"), library_dirs=[folder], builtin_library=False)
    async with app.run_test(size=(130, 30)) as pilot:
        for _ in range(4):
            await app.workers.wait_for_complete()
            await pilot.pause()
        screen = app.screen
        table = screen.query_one("#scenario-table")
        title = {entry.path.name: str(table.get_row(str(entry.path))[0]) for entry in screen.shown}
        assert title == {
            "broken.yaml": "✗ Broken",
            "convoy.yaml": "✗ Convoy",
            "twin.yaml": "✗ Convoy twin",
            "lonely.yaml": "! Lonely",
        }
        order = [entry.path.name for entry in screen.shown]

        async def details_of(name: str) -> str:
            table.move_cursor(row=order.index(name))
            await pilot.pause()
            return str(screen.query_one("#details-text").render())

        said = await details_of("broken.yaml")
        assert "1 error" in said and "NTX202" in said and "nowhere" in said
        said = await details_of("twin.yaml")
        assert "NTX029" in said and "convoy.yaml" in said
        said = await details_of("lonely.yaml")
        assert "8 warnings" in said and "NTX3" in said


def test_the_quick_id_scan_agrees_with_discover(mine: Path, tmp_path: Path) -> None:
    # validate reads only the files that may share an id; an id the line scan cannot see (here
    # a quoted key) makes it read them all, so the answer is discover's either way
    from engine.load.library import library_conflicts

    def conflicts(entries) -> dict[str, set[Path]]:
        return {str(e.path): set(e.conflicts) for e in entries if e.conflicts}

    assert conflicts(library_conflicts([mine])) == conflicts(discover([mine])[0])
    odd = tmp_path / "odd"
    odd.mkdir()
    text = SAHEL.read_text(encoding="utf-8").replace("\nid: ", '\n"id": ', 1)
    (odd / "quoted.yaml").write_text(text, encoding="utf-8")
    found = conflicts(library_conflicts([odd]))
    assert found == conflicts(discover([odd])[0]) and str(odd / "quoted.yaml") in found
