"""Findings for authors from the explored state space: the NTX3xx diagnostics.

Each finding names the scene, choice or declared practice it is about by its path in the
document (`("scenes", "call", "choices", 1)`), so `validate` can report it at that line and
column through the source map. Codes (documented in docs/diagnostics.md):

    NTX301 error    a scene can be re-entered in the same state: the session can loop forever
    NTX302 error    a reachable decision state offers no choice (dead end)
    NTX303 warning  a scene no playable path reaches
    NTX304 warning  a choice that is never offered in any reachable state
    NTX305 warning  an ending no playable path reaches
    NTX306 warning  a scored decision state where no offered choice enacts a recommended key
                    action (a non-harmful one): nothing can be earned there
    NTX307 warning  a practice in `good_practices` that no decision recommends
    NTX308 error    playing the scenario fails with a runtime error in a reachable state
    NTX309 warning  the exploration stopped at the state bound: the checks above that need
                    every state (unreachable, never offered) were not made
    NTX310–NTX314   a score that can be won without judgement, or harm without cost
                    (warnings; rules in `engine.analysis.judgement`)
    NTX320 warning  a branch of a `next` list that no reachable state takes
                    (`engine.analysis.branches`)

Findings that claim something about *all* states (unreachable, never offered, cannot score
everywhere) are only made when the exploration was complete; findings about *one* reachable
state (a loop, a dead end, a runtime error, a state where nothing scores) are always sound.
"""

from __future__ import annotations

from typing import NamedTuple

from engine.analysis.analysis_types import FindingJSON
from engine.analysis.branches import branch_findings
from engine.analysis.judgement import judgement_findings
from engine.analysis.statespace import (
    ACK,
    MAX_VALUE_CELLS,
    Explorer,
    StateSpace,
    inject_index,
)
from engine.core.diagnostics import CODES as REGISTRY
from engine.core.diagnostics import Diagnostic, Severity, make
from engine.core.i18n import _, ngettext
from engine.core.model import Scenario, SceneKind
from engine.load.yamlload import SourceMap
from engine.play.scoring import practice_of

#: The codes this module reports (their severities and titles are in the diagnostics registry).
CODES: tuple[str, ...] = (*(f"NTX3{n:02d}" for n in range(1, 15)), "NTX320")

MAX_PER_CODE = 50  # a broken generated file should not print a million lines
ROUTE_SHOWN = 6


class Finding(NamedTuple):
    code: str
    message: str
    path: tuple[str | int, ...]  # where in the document: for the source map

    @property
    def severity(self) -> Severity:
        return REGISTRY[self.code].severity

    def to_json(self) -> FindingJSON:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "path": list(self.path),
        }


def _route_text(space: StateSpace, state_id: int) -> str:
    moves = space.route(state_id)
    if not moves:
        return _("from the start")
    shown = [f"{s}: {c}" for s, c in moves[-ROUTE_SHOWN:]]
    more = "…, " if len(moves) > ROUTE_SHOWN else ""
    return _("after {route}").format(route=more + ", ".join(shown))


def _state_text(space: StateSpace, state_id: int) -> str:
    values = space.values(state_id)
    parts = [f"{k}={v}" for k, v in values.items()]
    st = space.states[state_id]
    parts += [f'visited("{s}")' for s in sorted(st.visited)]
    parts += [f'chose("{s}", "{c}")' for s, c in sorted(st.chosen)]
    parts += [_("inject {id} fired").format(id=i) for i in sorted(st.fired)]
    return ", ".join(parts)


def _when(space: StateSpace, state_id: int) -> str:
    state = _state_text(space, state_id)
    route = _route_text(space, state_id)
    return route + (_(" (with {state})").format(state=state) if state else "")


def _choice_path(space: StateSpace, label: int) -> tuple[str | int, ...]:
    scene, index, _choice = space.choices[label]
    return ("scenes", scene, "choices", index)


def _move_path(space: StateSpace, state_id: int, label: int) -> tuple[str | int, ...]:
    if label < ACK:
        return ("injects", inject_index(label))
    if label == ACK:
        return ("scenes", space.states[state_id].scene, "next")
    return _choice_path(space, label)


class _Collector:
    """Findings in the order they are found, at most MAX_PER_CODE per code."""

    def __init__(self) -> None:
        self.out: list[Finding] = []
        self.counts: dict[str, int] = {}

    def add(self, code: str, message: str, path: tuple[str | int, ...]) -> None:
        n = self.counts.get(code, 0)
        self.counts[code] = n + 1
        if n < MAX_PER_CODE:
            self.out.append(Finding(code, message, path))

    def finish(self) -> list[Finding]:
        for code, n in self.counts.items():
            if n > MAX_PER_CODE:
                more = ngettext(
                    "... and {n} more {code} finding", "... and {n} more {code} findings", n
                ).format(n=n - MAX_PER_CODE, code=code)
                self.out.append(Finding(code, more, ("start",)))
        return self.out


