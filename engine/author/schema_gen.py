"""The catalog-derived parts of the scenario schema, so editors complete the toolkit's ids.

`schemas/scenario.schema.json` is written by hand except for the `$defs` named in
`CATALOG_DEFS`: those list the catalog's ids (`enum`) with the toolkit's words beside each one
(`markdownEnumDescriptions`, which the YAML language server shows in completion and hover) and a
readable `errorMessage`/`patternErrorMessage` for a wrong value. `regenerate` rewrites only those
definitions in a copy of the schema, so everything else in the file (others' edits included)
survives; `nexus-ttx schema --generate` writes the result and a test fails when the committed
file and `scenarios/toolkit.yaml` disagree.

Key actions, indicators and practices keep their `pattern` and carry `x-enum-checked-by`: the
validator leaves their `enum` to editors and checks the id against the catalog it loads, where it
can name the nearest id (NTX204, NTX205) instead of listing a hundred.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Sequence

from engine.core.jsontypes import JSON, JSONObject
from engine.toolkit.catalog import Catalog

Schema = JSONObject  # a JSON Schema (a document of JSON)

KEY_ACTION_SHAPE = r"^GP([1-9]|1[0-9]|2[0-5])(\.A[0-9]+(\.S[0-9]+)?|\.S[0-9]+)$"
PRACTICE_SHAPE = r"^GP([1-9]|1[0-9]|2[0-5])$"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _listed(
    ids: Sequence[str], docs: Sequence[str], description: str, error: str, **extra: JSON
) -> Schema:
    return {
        **extra,
        "enum": list(ids),
        "markdownEnumDescriptions": list(docs),
        "errorMessage": error,
        "description": description,
    }


def key_action_def(catalog: Catalog) -> Schema:
    ids, docs = [], []
    for gp in catalog.good_practices:
        for ka in gp.key_actions:
            ids.append(ka.id)
            docs.append(f"**{ka.id}** — {_one_line(ka.text)}\n\n*{gp.id}: {gp.short_title}*")
    message = (
        "Not a key action of the toolkit. Key actions are numbered as in the toolkit "
        "(GP21.S4, GP24.A2, GP22.A5.S1): type GP and the practice's number to pick one from "
        "the list, or run `nexus-ttx toolkit GP21`."
    )
    return _listed(
        ids,
        docs,
        "A key action of the toolkit, e.g. GP21.S4 (step 4 of GP21), GP24.A2 (action 2), "
        "GP22.A5.S1 (step 1 of action 5). `nexus-ttx toolkit GP21` lists them.",
        message,
        type="string",
        pattern=KEY_ACTION_SHAPE,
        patternErrorMessage=message,
        **{"x-enum-checked-by": "NTX204"},
    )


def practice_def(catalog: Catalog) -> Schema:
    ids = [gp.id for gp in catalog.good_practices]
    docs = [
        f"**{gp.id}** — {gp.short_title}: {_one_line(gp.title)}" for gp in catalog.good_practices
    ]
    message = f"Not a good practice of the toolkit: {ids[0]} to {ids[-1]}."
    return _listed(
        ids,
        docs,
        f"A good practice id, {ids[0]} to {ids[-1]}.",
        message,
        type="string",
        pattern=PRACTICE_SHAPE,
        patternErrorMessage=message,
        **{"x-enum-checked-by": "pattern"},
    )


def factor_def(catalog: Catalog) -> Schema:
    wps = catalog.watch_points
    groups: dict[str, list[str]] = {}
    for wp in wps:
        groups.setdefault(wp.group, []).append(wp.id)
    listed = ". ".join(f"{g.capitalize()}: {', '.join(ids)}" for g, ids in groups.items())
    return _listed(
        [wp.id for wp in wps],
        [f"**{wp.id}** — {wp.name} ({wp.group}): {_one_line(wp.description)}" for wp in wps],
        f"A watch-point factor. {listed}.",
        f"Not a watch-point factor. {listed}.",
    )


def scene_watch_point_def(catalog: Catalog) -> Schema:
    factors = "|".join(wp.id for wp in catalog.watch_points)
    indicators = [(wp, i) for wp in catalog.watch_points for i in wp.indicators]
    message = (
        "Not a watch-point indicator: a factor, a dot and the number of one of its indicators "
        "(corruption.3); `nexus-ttx toolkit corruption` lists them."
    )
    indicator = _listed(
        [i.id for _, i in indicators],
        [f"**{i.id}** — {wp.name}: {_one_line(i.text)}" for wp, i in indicators],
        "An indicator id: a factor id, a dot and the indicator's number (e.g. corruption.3).",
        message,
        type="string",
        pattern=rf"^({factors})\.[1-9][0-9]*$",
        patternErrorMessage=message,
        **{"x-enum-checked-by": "NTX205"},
    )
    return {
        "anyOf": [{"$ref": "#/$defs/factor"}, indicator],
        "description": "A watch-point factor (corruption) or one of its indicators (corruption.3).",
    }


def manifestation_def(catalog: Catalog) -> Schema:
    ms = catalog.manifestations
    groups: dict[str, list[str]] = {}
    for m in ms:
        groups.setdefault(m.nexus, []).append(m.id)
    listed = "; ".join(f"{', '.join(ids)} ({nexus})" for nexus, ids in groups.items())
    return _listed(
        [m.id for m in ms],
        [f"**{m.id}** — {m.name} ({m.nexus}): {_one_line(m.definition)}" for m in ms],
        f"A manifestation of the nexus: {listed}.",
        f"Not a manifestation of the nexus: {listed}.",
    )


def environment_def(catalog: Catalog) -> Schema:
    envs = catalog.environments
    listed = ", ".join(e.id for e in envs)
    return _listed(
        [e.id for e in envs],
        [f"**{e.id}** — {e.name}: {_one_line(e.description)}" for e in envs],
        f"A toolkit environment: {listed}.",
        f"Not a toolkit environment: one of {listed}.",
    )


CATALOG_DEFS: dict[str, Callable[[Catalog], Schema]] = {
    "environment": environment_def,
    "factor": factor_def,
    "manifestation": manifestation_def,
    "practiceId": practice_def,
    "keyActionId": key_action_def,
    "sceneWatchPoint": scene_watch_point_def,
}


def regenerate(schema: Schema, catalog: Catalog) -> Schema:
    """A copy of `schema` whose catalog-derived `$defs` are rebuilt from `catalog` (in place:
    key order and every other part are kept)."""
    out = copy.deepcopy(schema)
    defs = out.setdefault("$defs", {})
    if not isinstance(defs, dict):
        raise ValueError("the schema's $defs is not an object")
    for name, build in CATALOG_DEFS.items():
        defs[name] = build(catalog)
    return out


def render(schema: Schema) -> str:
    """The file's text: two-space JSON, UTF-8 as written, newline at the end."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
