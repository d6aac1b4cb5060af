"""A scenario's translatable texts by stable id, and a translation applied to them.

`scenario_fields` is the one rule for which texts of a scenario a translator sees and what each
is called (`scene.briefing.text`, `choice.first-call.brief-the-prosecutor.feedback`, ...):
extracting a template, updating a translation, checking it and applying it at load time all walk
the document through it, so they can never disagree. Ids are built from the scenario's own ids,
never from positions, except list items that have no id of their own (`discussion.<n>`).
It reads the document as loaded (plain dicts and lists, before the model is built), so texts the
model does not carry yet are still found, and applying a translation changes texts only: the
model built from the translated document has the same scenes, choices, conditions and effects.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import Any, NamedTuple

from engine.load.translation import Translation, base_text
from engine.load.yamlload import value_at

PathElem = str | int
FieldPath = tuple[PathElem, ...]


class Field(NamedTuple):
    """One translatable text: its id, the base text as msgids carry it, where it is."""

    id: str
    text: str
    path: FieldPath  # inside the document, for positions and for applying


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _at(data: Any, path: FieldPath, field_id: str) -> Iterator[Field]:
    node = value_at(data, path)
    if _text(node):
        yield Field(field_id, base_text(node), path)


def _mapping(value: Any) -> Mapping[str, Any]:
    return value if isinstance(value, Mapping) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _ided(items: Any) -> Iterator[tuple[int, str, Mapping[str, Any]]]:
    """(index, id, item) for the list items that have a string id."""
    for n, item in enumerate(_list(items)):
        if isinstance(item, Mapping) and isinstance(item.get("id"), str):
            yield n, item["id"], item


def _listed(data: Any, path: FieldPath, prefix: str) -> Iterator[Field]:
    for n, _item in enumerate(_list(value_at(data, path))):
        yield from _at(data, (*path, n), f"{prefix}.{n}")


def _private(data: Any, path: FieldPath, prefix: str) -> Iterator[Field]:
    for role in _mapping(value_at(data, path)):
        yield from _at(data, (*path, role), f"{prefix}.private.{role}")


def _scene_fields(data: Any, scene_id: str, scene: Mapping[str, Any]) -> Iterator[Field]:
    base: FieldPath = ("scenes", scene_id)
    yield from _at(data, (*base, "title"), f"scene.{scene_id}.title")
    yield from _at(data, (*base, "text"), f"scene.{scene_id}.text")
    yield from _listed(data, (*base, "discussion"), f"scene.{scene_id}.discussion")
    yield from _private(data, (*base, "private"), f"scene.{scene_id}")
    for n, choice_id, _choice in _ided(scene.get("choices")):
        where = (*base, "choices", n)
        yield from _at(data, (*where, "text"), f"choice.{scene_id}.{choice_id}.text")
        yield from _at(data, (*where, "feedback"), f"choice.{scene_id}.{choice_id}.feedback")
    for n, option_id, _option in _ided(scene.get("options")):
        yield from _at(data, (*base, "options", n, "text"), f"option.{scene_id}.{option_id}.text")


def _inject_fields(data: Any, n: int, inject_id: str) -> Iterator[Field]:
    base: FieldPath = ("injects", n)
    yield from _at(data, (*base, "title"), f"inject.{inject_id}.title")
    yield from _at(data, (*base, "text"), f"inject.{inject_id}.text")
    yield from _listed(data, (*base, "discussion"), f"inject.{inject_id}.discussion")
    yield from _private(data, (*base, "private"), f"inject.{inject_id}")


def iter_scenario_fields(data: Any) -> Iterator[Field]:
    """Every translatable text of a scenario document, in reading order."""
    for key in ("title", "summary", "region"):
        yield from _at(data, (key,), f"scenario.{key}")
    yield from _listed(data, ("audience",), "scenario.audience")
    for name in _mapping(_mapping(data).get("variables")):
        yield from _at(data, ("variables", name, "label"), f"variable.{name}.label")
    for n, objective_id, _objective in _ided(_mapping(data).get("objectives")):
        yield from _at(data, ("objectives", n, "text"), f"objective.{objective_id}.text")
    for n, role_id, _role in _ided(_mapping(data).get("roles")):
        for key in ("title", "agency", "brief"):
            yield from _at(data, ("roles", n, key), f"role.{role_id}.{key}")
    for scene_id, scene in _mapping(_mapping(data).get("scenes")).items():
        if isinstance(scene, Mapping):
            yield from _scene_fields(data, scene_id, scene)
    for n, inject_id, _inject in _ided(_mapping(data).get("injects")):
        yield from _inject_fields(data, n, inject_id)


def scenario_fields(data: Any) -> dict[str, Field]:
    """`iter_scenario_fields` by id (the first wins if a broken document repeats an id)."""
    fields: dict[str, Field] = {}
    for f in iter_scenario_fields(data):
        fields.setdefault(f.id, f)
    return fields


class Applied(NamedTuple):
    """A translated document, and how many of its texts the translation replaced."""

    data: dict[str, Any]
    translated: int
    total: int


def _set(data: Any, path: FieldPath, text: str) -> None:
    node = data
    for elem in path[:-1]:
        node = node[elem]
    old = node[path[-1]]
    node[path[-1]] = text + old[len(old.rstrip("\n")) :]  # keep the base's trailing newline


def apply_translation(data: Mapping[str, Any], translation: Translation) -> Applied:
    """A copy of the document with every usable translated text in place of the base one.

    Usable: a non-empty msgstr, not fuzzy, whose msgid is the current base text; any other
    field keeps its base text (per-string fallback). Ids, logic and the `language` key (the
    base language) are untouched."""
    fields = scenario_fields(data)
    out = copy.deepcopy(dict(data))
    translated = 0
    for f in fields.values():
        text = translation.text_for(f.id, f.text)
        if text is not None:
            _set(out, f.path, text)
            translated += 1
    return Applied(out, translated, len(fields))