def collect_findings(scenario: Scenario, space: StateSpace) -> list[Finding]:
    found = _Collector()
    _loops(space, found)
    _dead_ends(scenario, space, found)
    _runtime_errors(space, found)
    if space.succ:
        _cannot_score(scenario, space, found)
    if space.complete:
        _unreached(scenario, space, found)
        _never_offered(scenario, space, found)
        branch_findings(scenario, space, found.add)
    _practices_never_recommended(scenario, found)
    judgement_findings(scenario, space, found.add)
    if not space.complete:
        found.add("NTX309", _stopped_text(scenario, space), ("start",))
    return found.finish()


def _stopped_text(scenario: Scenario, space: StateSpace) -> str:
    """NTX309's message: where the exploration stopped and what to do about it."""
    from engine.core.formats import number

    if len(scenario.variables) * (space.max_states + 1) <= MAX_VALUE_CELLS:
        advice = _("raise --max-states")
    else:
        advice = _(
            "with {count} variables the bound keeps memory in check: use fewer variables"
        ).format(count=number(len(scenario.variables)))
    return _(
        "analysis stopped after {count} states: loops, dead ends and unreachable scenes "
        "were checked only that far ({advice})"
    ).format(count=number(space.max_states), advice=advice)


def _loops(space: StateSpace, found: _Collector) -> None:
    """NTX301: loops, once per move that closes a cycle."""
    seen_moves: set[tuple[str, int]] = set()
    for move, cycle in zip(space.loops, space.cycles, strict=False):
        src = space.states[move.source]
        key = (src.scene, move.label)
        if key in seen_moves:
            continue
        seen_moves.add(key)
        target = space.states[move.target].scene
        how = (
            _("continuing")
            if move.label == ACK
            else _("firing '{id}'").format(id=space.scenario.injects[inject_index(move.label)].id)
            if move.label < ACK
            else _("choosing '{id}'").format(id=space.choices[move.label][2].id)
        )
        if cycle:
            names = [space.states[s].scene for s, _label in cycle] + [target]
            detail = _("the cycle {ring} changes nothing a condition reads").format(
                ring=" → ".join(names)
            )
        else:
            detail = _("the cycle changes nothing a condition reads")
        found.add(
            "NTX301",
            _(
                "the session can loop forever: {how} at '{scene}' returns to '{target}' in "
                "the same state ({detail}); reached {when}. Make a branch leave the loop, or "
                "let a variable it changes end it"
            ).format(
                how=how,
                scene=src.scene,
                target=target,
                detail=detail,
                when=_when(space, move.source),
            ),
            _move_path(space, move.source, move.label),
        )


def _dead_ends(scenario: Scenario, space: StateSpace, found: _Collector) -> None:
    """NTX302: dead ends, once per scene."""
    dead_scenes: set[str] = set()
    for sid in space.dead_ends:
        scene_id = space.states[sid].scene
        if scene_id in dead_scenes:
            continue
        dead_scenes.add(scene_id)
        conds = [
            _("'{id}' needs {condition}").format(id=c.id, condition=c.condition.source)
            for c in scenario.scenes[scene_id].choices
            if c.condition is not None
        ]
        found.add(
            "NTX302",
            _("decision '{scene}' can dead-end: no choice is offered {when}").format(
                scene=scene_id, when=_when(space, sid)
            )
            + (" (" + _("; ").join(conds) + ")" if conds else "")
            + _(". Add a choice without 'if', or widen a condition"),
            ("scenes", scene_id),
        )


def _runtime_errors(space: StateSpace, found: _Collector) -> None:
    """NTX308: runtime errors, once per scene and move."""
    seen_err: set[tuple[str, int]] = set()
    for sid, label, message in space.errors:
        scene_id = space.states[sid].scene
        if (scene_id, label) in seen_err:
            continue
        seen_err.add((scene_id, label))
        found.add(
            "NTX308",
            _("playing '{scene}' fails {when}: {error}").format(
                scene=scene_id, when=_when(space, sid), error=message
            ),
            _move_path(space, sid, label) if label != ACK else ("scenes", scene_id),
        )


