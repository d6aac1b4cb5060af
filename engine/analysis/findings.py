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

Findings that claim something about *all* states (unreachable, never offered, cannot score
everywhere) are only made when the exploration was complete; findings about *one* reachable
state (a loop, a dead end, a runtime error, a state where nothing scores) are always sound.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from engine.analysis.statespace import ACK, DEFAULT_MAX_STATES, StateSpace
from engine.core.diagnostics import Diagnostic, make, register
from engine.core.model import Scenario
from engine.play.scoring import practice_of

#: code -> (severity, short title). The one place the NTX3xx codes are defined; registered
#: with `engine.core.diagnostics` below.
CODES: dict[str, tuple[str, str]] = {
    "NTX301": ("error", "the session can loop forever"),
    "NTX302": ("error", "a decision can dead-end"),
    "NTX303": ("warning", "scene never reached"),
    "NTX304": ("warning", "choice never offered"),
    "NTX305": ("warning", "ending never reached"),
    "NTX306": ("warning", "scored decision where nothing recommended can be chosen"),
    "NTX307": ("warning", "declared practice never recommended"),
    "NTX308": ("error", "runtime error in a reachable state"),
    "NTX309": ("warning", "analysis stopped at the state bound"),
}
for _code, (_severity, _title) in CODES.items():
    register(_code, _severity, _title)  # type: ignore[arg-type]

MAX_PER_CODE = 50  # a broken generated file should not print a million lines
ROUTE_SHOWN = 6


@dataclass(frozen=True)
class Finding:
    code: str
    message: str
    path: tuple[str | int, ...]  # where in the document: for the source map

    @property
    def severity(self) -> str:
        return CODES[self.code][0]

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "path": list(self.path),
        }


def _route_text(space: StateSpace, state_id: int) -> str:
    moves = space.route(state_id)
    if not moves:
        return "from the start"
    shown = [f"{s}: {c}" for s, c in moves[-ROUTE_SHOWN:]]
    more = "…, " if len(moves) > ROUTE_SHOWN else ""
    return "after " + more + ", ".join(shown)


def _state_text(space: StateSpace, state_id: int) -> str:
    values = space.values(state_id)
    parts = [f"{k}={v}" for k, v in values.items()]
    st = space.states[state_id]
    parts += [f'visited("{s}")' for s in sorted(st.visited)]
    parts += [f'chose("{s}", "{c}")' for s, c in sorted(st.chosen)]
    return ", ".join(parts)


def _when(space: StateSpace, state_id: int) -> str:
    state = _state_text(space, state_id)
    route = _route_text(space, state_id)
    return f"{route}" + (f" (with {state})" if state else "")


def _choice_path(space: StateSpace, label: int) -> tuple[str | int, ...]:
    scene, index, _ = space.choices[label]
    return ("scenes", scene, "choices", index)


def _move_path(space: StateSpace, state_id: int, label: int) -> tuple[str | int, ...]:
    if label == ACK:
        return ("scenes", space.states[state_id].scene, "next")
    return _choice_path(space, label)


