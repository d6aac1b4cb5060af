"""Checks beyond the schema: does every reference point at something that exists?

The schema says a `goto` is shaped like a scene id; only here do we learn whether that scene
exists, whether `GP21.S9` is a real key action, whether `trst` was declared, and whether a
condition parses. Every check has its own code and offers "did you mean" for near misses.

The pass runs even when the schema found problems (authors want every error in one go), so it
reads the document defensively and stays quiet at paths the schema already reported as
malformed (`skip`), to give one diagnostic per problem.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from functools import partial
from typing import TYPE_CHECKING, Any

from engine.check.layers import check_layers
from engine.check.objectives import check_objectives
from engine.core.diagnostics import Diagnostic, did_you_mean
from engine.core.i18n import _
from engine.load.reporter import Reporter
from engine.load.schema_check import show_path
from engine.load.yamlload import SourceMap

if TYPE_CHECKING:
    from engine.toolkit.index import CatalogIndex


PathT = tuple[str | int, ...]


def _strings(value: Any) -> Iterable[tuple[int, str]]:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, str):
                yield index, item


def _dict(value: Any) -> dict[Any, Any]:
    return value if isinstance(value, dict) else {}


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _load_catalog() -> CatalogIndex:
    from engine.toolkit.index import builtin_index

    return builtin_index()


def check_scenario(
    data: dict[str, Any],
    source: SourceMap,
    file: str,
    skip: Collection[PathT] = (),
    catalog_loader: Callable[[], CatalogIndex] = _load_catalog,
) -> list[Diagnostic]:
    """All reference and meaning checks of a scenario document."""
    r = Reporter(source, file, skip)
    scenes = _dict(data.get("scenes"))
    scene_ids = [s for s in scenes if isinstance(s, str)]
    variables = _check_variables(r, _dict(data.get("variables")))
    choice_ids = {
        sid: {
            c["id"]
            for c in scene["choices"]
            if isinstance(c, dict) and isinstance(c.get("id"), str)
        }
        for sid, scene in scenes.items()
        if isinstance(scene, dict) and isinstance(scene.get("choices"), list)
    }
    start = data.get("start")
    if isinstance(start, str) and start not in scenes:
        r.add(
            "NTX201",
            ("start",),
            _("start: there is no scene '{scene}'").format(scene=start)
            + did_you_mean(start, scene_ids),
        )

    catalog = _check_against_catalog(r, data, scenes, catalog_loader)
    conditions = _Conditions(r, set(variables), scenes, choice_ids)
    tag_ids = None if catalog is None else catalog.tags
    check_layers(r, data, conditions.check, variables, tag_ids)
    for sid, scene in scenes.items():
        if not isinstance(scene, dict):
            continue
        base: PathT = ("scenes", sid)
        if "next" in scene:
            _check_next(r, base + ("next",), scene["next"], scene_ids, conditions)
        choices = scene.get("choices")
        if isinstance(choices, list):
            _check_choices(r, source, base, choices, variables, scene_ids, conditions)
    return r.out


def _check_against_catalog(
    r: Reporter,
    data: dict[str, Any],
    scenes: dict[Any, Any],
    catalog_loader: Callable[[], CatalogIndex],
) -> CatalogIndex | None:
    """Key actions, practices, watch points and objectives against the toolkit catalog (the
    catalog is returned for later checks; None when it could not be loaded)."""
    catalog = None
    try:
        catalog = catalog_loader()
    except Exception as exc:  # any failure to load the catalog is reported, never raised
        r.add(
            "NTX401",
            (),
            _(
                "the toolkit catalog could not be loaded ({error}); key actions, "
                "practices and watch points were not checked"
            ).format(error=exc),
        )
    practices = [p for _, p in _strings(data.get("good_practices"))]
    if catalog is not None:
        _check_catalog_refs(r, data, scenes, catalog, practices)
    check_objectives(
        r,
        data,
        catalog.practices if catalog is not None else None,
        catalog.merged if catalog is not None else None,
    )
    return catalog


def _check_choices(
    r: Reporter,
    source: SourceMap,
    base: PathT,
    choices: list[Any],
    variables: list[str],
    scene_ids: list[str],
    conditions: _Conditions,
) -> None:
    """One scene's choices: unique ids, declared variables, harm explained, conditions, next."""
    seen: dict[str, int] = {}
    for index, choice in enumerate(choices):
        if not isinstance(choice, dict):
            continue
        path = base + ("choices", index)
        cid = choice.get("id")
        if isinstance(cid, str):
            if cid in seen:
                first = source.locate(base + ("choices", seen[cid], "id")).line
                r.add(
                    "NTX203",
                    path + ("id",),
                    _(
                        "{where}: choice id '{id}' is used twice (first on line {line}); "
                        "choice ids must be unique within a scene"
                    ).format(where=show_path(base), id=cid, line=first),
                )
            else:
                seen[cid] = index
        for field in ("effects", "set"):
            for name in _dict(choice.get(field)):
                if isinstance(name, str) and name not in variables:
                    r.add(
                        "NTX207",
                        path + (field, name),
                        partial(_undeclared, path + (field,), name, variables),
                        at_key=True,
                    )
        if choice.get("harmful") is True and not (
            isinstance(choice.get("feedback"), str) and choice["feedback"].strip()
        ):
            r.add(
                "NTX210",
                path + ("harmful",),
                _(
                    "{where}: a harmful choice needs 'feedback' explaining why it "
                    "contradicts the toolkit"
                ).format(where=show_path(path)),
                at_key=True,
            )
        if "if" in choice:
            conditions.check(path + ("if",), choice["if"])
        if "next" in choice:
            _check_next(r, path + ("next",), choice["next"], scene_ids, conditions)


