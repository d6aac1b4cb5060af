"""The toolkit catalog's rules beyond its JSON Schema (NTX402-NTX404): unique ids, ids that
match their parents, references that resolve. `validate` runs them on a catalog file, and
`load_catalog` runs them (with the schema) before it builds anything: one set of checks.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from engine.core.diagnostics import Diagnostic
from engine.core.i18n import _
from engine.load.reporter import PathT, Reporter
from engine.load.schema_check import show_path
from engine.load.yamlload import SourceMap


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


class _Ids:
    """Every id in the catalog is unique (NTX402), whatever kind of item it names."""

    def __init__(self, r: Reporter, source: SourceMap) -> None:
        self.r = r
        self.source = source
        self.seen: dict[str, PathT] = {}

    def add(self, path: PathT, value: Any) -> None:
        if not isinstance(value, str):
            return
        if value in self.seen:
            first = self.source.locate(self.seen[value]).line
            self.r.add(
                "NTX402",
                path,
                _("{where}: id '{id}' is used twice (first on line {line})").format(
                    where=show_path(path), id=value, line=first
                ),
            )
        else:
            self.seen[value] = path


def check_toolkit(
    data: dict[str, Any], source: SourceMap, file: str, skip: Collection[PathT] = ()
) -> list[Diagnostic]:
    """Consistency of a catalog file beyond its schema: unique ids that match their parents."""
    r = Reporter(source, file, skip)
    ids = _Ids(r, source)
    area_of = _areas(r, ids, data)
    for index, item in enumerate(_list(data.get("good_practices"))):
        _practice(r, ids, ("good_practices", index), _dict(item), area_of, data)
    for index, entry in enumerate(_list(data.get("watch_points"))):
        _watch_point(r, ids, ("watch_points", index), _dict(entry))
    for field in ("manifestations", "environments"):
        for index, item in enumerate(_list(data.get(field))):
            ids.add((field, index, "id"), _dict(item).get("id"))
    return r.out


def _practice_ids(data: dict[str, Any]) -> set[Any]:
    return {p.get("id") for p in _list(data.get("good_practices")) if isinstance(p, dict)}


def _areas(r: Reporter, ids: _Ids, data: dict[str, Any]) -> dict[str, Any]:
    """Area ids, and every practice an area lists is a practice of this file (NTX404).
    Returns practice id -> the area that lists it."""
    from engine.core.diagnostics import did_you_mean

    area_of: dict[str, Any] = {}
    practice_ids = _practice_ids(data)
    for index, item in enumerate(_list(data.get("areas"))):
        area = _dict(item)
        ids.add(("areas", index, "id"), area.get("id"))
        for pindex, pid in enumerate(_list(area.get("practices"))):
            if not isinstance(pid, str):
                continue
            area_of.setdefault(pid, area.get("id"))
            if pid not in practice_ids:
                r.add(
                    "NTX404",
                    ("areas", index, "practices", pindex),
                    _("{where}: '{id}' is not a good practice in this file").format(
                        where=f"areas[{index}].practices", id=pid
                    )
                    + did_you_mean(pid, [p for p in practice_ids if isinstance(p, str)]),
                )
    return area_of


def _practice(
    r: Reporter,
    ids: _Ids,
    base: PathT,
    gp: dict[Any, Any],
    area_of: dict[str, Any],
    data: dict[str, Any],
) -> None:
    gid = gp.get("id")
    ids.add(base + ("id",), gid)
    if not isinstance(gid, str):
        return
    number = gp.get("number")
    if isinstance(number, int) and gid != f"GP{number}":
        r.add(
            "NTX403",
            base + ("number",),
            _("{where}: number {number} does not match id {id}").format(
                where=show_path(base), number=number, id=gid
            ),
        )
    said = gp.get("area")
    if isinstance(said, str) and gid in area_of and area_of[gid] != said:
        r.add(
            "NTX403",
            base + ("area",),
            _("{where}: {id} says area '{said}' but is listed under area '{listed}'").format(
                where=show_path(base), id=gid, said=said, listed=area_of[gid]
            ),
        )
    if gid not in area_of and _list(data.get("areas")):
        r.add(
            "NTX403",
            base + ("id",),
            _("{where}: {id} is not listed under any area").format(where=show_path(base), id=gid),
        )
    merged = gp.get("merged_with")
    if isinstance(merged, str) and merged not in _practice_ids(data):
        r.add(
            "NTX404",
            base + ("merged_with",),
            _("{where}: merged_with '{id}' is not a good practice in this file").format(
                where=show_path(base), id=merged
            ),
        )
    actions = _actions(r, ids, base, gp, gid)
    for kindex, entry in enumerate(_list(gp.get("key_actions"))):
        _key_action(r, ids, base + ("key_actions", kindex), _dict(entry), gid, actions)


def _actions(r: Reporter, ids: _Ids, base: PathT, gp: dict[Any, Any], gid: str) -> set[Any]:
    """A grouped practice's actions: ids of the practice, each with steps or itself a key
    action. Returns the action ids."""
    actions = {a.get("id") for a in _list(gp.get("actions")) if isinstance(a, dict)}
    key_actions = [_dict(k) for k in _list(gp.get("key_actions"))]
    for aindex, action in enumerate(_list(gp.get("actions"))):
        aid = _dict(action).get("id")
        ids.add(base + ("actions", aindex, "id"), aid)
        if not isinstance(aid, str):
            continue
        if not aid.startswith(gid + "."):
            r.add(
                "NTX403",
                base + ("actions", aindex, "id"),
                _("{where}: action '{action}' does not belong to {id}").format(
                    where=show_path(base), action=aid, id=gid
                ),
            )
        if not any(k.get("action") == aid or k.get("id") == aid for k in key_actions):
            r.add(
                "NTX403",
                base + ("actions", aindex, "id"),
                _("{where}: action '{action}' has no steps and is not a key action").format(
                    where=show_path(base), action=aid
                ),
            )
    return actions


def _key_action(
    r: Reporter, ids: _Ids, kpath: PathT, ka: dict[Any, Any], gid: str, actions: set[Any]
) -> None:
    kid = ka.get("id")
    if isinstance(kid, str) and kid not in actions:  # a leaf action is also a key action
        ids.add(kpath + ("id",), kid)
    if isinstance(kid, str) and not kid.startswith(gid + "."):
        r.add(
            "NTX403",
            kpath + ("id",),
            _("{where}: key action '{action}' does not belong to {id}").format(
                where=show_path(kpath), action=kid, id=gid
            ),
        )
    parent = ka.get("action")
    if not isinstance(parent, str):
        return
    if parent not in actions:
        r.add(
            "NTX404",
            kpath + ("action",),
            _("{where}: action '{action}' is not among {id}'s actions").format(
                where=show_path(kpath), action=parent, id=gid
            ),
        )
    elif isinstance(kid, str) and not kid.startswith(parent + "."):
        r.add(
            "NTX403",
            kpath + ("id",),
            _("{where}: '{id}' is not a step of its action {action}").format(
                where=show_path(kpath), id=kid, action=parent
            ),
        )


def _watch_point(r: Reporter, ids: _Ids, base: PathT, factor: dict[Any, Any]) -> None:
    fid = factor.get("id")
    ids.add(base + ("id",), fid)
    for iindex, indicator in enumerate(_list(factor.get("indicators"))):
        iid = _dict(indicator).get("id")
        ids.add(base + ("indicators", iindex, "id"), iid)
        expected = f"{fid}.{iindex + 1}"
        if isinstance(iid, str) and isinstance(fid, str) and iid != expected:
            r.add(
                "NTX403",
                base + ("indicators", iindex, "id"),
                _(
                    "{where}: indicator {n} of '{factor}' must have the id '{expected}', not '{id}'"
                ).format(
                    where=show_path(base), n=iindex + 1, factor=fid, expected=expected, id=iid
                ),
            )
