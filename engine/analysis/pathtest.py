"""Automated path testing (`nexus-ttx test`): quicktest and randomtest, after ChoiceScript's.

* `quicktest(scenario)` visits every reachable play state once (the analysis state space) and,
  in each, makes every offered choice through `engine.play.machine.choose` — the checked entry point
  play uses — and scores it. It fails on any runtime error, on a decision that offers nothing,
  on a loop, and when the state bound stops it before every state was seen.
* `randomtest(scenario, runs, seed)` plays `runs` whole sessions with the machine's full state,
  choosing at random among the offered choices used least so far (so rare choices get played),
  and reports hit counts per scene, choice and key action and the distribution of alignment and
  endings. A `random.Random(seed)` drives every pick and every container is ordered, so the same
  seed gives the same report, byte for byte.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from engine.analysis.analysis_types import AlignmentStats, QuickTestJSON, RandomTestJSON
from engine.analysis.statespace import DEFAULT_MAX_STATES, Explorer, StateSpace
from engine.core.model import Scenario, SceneKind
from engine.play.machine import State, acknowledge, choose, initial_state, offered_choices
from engine.play.scoring import default_area_of, json_alignment, score, score_decision

AreaOf = Callable[[str], "str | None"]


@dataclass
class QuickReport:
    scenario: str
    states: int
    complete: bool
    scenes_visited: int
    scenes: int
    choices_made: int
    choices: int
    failures: list[str] = field(default_factory=list)
    unvisited: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def to_json(self) -> QuickTestJSON:
        return {
            "mode": "quicktest",
            "scenario": self.scenario,
            "ok": self.ok,
            "states": self.states,
            "complete": self.complete,
            "scenes_visited": self.scenes_visited,
            "scenes": self.scenes,
            "choices_made": self.choices_made,
            "choices": self.choices,
            "unvisited": self.unvisited,
            "failures": self.failures,
        }

    def format_text(self) -> str:
        lines = [
            f"quicktest {self.scenario}: {'PASSED' if self.ok else 'FAILED'}",
            f"  states visited   {self.states}"
            + ("" if self.complete else " (stopped at the bound)"),
            f"  scenes visited   {self.scenes_visited} of {self.scenes}",
            f"  choices made     {self.choices_made} of {self.choices}",
        ]
        if self.unvisited:
            lines.append("  never visited    " + ", ".join(self.unvisited))
        for f in self.failures:
            lines.append(f"  FAIL {f}")
        return "\n".join(lines) + "\n"


def quicktest(
    scenario: Scenario, max_states: int = DEFAULT_MAX_STATES, explorer: Explorer | None = None
) -> QuickReport:
    """Visit every reachable state once and make every offered choice (pass the `explorer`
    that validated the scenario to reuse its exploration)."""
    space = (explorer or Explorer(max_states)).space(scenario, max_states)
    failures: list[str] = []
    made: set[tuple[str, str]] = set()
    scenes = scenario.scenes
    erred = {sid for sid, _, _ in space.errors}
    for sid, state in enumerate(space.states):
        scene = scenes[state.scene]
        if sid in erred or (
            not space.succ[sid] and scene.kind is not SceneKind.ENDING and not space.complete
        ):
            continue
        try:
            if scene.kind is SceneKind.DECISION:
                for c in offered_choices(scenario, state):
                    choose(scenario, state, c.id)
                    score_decision(scenario, scene.id, c.id)
                    made.add((scene.id, c.id))
            elif scene.kind is not SceneKind.ENDING:
                acknowledge(scenario, state)
        except Exception as exc:
            failures.append(
                f"{scene.id}: {type(exc).__name__}: {exc} (reached {_route(space, sid)})"
            )
    for sid, _label, message in space.errors:
        failures.append(f"{space.states[sid].scene}: {message} (reached {_route(space, sid)})")
    for sid in space.dead_ends[:20]:
        failures.append(
            f"{space.states[sid].scene}: no choice is offered (reached {_route(space, sid)})"
        )
    for move in space.loops[:20]:
        src = space.states[move.source].scene
        failures.append(
            f"{src}: returns to '{space.states[move.target].scene}' in the same "
            f"state, so the session can loop forever (reached "
            f"{_route(space, move.source)})"
        )
    if not space.complete:
        failures.append(
            f"stopped after {space.max_states} states: not every state was "
            "visited (raise --max-states)"
        )
    unvisited = [s for s in scenes if s not in space.scenes_reached] if space.complete else []
    return QuickReport(
        scenario=scenario.id,
        states=len(space),
        complete=space.complete,
        scenes_visited=len(space.scenes_reached),
        scenes=len(scenes),
        choices_made=len(made),
        choices=sum(len(s.choices) for s in scenes.values()),
        failures=list(dict.fromkeys(failures)),
        unvisited=unvisited,
    )


def _route(space: StateSpace, sid: int) -> str:
    moves = space.route(sid)
    return "from the start" if not moves else "after " + ", ".join(f"{s}: {c}" for s, c in moves)


BUCKETS = [(0, 20), (20, 40), (40, 60), (60, 80), (80, 100)]


@dataclass
class RandomReport:
    scenario: str
    runs: int
    seed: int
    scene_hits: dict[str, int]
    choice_hits: dict[str, dict[str, int]]
    key_action_hits: dict[str, dict[str, int]]
    endings: dict[str, int]
    outcomes: dict[str, int]
    alignments: list[float | None]
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures

    def distribution(self) -> dict[str, int]:
        out = {f"{lo}-{hi}": 0 for lo, hi in BUCKETS}
        out["n/a"] = 0
        for a in self.alignments:
            if a is None:
                out["n/a"] += 1
                continue
            for lo, hi in BUCKETS:
                if a < hi or hi == 100:
                    out[f"{lo}-{hi}"] += 1
                    break
        return out

    def stats(self) -> AlignmentStats:
        xs = [a for a in self.alignments if a is not None]
        if not xs:
            return {"min": None, "mean": None, "max": None}
        return {
            "min": json_alignment(min(xs)),
            "mean": json_alignment(sum(xs) / len(xs)),
            "max": json_alignment(max(xs)),
        }

    def to_json(self) -> RandomTestJSON:
        return {
            "mode": "randomtest",
            "scenario": self.scenario,
            "ok": self.ok,
            "runs": self.runs,
            "seed": self.seed,
            "scenes": self.scene_hits,
            "choices": self.choice_hits,
            "key_actions": self.key_action_hits,
            "endings": self.endings,
            "outcomes": self.outcomes,
            "alignment": {**self.stats(), "histogram": self.distribution()},
            "failures": self.failures,
        }

    def format_text(self) -> str:
        lines = [
            f"randomtest {self.scenario}: {self.runs} runs, seed {self.seed}: "
            f"{'PASSED' if self.ok else 'FAILED'}",
            "",
            "Scenes (times entered)",
        ]
        width = max((len(s) for s in self.scene_hits), default=0)
        for sid, n in self.scene_hits.items():
            lines.append(f"  {sid:<{width}}  {n:>6}" + ("   never" if n == 0 else ""))
        lines += ["", "Choices (times made)"]
        pairs = [
            (f"{sid}: {cid}", n)
            for sid, counts in self.choice_hits.items()
            for cid, n in counts.items()
        ]
        cw = max((len(p) for p, _ in pairs), default=0)
        for label, n in pairs:
            lines.append(f"  {label:<{cw}}  {n:>6}" + ("   never" if n == 0 else ""))
        if self.key_action_hits:
            lines += ["", "Key actions (times enacted, times credited)"]
            for ka, c in self.key_action_hits.items():
                lines.append(f"  {ka:<12} {c['enacted']:>6} {c['credited']:>6}")
        lines += ["", "Endings"]
        for e, n in self.endings.items():
            lines.append(f"  {e:<{width}}  {n:>6}")
        s = self.stats()
        lines += ["", "Alignment"]
        if s["mean"] is None:
            lines.append("  n/a (no run faced a scored decision)")
        else:
            lines.append(f"  min {s['min']:.2f}%  mean {s['mean']:.2f}%  max {s['max']:.2f}%")
            total = max(1, self.runs)
            for bucket, n in self.distribution().items():
                bar = "#" * round(40 * n / total)
                lines.append(f"  {bucket:>7}  {n:>6}  {bar}")
        for f in self.failures:
            lines.append(f"FAIL {f}")
        return "\n".join(lines) + "\n"


def randomtest(
    scenario: Scenario,
    runs: int,
    seed: int = 0,
    *,
    area_of: AreaOf = default_area_of,
    max_steps: int | None = None,
) -> RandomReport:
    rng = random.Random(seed)
    scenes = scenario.scenes
    limit = max_steps or (4 * len(scenes) + 100)
    scene_hits = dict.fromkeys(scenes, 0)
    choice_hits = {
        sid: {c.id: 0 for c in s.choices}
        for sid, s in scenes.items()
        if s.kind is SceneKind.DECISION
    }
    recommended = {k for s in scenes.values() for k in s.recommended}
    enacted_anywhere = [k for s in scenes.values() for c in s.choices for k in c.enacts]
    kas = sorted(set(enacted_anywhere) | recommended, key=_ka_key)
    ka_hits = {k: {"enacted": 0, "credited": 0} for k in kas}
    endings = {s.id: 0 for s in scenario.endings}
    outcomes: dict[str, int] = {"success": 0, "partial": 0, "failure": 0}
    alignments: list[float | None] = []
    failures: list[str] = []
    for run in range(runs):
        state = initial_state(scenario)
        scene_hits[state.scene] += 1
        decisions: list[tuple[str, str]] = []
        steps = 0
        try:
            while scenes[state.scene].kind is not SceneKind.ENDING:
                steps += 1
                if steps > limit:
                    failures.append(
                        f"run {run + 1}: no ending after {limit} steps (at "
                        f"'{state.scene}'): the session may loop"
                    )
                    break
                scene = scenes[state.scene]
                if scene.kind is SceneKind.DECISION:
                    pick = _least_used(scenario, state, rng, choice_hits[scene.id], ka_hits)
                    if pick is None:
                        failures.append(f"run {run + 1}: '{scene.id}' offers no choice")
                        break
                    decisions.append((scene.id, pick))
                    state = choose(scenario, state, pick)
                else:
                    state = acknowledge(scenario, state)
                scene_hits[state.scene] += 1
            else:
                endings[state.scene] += 1
                outcome = scenes[state.scene].outcome
                if outcome in outcomes:
                    outcomes[outcome] += 1
                result = score(scenario, decisions, ending=state.scene, area_of=area_of)
                alignments.append(result.alignment)
        except Exception as exc:
            failures.append(f"run {run + 1}: at '{state.scene}': {type(exc).__name__}: {exc}")
    return RandomReport(
        scenario.id,
        runs,
        seed,
        scene_hits,
        choice_hits,
        ka_hits,
        endings,
        outcomes,
        alignments,
        failures,
    )


def _least_used(
    scenario: Scenario,
    state: State,
    rng: random.Random,
    hits: dict[str, int],
    ka_hits: dict[str, dict[str, int]],
) -> str | None:
    """A random pick among the offered choices made least often so far (counted), or None
    when nothing is offered."""
    offered = offered_choices(scenario, state)
    if not offered:
        return None
    least = min(hits[c.id] for c in offered)
    pick = rng.choice([c for c in offered if hits[c.id] == least])
    hits[pick.id] += 1
    d = score_decision(scenario, state.scene, pick.id)
    for k in pick.enacts:
        ka_hits[k]["enacted"] += 1
    for k in d.credited:
        ka_hits[k]["credited"] += 1
    return pick.id


def _ka_key(k: str) -> tuple[int, str]:
    head = k.split(".", 1)[0]
    return (int(head[2:]) if head[2:].isdigit() else 0, k)
