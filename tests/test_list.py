"""Scenario libraries (engine/load/library.py) and `nexus-ttx list`."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from engine.load.library import ScenarioNotFound, discover, find_scenario

VALID = (Path(__file__).resolve().parent / "fixtures" / "valid" / "complete.yaml").read_text(
    encoding="utf-8"
)
LISTED_KEYS = {
    "id",
    "title",
    "environment",
    "region",
    "manifestations",
    "watch_points",
    "good_practices",
    "path",
}


def scenario(sid: str, environment: str, region: str, practices: str, manifestations: str) -> str:
    text = VALID.replace("id: fixture-complete", f"id: {sid}")
    text = text.replace("environment: post-conflict", f"environment: {environment}")
    text = text.replace("region: Sahel (Mali, Niger)", f"region: {region}")
    text = text.replace("good_practices: [GP21, GP8]", f"good_practices: [{practices}]")
    return text.replace(
        "manifestations: [alliances, hybrid]", f"manifestations: [{manifestations}]"
    )


@pytest.fixture
def library(tmp_path: Path) -> Path:
    lib = tmp_path / "lib"
    (lib / "sub").mkdir(parents=True)
    (lib / "alpha.yaml").write_text(
        scenario(
            "zz-test-alpha",
            "post-conflict",
            "Sahel (Mali, Niger)",
            "GP21, GP8",
            "alliances, hybrid",
        )
    )
    (lib / "sub" / "beta.yml").write_text(
        scenario(
            "zz-test-beta", "transitional", "Western Balkans", "GP21, GP8, GP13", "integration"
        )
    )
    (lib / "broken.yaml").write_text("format: nexus-ttx/1\nid: zz-broken\ntitle: [unclosed\n")
    (lib / "toolkit-copy.yaml").write_text("format: nexus-ttx-toolkit/1\nareas: []\n")
    return lib


def test_discover_reads_entries_and_reports_broken_files(library: Path) -> None:
    entries, problems = discover([library], builtin=False)
    assert [e.id for e in entries] == ["zz-test-alpha", "zz-test-beta"]
    alpha = entries[0]
    assert alpha.title == "Gold, Fuel and a Convoy"
    assert alpha.environment == "post-conflict"
    assert alpha.countries == ("ML", "NE")
    assert alpha.good_practices == ("GP21", "GP8")
    assert alpha.duration_minutes == 90
    assert alpha.parsed and alpha.path == library / "alpha.yaml"
    assert problems == [
        f"skipped {library / 'broken.yaml'}: not a valid scenario — run "
        f"nexus-ttx validate {library / 'broken.yaml'}"
    ]


def test_duplicate_ids_are_both_kept_and_marked(library: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "alpha-copy.yaml").write_text((library / "alpha.yaml").read_text())
    entries, problems = discover([other, library], builtin=False)
    both = [e for e in entries if e.id == "zz-test-alpha"]
    assert [e.path for e in both] == [other / "alpha-copy.yaml", library / "alpha.yaml"]
    assert [e.conflicts for e in both] == [(library / "alpha.yaml",), (other / "alpha-copy.yaml",)]
    assert any("is used by 2 library files" in p for p in problems)


def test_missing_folder_is_a_problem_not_a_crash(tmp_path: Path) -> None:
    entries, problems = discover([tmp_path / "nope"], builtin=False)
    assert entries == [] and problems == [f"skipped {tmp_path / 'nope'}: no such folder"]


def test_builtin_library_never_breaks_discovery() -> None:
    entries, problems = discover()
    assert all(e.parsed for e in entries)
    assert not any(e.path.name.startswith("toolkit") for e in entries)
    assert all(isinstance(p, str) for p in problems)


def test_find_scenario_by_path_and_by_id(library: Path, tmp_path: Path) -> None:
    assert find_scenario(str(library / "alpha.yaml"), []) == library / "alpha.yaml"
    assert find_scenario("zz-test-beta", [library], builtin=False) == library / "sub" / "beta.yml"
    with pytest.raises(ScenarioNotFound, match="did you mean 'zz-test-beta'"):
        find_scenario("zz-test-bet", [library], builtin=False)
    with pytest.raises(ScenarioNotFound, match="known ids: zz-test-alpha, zz-test-beta"):
        find_scenario("completely-else", [library], builtin=False)
    with pytest.raises(ScenarioNotFound, match="no such file"):
        find_scenario(str(tmp_path / "missing.yaml"), [library])


def ids(stdout: str) -> list[str]:
    return [line.split()[0] for line in stdout.strip().split("\n")[1:] if line.startswith("zz-")]


def test_list_table_and_filters(cli, library: Path) -> None:
    result = cli("list", "--library", str(library))
    assert result.returncode == 0, result
    header = result.stdout.split("\n")[0].split()
    assert header == ["ID", "TITLE", "ENVIRONMENT", "REGION"]
    assert ids(result.stdout) == ["zz-test-alpha", "zz-test-beta"]
    assert "skipped " in result.stderr and "broken.yaml: not a valid scenario" in result.stderr
    assert "Traceback" not in result.stderr

    def listed(*filters: str) -> list[str]:
        r = cli("list", "--library", str(library), *filters)
        assert r.returncode == 0, r
        return ids(r.stdout)

    assert listed("--environment", "transitional") == ["zz-test-beta"]
    assert listed("--region", "sahel") == ["zz-test-alpha"]
    assert listed("--region", "BALKANS") == ["zz-test-beta"]
    assert listed("--practice", "GP13") == ["zz-test-beta"]
    assert listed("--practice", "gp21") == ["zz-test-alpha", "zz-test-beta"]
    assert listed("--manifestation", "hybrid") == ["zz-test-alpha"]
    assert listed("--manifestation", "hybrid", "--environment", "transitional") == []


def test_list_json_shape_and_env_library(cli, library: Path) -> None:
    result = cli("list", "--json", env={"NEXUS_TTX_LIBRARY": str(library)})
    assert result.returncode == 0, result
    items = [i for i in json.loads(result.stdout) if i["id"].startswith("zz-")]
    assert [i["id"] for i in items] == ["zz-test-alpha", "zz-test-beta"]
    assert all(set(i) >= LISTED_KEYS for i in items)
    beta = items[1]
    assert beta["environment"] == "transitional"
    assert beta["region"] == "Western Balkans"
    assert beta["manifestations"] == ["integration"]
    assert beta["good_practices"] == ["GP21", "GP8", "GP13"]
    assert beta["watch_points"] == ["corruption", "recruitment"]
    assert Path(beta["path"]) == library / "sub" / "beta.yml"


def test_list_with_several_libraries(cli, library: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "gamma.yaml").write_text(
        scenario("zz-test-gamma", "politically-stable", "Western Europe", "GP21, GP8", "black-hole")
    )
    expected = ["zz-test-alpha", "zz-test-beta", "zz-test-gamma"]
    for args, env in [
        (("list", "--library", str(other), "--library", str(library), "--json"), None),
        (("--library", str(other), "--library", str(library), "list", "--json"), None),
        (("list", "--json"), {"NEXUS_TTX_LIBRARY": os.pathsep.join([str(other), str(library)])}),
    ]:
        result = cli(*args, env=env)
        found = sorted(i["id"] for i in json.loads(result.stdout) if i["id"].startswith("zz-"))
        assert found == expected, args