def collect_findings(scenario: Scenario, space: StateSpace) -> list[Finding]:
    out: list[Finding] = []
    scenes = scenario.scenes
    counts: dict[str, int] = {}

    def add(code: str, message: str, path: tuple[str | int, ...]) -> None:
        n = counts.get(code, 0)
        counts[code] = n + 1
        if n < MAX_PER_CODE:
            out.append(Finding(code, message, path))

    # NTX301: loops, once per move that closes a cycle.
    seen_moves: set[tuple[str, int]] = set()
    for move, cycle in zip(space.loops, space.cycles, strict=False):
        src = space.states[move.source]
        key = (src.scene, move.label)
        if key in seen_moves:
            continue
        seen_moves.add(key)
        target = space.states[move.target].scene
        how = "continuing" if move.label == ACK else f"choosing '{space.choices[move.label][2].id}'"
        if cycle:
            names = [space.states[s].scene for s, _ in cycle] + [target]
            ring = " → ".join(names)
            detail = f"the cycle {ring} changes nothing a condition reads"
        else:
            detail = "the cycle changes nothing a condition reads"
        add(
            "NTX301",
            f"the session can loop forever: {how} at '{src.scene}' returns to '{target}' in "
            f"the same state ({detail}); reached {_when(space, move.source)}. Make a branch "
            "leave the loop, or let a variable it changes end it",
            _move_path(space, move.source, move.label),
        )

    # NTX302: dead ends, once per scene.
    dead_scenes: set[str] = set()
    for sid in space.dead_ends:
        scene = space.states[sid].scene
        if scene in dead_scenes:
            continue
        dead_scenes.add(scene)
        conds = [
            f"'{c.id}' needs {c.condition.source}"
            for c in scenes[scene].choices
            if c.condition is not None
        ]
        add(
            "NTX302",
            f"decision '{scene}' can dead-end: no choice is offered {_when(space, sid)}"
            + (f" ({'; '.join(conds)})" if conds else "")
            + ". Add a choice without 'if', or widen a condition",
            ("scenes", scene),
        )

    # NTX308: runtime errors, once per scene and move.
    seen_err: set[tuple[str, int]] = set()
    for sid, label, message in space.errors:
        scene = space.states[sid].scene
        if (scene, label) in seen_err:
            continue
        seen_err.add((scene, label))
        add(
            "NTX308",
            f"playing '{scene}' fails {_when(space, sid)}: {message}",
            _move_path(space, sid, label) if label != ACK else ("scenes", scene),
        )

    # NTX306: a scored decision state where no offered non-harmful choice enacts R.
    if space.succ:
        flagged: set[str] = set()
        dead_set = set(space.dead_ends)
        scoring = bytearray(len(space.choices) + 1)  # label -> earns something; ACK: 0
        for label, (sid_, _, c) in enumerate(space.choices):
            rec = scenes[sid_].recommended
            scoring[label] = bool(rec and not c.harmful and set(c.enacts) & set(rec))
        scored = {sid_ for sid_, sc in scenes.items() if sc.is_scored}
        for sid, st in enumerate(space.states):
            if st.scene not in scored or st.scene in flagged or sid in dead_set:
                continue
            moves = space.succ[sid]
            if not space.complete and (not moves or sid == space.cut):
                continue  # not (fully) expanded
            if any(scoring[lab] for _, lab in moves):
                continue
            scene = scenes[st.scene]
            rec = set(scene.recommended)
            flagged.add(st.scene)
            anywhere = any(not c.harmful and rec & set(c.enacts) for c in scene.choices)
            ras = ", ".join(scene.recommended)
            if anywhere:
                msg = (
                    f"scored decision '{st.scene}' recommends {ras}, but {_when(space, sid)} "
                    "no offered choice enacts any of them, so nothing can be earned there; "
                    "if that is the intended consequence, ignore this, otherwise offer a "
                    "choice that enacts one"
                )
            else:
                msg = (
                    f"scored decision '{st.scene}' recommends {ras}, but none of its "
                    "(non-harmful) choices enacts any of them: add the key actions to a "
                    "choice's 'enacts', or fix 'recommended'"
                )
            add("NTX306", msg, ("scenes", st.scene))

    if space.complete:
        reached = space.scenes_reached
        named = _named(scenario)
        for sid, scene in scenes.items():
            if sid in reached:
                continue
            if scene.kind == "ending":
                add(
                    "NTX305",
                    f"ending '{sid}' is never reached: no playable path leads to it",
                    ("scenes", sid),
                )
            else:
                add(
                    "NTX303",
                    f"scene '{sid}' is never reached from '{scenario.start}'"
                    + (
                        " (a scene names it, but the conditions on the way never hold)"
                        if sid in named
                        else " (no scene leads to it)"
                    ),
                    ("scenes", sid),
                )
        for sid, scene in scenes.items():
            if sid not in reached or scene.kind != "decision":
                continue
            for i, c in enumerate(scene.choices):
                if (sid, c.id) not in space.offered:
                    cond = (
                        f" its condition '{c.condition.source}' never holds"
                        if c.condition is not None
                        else " it is never reached"
                    )
                    add(
                        "NTX304",
                        f"choice '{c.id}' at '{sid}' is never offered:{cond} in any "
                        "reachable state",
                        ("scenes", sid, "choices", i),
                    )

    # NTX307: declared practices that no decision recommends (static).
    recommended = {
        practice_of(k) for s in scenes.values() if s.kind == "decision" for k in s.recommended
    }
    for i, gp in enumerate(scenario.good_practices):
        if gp not in recommended:
            add(
                "NTX307",
                f"good practice {gp} is declared but no decision recommends any of "
                "its key actions: add them to a decision's 'recommended', or drop it from "
                "'good_practices'",
                ("good_practices", i),
            )

    if not space.complete:
        add(
            "NTX309",
            f"analysis stopped after {space.max_states} states: loops, dead ends "
            "and unreachable scenes were checked only that far (raise --max-states)",
            ("start",),
        )

    for code, n in counts.items():
        if n > MAX_PER_CODE:
            out.append(
                Finding(code, f"... and {n - MAX_PER_CODE} more {code} findings", ("start",))
            )
    return out


def _named(scenario: Scenario) -> set[str]:
    """Scene ids some `next` names."""
    out: set[str] = set()
    for s in scenario.scenes.values():
        out.update(b.goto for b in s.next)
        for c in s.choices:
            out.update(b.goto for b in c.next)
    return out


def to_diagnostics(findings: list[Finding], source: Any, file: str) -> list[Diagnostic]:
    """Locate findings in the document: a scene at its key's line, a choice at its item."""
    out = []
    for f in findings:
        prefer_key = not (len(f.path) >= 2 and isinstance(f.path[-1], int))
        pos = source.locate(f.path, prefer_key=prefer_key) if source is not None else None
        line, column = (pos.line, pos.column) if pos is not None else (1, 1)
        out.append(make(f.code, file, line, column, f.message))
    return out


_pass_max_states = DEFAULT_MAX_STATES


@contextmanager
def pass_bound(max_states: int | None) -> Iterator[None]:
    """Run `validate` with another state bound for its analysis pass (`analyze --max-states`)."""
    global _pass_max_states
    saved = _pass_max_states
    _pass_max_states = max_states or DEFAULT_MAX_STATES
    try:
        yield
    finally:
        _pass_max_states = saved


def analysis_diagnostics(
    scenario: Scenario, source: Any, file: str, max_states: int | None = None
) -> list[Diagnostic]:
    """The analysis pass of `validate`: explore, then report the findings where they are."""
    from engine.analysis.summary import state_space

    bound = max_states or _pass_max_states
    findings = collect_findings(scenario, state_space(scenario, bound))
    return to_diagnostics(findings, source, file)