def _check_variables(r: Reporter, variables: dict[Any, Any]) -> list[str]:
    from engine.core.expr import RESERVED

    names = []
    for name, spec in variables.items():
        if not isinstance(name, str):
            continue
        path: PathT = ("variables", name)
        if name in RESERVED:
            r.add(
                "NTX213",
                path,
                _(
                    "variables: '{name}' is a reserved word in conditions; choose another name"
                ).format(name=name),
                at_key=True,
            )
            continue
        names.append(name)
        bounds = _dict(spec)
        lo, hi, initial = (
            _int(bounds.get("min")),
            _int(bounds.get("max")),
            _int(bounds.get("initial")),
        )
        if lo is None or hi is None or initial is None:
            continue
        if lo > hi:
            r.add(
                "NTX212",
                path + ("min",),
                _("{where}: min ({min}) is greater than max ({max})").format(
                    where=show_path(path), min=lo, max=hi
                ),
            )
        elif not lo <= initial <= hi:
            r.add(
                "NTX212",
                path + ("initial",),
                _("{where}: initial value {initial} is outside [{min}, {max}]").format(
                    where=show_path(path), initial=initial, min=lo, max=hi
                ),
            )
    return names


def _check_catalog_refs(
    r: Reporter,
    data: dict[str, Any],
    scenes: dict[Any, Any],
    catalog: CatalogIndex,
    practices: list[str],
) -> None:
    # Scenario-level enums (environment, manifestations, factors, practice ids) are the schema's
    # job; a test keeps the schema's enums and the catalog's ids equal.
    factor_ids = catalog.factors
    indicator_ids = catalog.indicators
    key_action_ids = catalog.key_actions
    declared = set(practices)
    holders: list[tuple[PathT, Any]] = [(("scenes", sid), s) for sid, s in scenes.items()]
    injects = data.get("injects")
    if isinstance(injects, list):
        holders.extend((("injects", i), inj) for i, inj in enumerate(injects))
    for base, scene in holders:
        if not isinstance(scene, dict):
            continue
        for index, wp in _strings(scene.get("watch_points")):
            if wp in factor_ids or wp in indicator_ids:
                continue
            pool = indicator_ids if "." in wp else factor_ids
            factor = wp.partition(".")[0]
            extra = ""
            if factor in factor_ids and "." in wp:
                count = sum(1 for i in indicator_ids if i.startswith(factor + "."))
                extra = " " + _("('{factor}' has indicators {factor}.1 to {factor}.{n})").format(
                    factor=factor, n=count
                )
            r.add(
                "NTX205",
                base + ("watch_points", index),
                partial(_unknown_watch_point, base + ("watch_points",), wp, pool, extra),
            )
        for index, ka in _strings(scene.get("recommended")):
            if ka not in key_action_ids:
                r.add(
                    "NTX204",
                    base + ("recommended", index),
                    partial(_unknown_key_action, base + ("recommended",), ka, key_action_ids),
                )
                continue
            practice = catalog.practice_of[ka]
            if declared and practice not in declared:
                r.add(
                    "NTX211",
                    base + ("recommended", index),
                    _(
                        "{where}: {action} belongs to {practice}, which is not in "
                        "good_practices; add {practice} there or recommend another key action"
                    ).format(
                        where=show_path(base + ("recommended",)), action=ka, practice=practice
                    ),
                )
        for cindex, choice in enumerate(
            scene.get("choices") or () if isinstance(scene.get("choices"), list) else ()
        ):
            if not isinstance(choice, dict):
                continue
            path = base + ("choices", cindex, "enacts")
            for index, ka in _strings(choice.get("enacts")):
                if ka not in key_action_ids:
                    r.add(
                        "NTX204",
                        path + (index,),
                        partial(_unknown_key_action, path, ka, key_action_ids),
                    )


def _undeclared(path: PathT, name: str, variables: list[str]) -> str:
    return _("{where}: '{name}' is not declared in variables").format(
        where=show_path(path), name=name
    ) + did_you_mean(name, variables)


def _unknown_watch_point(path: PathT, wp: str, pool: Collection[str], extra: str) -> str:
    message = (
        _("{where}: '{id}' is not a watch-point indicator")
        if "." in wp
        else _("{where}: '{id}' is not a watch-point factor")
    )
    return message.format(where=show_path(path), id=wp) + extra + did_you_mean(wp, pool)


