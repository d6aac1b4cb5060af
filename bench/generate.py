"""Generate large, valid `nexus-ttx/1` scenarios for benchmarks (validation, analysis).

`make_scenario(n)` writes n scenes numbered s0..s{n-1}: narratives, injects and decisions with
2-3 choices, conditions (`if`) on three bounded variables, effects and `set`, branch lists, and
an ending every 25 scenes plus three at the end. Every edge goes to a higher-numbered scene, so
the graph is acyclic and every path ends; the first choice of every decision and the last
branch of every list are unconditional, so no decision dead-ends. Key actions are real catalog
ids, and `good_practices` declares exactly the practices recommended. Analysis may still
find a few choices whose condition never holds on any path (random data).
"""

from __future__ import annotations

import random
import sys
from functools import cache


@cache
def key_actions() -> tuple[str, ...]:
    """Every catalog key-action id, sorted (generated choices enact real ones)."""
    from engine.toolkit.catalog import load_catalog

    return tuple(sorted(load_catalog().key_action_ids))


_HEADER = """\
# yaml-language-server: $schema=../schemas/scenario.schema.json
format: nexus-ttx/1
id: {id}
title: {title}
summary: {summary}
region: Nowhere (generated)
environment: transitional
manifestations: [alliances, hybrid]
watch_points: [corruption, recruitment]
good_practices: [{practices}]
variables:
  trust: {{label: Community trust, initial: 5, min: 0, max: 10}}
  heat: {{label: Media attention, initial: 0, min: 0, max: 5}}
  leads: {{label: Leads, initial: 0, min: 0, max: 3}}
start: s0
scenes:
"""


def header(scenario_id: str, title: str, summary: str, practices: str) -> str:
    """The document's top part (metadata, the three variables, `start`) up to `scenes:`."""
    return _HEADER.format(id=scenario_id, title=title, summary=summary, practices=practices)


# Conditions on the variables only: effects move them up and down along every path, so each
# condition holds on some paths and fails on others (a `visited` test could never vary here).
_CONDITIONS = (
    "trust >= 5",
    "heat >= 1",
    "leads > 0",
    "trust < 5",
    "trust + leads >= 6",
    "not (heat == 0)",
    "trust > 3 and heat <= 4",
)


def _is_ending(i: int, n: int) -> bool:
    return i >= n - 3 or (i % 25 == 24 and i < n - 3)


def _primary(i: int, n: int) -> int:
    """The scene every path through scene i can always go on to: the next non-ending one
    (or the final endings). Following primaries from s0 reaches every non-ending scene."""
    j = i + 1
    while j < n - 3 and _is_ending(j, n):
        j += 1
    return min(j, n - 1)


def _others(i: int, n: int, rng: random.Random) -> list[int]:
    """Targets of the conditional branches and the other choices; right before a periodic
    ending they all lead to it, so every ending is reachable."""
    if _is_ending(i + 1, n) and i + 1 < n - 3:
        return [i + 1] * 3
    if i >= n - 6:
        return [n - 2, n - 1, n - 3]
    return [min(n - 1, i + rng.randint(1, 3)) for _ in range(3)]


def _condition(rng: random.Random) -> str:
    return rng.choice(_CONDITIONS)


def make_scenario(n_scenes: int, seed: int = 0) -> str:
    """YAML text of a valid scenario with `n_scenes` scenes (at least 4)."""
    n = max(4, n_scenes)
    rng = random.Random(seed)
    actions = key_actions()
    used_practices: set[str] = set()
    out: list[str] = []
    outcomes = ("success", "partial", "failure")
    for i in range(n):
        sid = f"s{i}"
        if _is_ending(i, n):
            out.append(
                f"  {sid}:\n    kind: ending\n    title: End {i}\n"
                f"    text: The exercise ends ({i}).\n"
                f"    outcome: {outcomes[i % 3]}\n"
            )
            continue
        primary = _primary(i, n)
        others = _others(i, n, rng)
        roll = i % 5
        if roll in (0, 1):  # narrative or inject; a branch list keeps the primary reachable
            kind = "narrative" if roll == 0 else "inject"
            if _is_ending(i + 1, n) or (i > 10 and rng.random() < 0.4):
                nxt = (
                    f"\n      - {{if: '{_condition(rng)}', goto: s{primary}}}"
                    f"\n      - {{if: '{_condition(rng)}', goto: s{others[0]}}}"
                    f"\n      - {{goto: s{primary}}}"
                )
            else:
                nxt = f" s{primary}"
            out.append(
                f"  {sid}:\n    kind: {kind}\n    title: Scene {i}\n"
                f"    text: Something happens in scene {i}.\n"
                f"    watch_points: [corruption.{1 + i % 3}]\n"
                f"    next:{nxt}\n"
            )
            continue
        recommended = rng.sample(actions, 2)
        used_practices.update(a.split(".")[0] for a in recommended)
        lines = [
            f"  {sid}:\n    kind: decision\n    title: Decision {i}\n"
            f"    text: What do you do now ({i})?\n"
            f"    recommended: [{', '.join(recommended)}]\n    choices:\n"
        ]
        for c in range(rng.randint(2, 3)):
            target = primary if c == 0 else others[c]
            parts = [f"      - id: c{c}\n        text: Option {c} at {i}\n"]
            enacts = recommended[: 2 - c] if c < 2 else []
            if c == 1 and rng.random() < 0.5:
                extra = rng.choice(actions)
                if extra not in enacts:
                    enacts = [*enacts, extra]
            if enacts:
                parts.append(f"        enacts: [{', '.join(enacts)}]\n")
            parts.append(
                f"        effects: {{trust: {rng.choice((-2, -1, 1, 2))}, "
                f"heat: {rng.choice((-1, 1))}, leads: {rng.choice((-1, 0, 1))}}}\n"
            )
            if c == 2:
                parts.append("        harmful: true\n        feedback: This harms people.\n")
                parts.append("        set: {leads: 0}\n")
            if c > 0 and i < n - 6 and rng.random() < 0.5:
                parts.append(f"        if: '{_condition(rng)}'\n")
            if c > 0 and i < n - 6 and rng.random() < 0.3:
                parts.append(
                    f"        next:\n          - {{if: '{_condition(rng)}', goto: "
                    f"s{others[0]}}}\n          - {{goto: s{target}}}\n"
                )
            else:
                parts.append(f"        next: s{target}\n")
            lines.append("".join(parts))
        out.append("".join(lines))
    practices = sorted(used_practices or {"GP21"}, key=lambda p: int(p[2:]))
    return header(
        f"generated-{n}",
        f"Generated scenario with {n} scenes",
        "A machine-generated branching exercise for benchmarks.",
        ", ".join(practices),
    ) + "".join(out)


if __name__ == "__main__":  # python -m bench.generate 1000 > big.yaml
    sys.stdout.write(make_scenario(int(sys.argv[1]) if len(sys.argv) > 1 else 100))