def _cannot_score(scenario: Scenario, space: StateSpace, found: _Collector) -> None:
    """NTX306: a scored decision state where no offered non-harmful choice enacts R."""
    scenes = scenario.scenes
    flagged: set[str] = set()
    dead_set = set(space.dead_ends)
    scoring = bytearray(len(space.choices) + 1)  # label -> earns something; ACK: 0
    for label, (scene_id, _scene, c) in enumerate(space.choices):
        rec = scenes[scene_id].recommended
        scoring[label] = bool(rec and not c.harmful and set(c.enacts) & set(rec))
    scored = {scene_id for scene_id, sc in scenes.items() if sc.is_scored}
    for sid, st in enumerate(space.states):
        if st.scene not in scored or st.scene in flagged or sid in dead_set:
            continue
        moves = space.succ[sid]
        if not space.complete and (not moves or sid == space.cut):
            continue  # not (fully) expanded
        if any(scoring[lab] for _, lab in moves):
            continue
        scene = scenes[st.scene]
        wanted = set(scene.recommended)
        flagged.add(st.scene)
        anywhere = any(not c.harmful and wanted & set(c.enacts) for c in scene.choices)
        ras = ", ".join(scene.recommended)
        if anywhere:
            msg = _(
                "scored decision '{scene}' recommends {actions}, but {when} "
                "no offered choice enacts any of them, so nothing can be earned there; "
                "if that is the intended consequence, ignore this, otherwise offer a "
                "choice that enacts one"
            ).format(scene=st.scene, actions=ras, when=_when(space, sid))
        else:
            msg = _(
                "scored decision '{scene}' recommends {actions}, but none of its "
                "(non-harmful) choices enacts any of them: add the key actions to a "
                "choice's 'enacts', or fix 'recommended'"
            ).format(scene=st.scene, actions=ras)
        found.add("NTX306", msg, ("scenes", st.scene))


def _unreached(scenario: Scenario, space: StateSpace, found: _Collector) -> None:
    """NTX305 / NTX303: endings and scenes no playable path reaches (complete spaces only)."""
    reached = space.scenes_reached
    named = _named(scenario)
    for scene_id, scene in scenario.scenes.items():
        if scene_id in reached:
            continue
        if scene.kind is SceneKind.ENDING:
            found.add(
                "NTX305",
                _("ending '{id}' is never reached: no playable path leads to it").format(
                    id=scene_id
                ),
                ("scenes", scene_id),
            )
        else:
            why = (
                _("a scene names it, but the conditions on the way never hold")
                if scene_id in named
                else _("no scene leads to it")
            )
            message = _("scene '{id}' is never reached from '{start}' ({why})")
            found.add(
                "NTX303",
                message.format(id=scene_id, start=scenario.start, why=why),
                ("scenes", scene_id),
            )


def _never_offered(scenario: Scenario, space: StateSpace, found: _Collector) -> None:
    """NTX304: choices no reachable state offers (complete spaces only)."""
    for scene_id, scene in scenario.scenes.items():
        if scene_id not in space.scenes_reached or scene.kind is not SceneKind.DECISION:
            continue
        for i, c in enumerate(scene.choices):
            if (scene_id, c.id) not in space.offered:
                message = (
                    _(
                        "choice '{id}' at '{scene}' is never offered: its condition "
                        "'{condition}' never holds in any reachable state"
                    )
                    if c.condition is not None
                    else _(
                        "choice '{id}' at '{scene}' is never offered: it is never reached "
                        "in any reachable state"
                    )
                )
                source = c.condition.source if c.condition is not None else ""
                found.add(
                    "NTX304",
                    message.format(id=c.id, scene=scene_id, condition=source),
                    ("scenes", scene_id, "choices", i),
                )


def _practices_never_recommended(scenario: Scenario, found: _Collector) -> None:
    """NTX307: declared practices that no decision recommends (static)."""
    recommended = {practice_of(k) for s in scenario.decisions for k in s.recommended}
    for i, gp in enumerate(scenario.good_practices):
        if gp not in recommended:
            found.add(
                "NTX307",
                _(
                    "good practice {gp} is declared but no decision recommends any of "
                    "its key actions: add them to a decision's 'recommended', or drop it from "
                    "'good_practices'"
                ).format(gp=gp),
                ("good_practices", i),
            )


def _named(scenario: Scenario) -> set[str]:
    """Scene ids some `next` names."""
    out: set[str] = set()
    for s in scenario.scenes.values():
        out.update(b.goto for b in s.next)
        for c in s.choices:
            out.update(b.goto for b in c.next)
    return out


def to_diagnostics(
    findings: list[Finding], source: SourceMap | None, file: str
) -> list[Diagnostic]:
    """Locate findings in the document: a scene at its key's line, a choice at its item."""
    out = []
    for f in findings:
        prefer_key = not (len(f.path) >= 2 and isinstance(f.path[-1], int))
        pos = source.locate(f.path, prefer_key=prefer_key) if source is not None else None
        line, column = (pos.line, pos.column) if pos is not None else (1, 1)
        out.append(make(f.code, file, line, column, f.message))
    return out


def analysis_diagnostics(
    scenario: Scenario, source: SourceMap | None, file: str, explorer: Explorer | None = None
) -> list[Diagnostic]:
    """The analysis pass of `validate`: explore (with the caller's explorer and its bound, so
    the caller can reuse the space), then report the findings where they are."""
    space = (explorer or Explorer()).space(scenario)
    return to_diagnostics(collect_findings(scenario, space), source, file)