def _unknown_key_action(path: PathT, ka: str, known: Collection[str]) -> str:
    practice = ka.partition(".")[0]
    same = sorted(k for k in known if k.startswith(practice + "."))
    hint = did_you_mean(ka, known)
    if not hint and same:
        listed = ", ".join(same[:12]) + (", …" if len(same) > 12 else "")
        hint = _("; {practice} has {actions}").format(practice=practice, actions=listed)
    where = show_path(path)
    return _("{where}: '{id}' is not a key action in the toolkit").format(where=where, id=ka) + hint


def _check_next(
    r: Reporter, path: PathT, value: Any, scene_ids: list[str], conditions: _Conditions
) -> None:
    if isinstance(value, str):
        if value not in conditions.scenes:
            r.add(
                "NTX202",
                path,
                _("{where}: there is no scene '{scene}'").format(where=show_path(path), scene=value)
                + did_you_mean(value, scene_ids),
            )
        return
    if not isinstance(value, list):
        return
    last = len(value) - 1
    for index, branch in enumerate(value):
        if not isinstance(branch, dict):
            continue
        bpath = path + (index,)
        has_if = "if" in branch
        if index == last and has_if and last >= 0:
            r.add(
                "NTX214",
                bpath + ("if",),
                _(
                    "{where}: the last branch has an 'if'; end the list with a branch "
                    "without one (taken when no condition holds), e.g. - {{goto: SCENE}}"
                ).format(where=show_path(path)),
                at_key=True,
            )
        elif index < last and not has_if:
            r.add(
                "NTX214",
                bpath,
                _(
                    "{where}: only the last branch may omit 'if'; "
                    "the branches after this one could never be taken"
                ).format(where=show_path(bpath)),
            )
        goto = branch.get("goto")
        if isinstance(goto, str) and goto not in conditions.scenes:
            r.add(
                "NTX202",
                bpath + ("goto",),
                _("{where}: there is no scene '{scene}'").format(
                    where=show_path(bpath + ("goto",)), scene=goto
                )
                + did_you_mean(goto, scene_ids),
            )
        if has_if:
            conditions.check(bpath + ("if",), branch["if"])


class _Conditions:
    """Parse each `if` and check the names it reads against the scenario."""

    def __init__(
        self,
        r: Reporter,
        variables: set[str],
        scenes: dict[Any, Any],
        choice_ids: dict[Any, set[Any]],
    ) -> None:
        self.r = r
        self.variables = variables
        self.scenes = scenes
        self.choice_ids = choice_ids
        self.scene_ids = [s for s in scenes if isinstance(s, str)]
        self._parsed: dict[str, Any] = {}  # the same condition often appears many times

    def _parse(self, source: str) -> Any:
        from engine.core.expr import ExprError, parse

        if source not in self._parsed:
            try:
                self._parsed[source] = parse(source)
            except ExprError as exc:
                self._parsed[source] = exc
        return self._parsed[source]

    def check(self, path: PathT, source: Any) -> None:
        from engine.core.expr import ExprError

        if not isinstance(source, str) or self.r.skipped(path):
            return
        where = show_path(path)
        expr = self._parse(source)
        if isinstance(expr, ExprError):
            exc = expr
            self.r.add(
                "NTX208",
                path,
                _('{where}: {problem} in condition "{condition}"').format(
                    where=where, problem=exc.message, condition=_clip(source)
                ),
                column_offset=exc.offset,
            )
            return
        for name in sorted(expr.variables - self.variables):
            self.r.add(
                "NTX207",
                path,
                _("{where}: '{name}' is not declared in variables").format(where=where, name=name)
                + did_you_mean(name, self.variables),
                column_offset=_first(expr.offsets_of(name)),
            )
        for scene in sorted(expr.scene_refs):
            if scene not in self.scenes:
                self.r.add(
                    "NTX209",
                    path,
                    _("{where}: there is no scene '{scene}'").format(where=where, scene=scene)
                    + did_you_mean(scene, self.scene_ids),
                    column_offset=_first(expr.offsets_of(scene)),
                )
        for scene, choice in sorted(expr.choice_refs):
            if scene in self.scenes and choice not in self.choice_ids.get(scene, set()):
                known = sorted(c for c in self.choice_ids.get(scene, set()) if isinstance(c, str))
                hint = did_you_mean(choice, known) or (
                    _("; its choices are {choices}").format(choices=", ".join(known))
                    if known
                    else _("; it has no choices")
                )
                self.r.add(
                    "NTX209",
                    path,
                    _("{where}: scene '{scene}' has no choice '{choice}'").format(
                        where=where, scene=scene, choice=choice
                    )
                    + hint,
                    column_offset=_first(expr.offsets_of(scene)),
                )


def _first(offsets: list[int]) -> int:
    return offsets[0] if offsets else 0


def _clip(text: str, limit: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1] + "…"


# -- toolkit catalog files ----------------------------------------------------------------
