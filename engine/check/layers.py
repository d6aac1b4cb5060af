"""Checks of role cards, timing profiles, on-demand injects and identify drills (NTX230-NTX239).

These parts of the format are optional; each rule here keeps them meaningful in play:
- a `private` text must name a declared role (NTX231), role ids are unique (NTX230);
- an identify drill must discriminate: at least one correct option and at least one distractor
  (NTX233, NTX234); its option ids are unique (NTX235) and every tag is a watch-point factor,
  indicator or manifestation of the toolkit (NTX232);
- inject ids are unique (NTX237) and never the id of a scene (NTX236), since sessions, reports
  and translation files name both by id; their conditions and variables are checked like a
  choice's (NTX207-NTX209, by the caller's condition checker);
- timing profiles grow: short <= standard <= long, for the total and the per-decision minutes,
  and a decision never takes longer than the whole exercise (NTX238).
Correctness of an option is the model's rule (`Scene.is_correct`), so play and checks agree.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from functools import partial
from itertools import pairwise
from typing import Any, Protocol

from engine.core.diagnostics import did_you_mean
from engine.core.i18n import N_, _
from engine.core.model import TIMING_PROFILES, Option, Scene, SceneKind
from engine.load.schema_check import show_path

PathT = tuple[str | int, ...]


class Reporter(Protocol):
    def add(
        self, code: str, path: PathT, message: str | Callable[[], str], *, at_key: bool = False
    ) -> None: ...


ConditionCheck = Callable[[PathT, Any], None]


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


#: NTX230/NTX235/NTX237: an id used twice, by what it names (message ids).
_TWICE = {
    "role": N_("{where}: role id '{id}' is used twice (first as {first}); role ids must be unique"),
    "option": N_(
        "{where}: option id '{id}' is used twice (first as {first}); option ids must be unique"
    ),
    "inject": N_(
        "{where}: inject id '{id}' is used twice (first as {first}); inject ids must be unique"
    ),
}


def _unique_ids(r: Reporter, items: list[Any], base: PathT, code: str, what: str) -> list[str]:
    """The ids of `items` (dicts), reporting each id used a second time."""
    seen: dict[str, int] = {}
    for index, item in enumerate(items):
        iid = _dict(item).get("id")
        if not isinstance(iid, str):
            continue
        if iid in seen:
            r.add(
                code,
                base + (index, "id"),
                _(_TWICE[what]).format(
                    where=show_path(base + (index,)),
                    id=iid,
                    first=show_path(base + (seen[iid],)),
                ),
            )
        else:
            seen[iid] = index
    return list(seen)


def check_layers(
    r: Reporter,
    data: dict[str, Any],
    check_condition: ConditionCheck,
    variables: Collection[str],
    tag_ids: Collection[str] | None,
) -> None:
    """Roles, private texts, timing, injects and drills. `tag_ids` are the catalog's factor,
    indicator and manifestation ids (None: the catalog could not be loaded, tags unchecked)."""
    roles = _unique_ids(r, _list(data.get("roles")), ("roles",), "NTX230", "role")
    scenes = _dict(data.get("scenes"))
    for sid, scene in scenes.items():
        if not isinstance(scene, dict):
            continue
        _check_private(r, ("scenes", sid, "private"), scene.get("private"), roles)
        if scene.get("kind") == "identify":
            _check_drill(r, ("scenes", sid), scene, tag_ids)
    _check_injects(r, data, scenes, roles, check_condition, variables)
    _check_timing(r, _dict(data.get("timing")))


def _check_private(r: Reporter, path: PathT, value: Any, roles: list[str]) -> None:
    for role in _dict(value):
        if not isinstance(role, str) or role in roles:
            continue
        known = (
            _("; the roles are {roles}").format(roles=", ".join(roles)) + did_you_mean(role, roles)
            if roles
            else _("; the scenario declares no roles (add them under `roles:`)")
        )
        r.add(
            "NTX231",
            path + (role,),
            _("{where}: there is no role '{role}'").format(where=show_path(path), role=role)
            + known,
            at_key=True,
        )


def _check_drill(
    r: Reporter, base: PathT, scene: dict[str, Any], tag_ids: Collection[str] | None
) -> None:
    options = _list(scene.get("options"))
    _unique_ids(r, options, base + ("options",), "NTX235", "option")
    parsed: list[Option] = []
    for index, option in enumerate(options):
        opt = _dict(option)
        tags = [t for t in _list(opt.get("tags")) if isinstance(t, str)]
        if tag_ids is not None:
            for tindex, tag in enumerate(tags):
                if tag not in tag_ids:
                    r.add(
                        "NTX232",
                        base + ("options", index, "tags", tindex),
                        partial(_unknown_tag, base + ("options", index, "tags"), tag, tag_ids),
                    )
        if isinstance(opt.get("id"), str):
            parsed.append(Option(opt["id"], str(opt.get("text", "")), tuple(tags)))
    if not parsed:
        return
    answer = Scene(
        id=str(base[-1]),
        kind=SceneKind.IDENTIFY,
        title="",
        text="",
        watch_points=tuple(w for w in _list(scene.get("watch_points")) if isinstance(w, str)),
        manifestations=tuple(m for m in _list(scene.get("manifestations")) if isinstance(m, str)),
    )
    correct = [o.id for o in parsed if answer.is_correct(o)]
    where = show_path(base)
    if not correct:
        r.add(
            "NTX233",
            base + ("options",),
            _(
                "{where}: no option is correct: none has a tag in the drill's answer "
                "(watch_points {watch_points}, manifestations {manifestations}); tag the "
                "statements that show them"
            ).format(
                where=where,
                watch_points=list(answer.watch_points),
                manifestations=list(answer.manifestations),
            ),
            at_key=True,
        )
    elif len(correct) == len(parsed):
        r.add(
            "NTX234",
            base + ("options",),
            _(
                "{where}: every option is correct, so selecting everything scores full marks; "
                "add distractors (options whose tags are not in the answer)"
            ).format(where=where),
            at_key=True,
        )


def _unknown_tag(path: PathT, tag: str, known: Collection[str]) -> str:
    return _("{where}: '{tag}' is not a watch-point factor, indicator or manifestation").format(
        where=show_path(path), tag=tag
    ) + did_you_mean(tag, known)


def _check_injects(
    r: Reporter,
    data: dict[str, Any],
    scenes: dict[Any, Any],
    roles: list[str],
    check_condition: ConditionCheck,
    variables: Collection[str],
) -> None:
    injects = _list(data.get("injects"))
    ids = _unique_ids(r, injects, ("injects",), "NTX237", "inject")
    for index, inject in enumerate(injects):
        item = _dict(inject)
        path: PathT = ("injects", index)
        iid = item.get("id")
        if isinstance(iid, str) and iid in scenes and iid in ids:
            r.add(
                "NTX236",
                path + ("id",),
                _(
                    "{where}: inject id '{id}' is also a scene's id; sessions, reports and "
                    "translations name injects and scenes by id, so give the inject its own"
                ).format(where=show_path(path), id=iid),
            )
        if "if" in item:
            check_condition(path + ("if",), item["if"])
        for field in ("effects", "set"):
            for name in _dict(item.get(field)):
                if isinstance(name, str) and name not in variables:
                    r.add(
                        "NTX207",
                        path + (field, name),
                        _("{where}: '{name}' is not declared in variables").format(
                            where=show_path(path + (field,)), name=name
                        )
                        + did_you_mean(name, list(variables)),
                        at_key=True,
                    )
        _check_private(r, path + ("private",), item.get("private"), roles)


def _check_timing(r: Reporter, timing: dict[str, Any]) -> None:
    profiles: list[tuple[str, int, int]] = []
    for name in TIMING_PROFILES:
        spec = _dict(timing.get(name))
        total, decision = spec.get("total"), spec.get("decision")
        if not (isinstance(total, int) and isinstance(decision, int)):
            continue
        if isinstance(total, bool) or isinstance(decision, bool):
            continue
        if decision > total:
            r.add(
                "NTX238",
                ("timing", name, "decision"),
                _(
                    "timing.{profile}: a decision ({decision} min) cannot take longer than the "
                    "whole exercise ({total} min)"
                ).format(profile=name, decision=decision, total=total),
            )
        profiles.append((name, total, decision))
    for (a, at, ad), (b, bt, bd) in pairwise(profiles):
        for what, x, y in (("total", at, bt), ("decision", ad, bd)):
            if x > y:
                r.add(
                    "NTX238",
                    ("timing", b, what),
                    _(
                        "timing.{profile}.{key}: {value} min is less than {shorter}'s {limit} "
                        "min; profiles grow from short to standard to long"
                    ).format(profile=b, key=what, value=y, shorter=a, limit=x),
                )
