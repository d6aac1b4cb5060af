"""The catalog's translatable texts by stable id: the one rule a toolkit translation follows.

A translation of the catalog (`scenarios/toolkit.LANG.po`) keys each text by the id this module
gives it (`practice.GP21.title`, `action.GP21.S4.text`, `indicator.corruption.3.text`, ...).
Extracting a template, checking a translation and applying it all walk the catalog through
`catalog_texts`, so the three can never disagree about which texts exist or what they are called.
Standards, treaty names, examples and URLs are proper names and stay as they are.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.toolkit.catalog import Catalog, GoodPractice


def _practice_texts(gp: GoodPractice) -> Iterator[tuple[str, str]]:
    yield f"practice.{gp.id}.title", gp.title
    yield f"practice.{gp.id}.short_title", gp.short_title
    yield f"practice.{gp.id}.summary", gp.summary
    for group in gp.actions:
        yield f"action.{group.id}.title", group.title
    for ka in gp.key_actions:
        yield f"action.{ka.id}.text", ka.text
    for n, actor in enumerate(gp.key_actors):
        yield f"practice.{gp.id}.key_actor.{n}", actor


def iter_catalog_texts(catalog: Catalog) -> Iterator[tuple[str, str]]:
    """(id, base text) for every translatable text, in catalog order."""
    for area in catalog.areas:
        yield f"area.{area.id}.name", area.name
    for gp in catalog.good_practices:
        yield from _practice_texts(gp)
    for wp in catalog.watch_points:
        yield f"watch_point.{wp.id}.name", wp.name
        yield f"watch_point.{wp.id}.description", wp.description
        for ind in wp.indicators:
            yield f"indicator.{ind.id}.text", ind.text
    for m in catalog.manifestations:
        yield f"manifestation.{m.id}.name", m.name
        yield f"manifestation.{m.id}.definition", m.definition
    for env in catalog.environments:
        yield f"environment.{env.id}.name", env.name
        yield f"environment.{env.id}.description", env.description


def catalog_texts(catalog: Catalog) -> dict[str, str]:
    """Every translatable text of the catalog by its id (insertion order = catalog order)."""
    return dict(iter_catalog_texts(catalog))
