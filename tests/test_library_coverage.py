"""The built-in library as a whole covers the toolkit (issue 6, 'Coverage across the library')."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import yaml

from engine.core.resources import builtin_library
from engine.toolkit.catalog import load_catalog


def _scenarios() -> list[dict]:
    docs = []
    for path in sorted(Path(builtin_library()).glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        if doc.get("format") == "nexus-ttx/1":
            docs.append(doc)
    return docs


def _recommended(doc: dict) -> set[str]:
    return {ka for scene in doc["scenes"].values() for ka in scene.get("recommended", [])}


def test_at_least_six_scenarios_two_per_environment() -> None:
    docs = _scenarios()
    assert len(docs) >= 6
    per_env = Counter(d["environment"] for d in docs)
    assert all(
        per_env[env] >= 2 for env in ("politically-stable", "transitional", "post-conflict")
    ), per_env


def test_every_practice_is_recommended_somewhere() -> None:
    catalog = load_catalog()
    practices = {catalog.practice_of(ka).id for d in _scenarios() for ka in _recommended(d)}
    assert practices == set(catalog.practice_ids)


def test_every_area_watch_point_and_manifestation_is_tagged() -> None:
    catalog = load_catalog()
    docs = _scenarios()
    areas = {catalog.practice_of(ka).area for d in docs for ka in _recommended(d)}
    assert areas == {a.id for a in catalog.areas}
    assert {w for d in docs for w in d["watch_points"]} == set(catalog.factor_ids)
    assert {m for d in docs for m in d["manifestations"]} == set(catalog.manifestation_ids)


def test_library_recommends_80_key_actions_and_every_practice_twice() -> None:
    """A wide library: most key actions are taught somewhere, no practice rests on one scenario."""
    catalog = load_catalog()
    docs = _scenarios()
    recommended = set().union(*(_recommended(d) for d in docs))
    assert recommended <= catalog.key_action_ids
    assert len(recommended) >= 80, sorted(catalog.key_action_ids - recommended)
    per_practice = Counter(
        practice
        for d in docs
        for practice in {catalog.practice_of(ka).id for ka in _recommended(d)}
    )
    assert {p for p in catalog.practice_ids if per_practice[p] < 2} == set(), per_practice


def test_every_indicator_is_tagged_in_some_scene() -> None:
    """Each of the 35 indicators is shown, by its own id, in at least one scene of the library."""
    catalog = load_catalog()
    indicators = {i.id for wp in catalog.watch_points for i in wp.indicators}
    tagged = {
        w
        for d in _scenarios()
        for scene in d["scenes"].values()
        for w in scene.get("watch_points", [])
    }
    assert indicators - tagged == set()


def test_more_than_one_ideology_and_eight_regions() -> None:
    """The library is not one region's or one ideology's: at least one scenario's violent
    extremist actor is not Islamist-coded (declared in its summary), over at least eight regions."""
    docs = _scenarios()
    assert len({d["region"] for d in docs}) >= 8
    assert any("far-right" in d["summary"] or "ethno-nationalist" in d["summary"] for d in docs)
