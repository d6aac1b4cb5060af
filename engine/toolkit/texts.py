"""The catalog's translatable texts by stable id: the one rule a toolkit translation follows.

A translation of the catalog (`scenarios/toolkit.LANG.po`) keys each text by the id this module
gives it (`practice.GP21.title`, `action.GP21.S4.text`, `indicator.corruption.3.text`, ...).
`localize` walks the catalog once, asking for every text by its id; listing the texts (to write
a template or check a translation) is that same walk with a recorder instead of a translator, so
listing, checking and applying can never disagree about which texts exist or what they are called.
Standards, treaty names, examples and URLs are proper names and stay as they are; ids never change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the catalog calls `localize`: at run time this module only reads instances
    from engine.toolkit.catalog import (
        Area,
        Catalog,
        Environment,
        GoodPractice,
        Manifestation,
        WatchPoint,
    )

Translate = Callable[[str, str], str]
"""(id, base text) -> the text to use: the translation, or the base text to fall back to."""


def _area(a: Area, tr: Translate) -> Area:
    return replace(a, name=tr(f"area.{a.id}.name", a.name))


def _practice(gp: GoodPractice, tr: Translate) -> GoodPractice:
    p = f"practice.{gp.id}"
    title = tr(f"{p}.title", gp.title)
    short_title = tr(f"{p}.short_title", gp.short_title)
    summary = tr(f"{p}.summary", gp.summary)
    actions = tuple(replace(a, title=tr(f"action.{a.id}.title", a.title)) for a in gp.actions)
    key_actions = tuple(replace(k, text=tr(f"action.{k.id}.text", k.text)) for k in gp.key_actions)
    key_actors = tuple(tr(f"{p}.key_actor.{n}", actor) for n, actor in enumerate(gp.key_actors))
    return replace(
        gp,
        title=title,
        short_title=short_title,
        summary=summary,
        actions=actions,
        key_actions=key_actions,
        key_actors=key_actors,
    )


def _watch_point(wp: WatchPoint, tr: Translate) -> WatchPoint:
    w = f"watch_point.{wp.id}"
    name = tr(f"{w}.name", wp.name)
    description = tr(f"{w}.description", wp.description)
    indicators = tuple(replace(i, text=tr(f"indicator.{i.id}.text", i.text)) for i in wp.indicators)
    return replace(wp, name=name, description=description, indicators=indicators)


def _manifestation(m: Manifestation, tr: Translate) -> Manifestation:
    name = tr(f"manifestation.{m.id}.name", m.name)
    return replace(m, name=name, definition=tr(f"manifestation.{m.id}.definition", m.definition))


def _environment(e: Environment, tr: Translate) -> Environment:
    name = tr(f"environment.{e.id}.name", e.name)
    return replace(e, name=name, description=tr(f"environment.{e.id}.description", e.description))


def localize(catalog: Catalog, tr: Translate) -> Catalog:
    """The same catalog (same ids, order, numbers, standards and examples) with every
    translatable text replaced by `tr(id, base)`."""
    return replace(
        catalog,
        areas=tuple(_area(a, tr) for a in catalog.areas),
        good_practices=tuple(_practice(gp, tr) for gp in catalog.good_practices),
        watch_points=tuple(_watch_point(wp, tr) for wp in catalog.watch_points),
        manifestations=tuple(_manifestation(m, tr) for m in catalog.manifestations),
        environments=tuple(_environment(e, tr) for e in catalog.environments),
    )


def catalog_texts(catalog: Catalog) -> dict[str, str]:
    """Every translatable text of the catalog by its id, in catalog order."""
    found: dict[str, str] = {}

    def record(field_id: str, base: str) -> str:
        found.setdefault(field_id, base)
        return base

    localize(catalog, record)
    return found
