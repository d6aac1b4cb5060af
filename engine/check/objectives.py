"""Checks of a scenario's `objectives` (NTX220-NTX223).

An objective is evaluated through the key actions of its practices: the after-action report
rates it from the decisions that recommend those key actions. So an objective naming a practice
the toolkit does not have is an error (NTX220), and one naming a practice that no decision of the
scenario ever recommends cannot be shown by play (NTX221, a warning): precisely, practice P is
"recommended" when some decision scene lists in `recommended` a key action whose practice is P
(or, for a practice merged into another in the toolkit, the practice it was merged with).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from typing import Any, Protocol

from engine.core.diagnostics import did_you_mean
from engine.core.i18n import _
from engine.load.schema_check import show_path

PathT = tuple[str | int, ...]


class Reporter(Protocol):
    def add(self, code: str, path: PathT, message: str, *, at_key: bool = False) -> None: ...


def recommended_practices(scenes: dict[Any, Any]) -> set[str]:
    """Practices with at least one key action recommended at some decision (prefix of the id)."""
    found: set[str] = set()
    for scene in scenes.values():
        if not isinstance(scene, dict) or scene.get("kind") != "decision":
            continue
        for ka in scene.get("recommended") or ():
            if isinstance(ka, str) and ka:
                found.add(ka.split(".", 1)[0])
    return found


def check_objectives(
    r: Reporter,
    data: dict[str, Any],
    known_practices: Collection[str] | None,
    merged: Mapping[str, str] | None = None,
) -> None:
    """Duplicate ids, unknown practices, practices no decision recommends, undeclared ones."""
    objectives = data.get("objectives")
    if not isinstance(objectives, list):
        return
    scenes = data.get("scenes")
    recommended = recommended_practices(scenes if isinstance(scenes, dict) else {})
    declared = {p for p in data.get("good_practices") or () if isinstance(p, str)}
    merged = merged or {}
    seen: dict[str, int] = {}
    for index, objective in enumerate(objectives):
        if not isinstance(objective, dict):
            continue
        base: PathT = ("objectives", index)
        oid = objective.get("id")
        if isinstance(oid, str):
            if oid in seen:
                r.add(
                    "NTX222",
                    base + ("id",),
                    _(
                        "{where}: objective id '{id}' is used twice (first as {first}); "
                        "objective ids must be unique"
                    ).format(where=show_path(base), id=oid, first=f"objectives[{seen[oid]}]"),
                )
            else:
                seen[oid] = index
        practices = objective.get("practices")
        if not isinstance(practices, list):
            continue
        for pindex, gp in enumerate(practices):
            if not isinstance(gp, str):
                continue
            path = base + ("practices", pindex)
            if known_practices is not None and gp not in known_practices:
                r.add(
                    "NTX220",
                    path,
                    _(
                        "{where}: '{practice}' is not a good practice of the toolkit (GP1 to GP25)"
                    ).format(where=show_path(base + ("practices",)), practice=gp)
                    + did_you_mean(gp, known_practices),
                )
                continue
            if gp not in recommended and merged.get(gp) not in recommended:
                r.add(
                    "NTX221",
                    path,
                    _(
                        "{where}: no decision recommends a key action of {practice}, so play "
                        "cannot show this objective through it; recommend one of its key "
                        "actions at a decision, or name another practice"
                    ).format(where=show_path(base + ("practices",)), practice=gp),
                )
            elif declared and gp not in declared:
                r.add(
                    "NTX223",
                    path,
                    _(
                        "{where}: {practice} is not in good_practices; add it there so the "
                        "exercise declares what it trains"
                    ).format(where=show_path(base + ("practices",)), practice=gp),
                )
