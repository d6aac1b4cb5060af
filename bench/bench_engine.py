"""Engine benchmarks: random playthroughs in memory, and the latency of an acknowledged append.

Goals (issue 3): >= 50,000 choices/s in memory; an acknowledged append (WAL, synchronous=FULL,
fsynced before it returns) <= 1 ms median. A bare SQLite insert-and-commit is measured in the
same run for comparison. Run: `python -m bench` (all benches) or `python -m bench.bench_engine`.
"""

from __future__ import annotations

import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

KEY_ACTIONS = ["GP1.S1", "GP3.S1", "GP8.S4", "GP13.S1", "GP14.S1", "GP21.S4", "GP25.S1"]


def _own_scenario(n_scenes: int, seed: int) -> dict[str, Any]:
    """A DAG of decisions (mostly), narratives and endings with conditions and effects."""
    rng = random.Random(seed)
    ids = [f"s{i}" for i in range(n_scenes)]
    endings = ["win", "draw", "lose"]
    scenes: dict[str, Any] = {}
    for i, sid in enumerate(ids):
        later = ids[i + 1 : i + 6] + (endings if i > n_scenes - 6 else [])
        if rng.random() < 0.2:
            scenes[sid] = {
                "kind": "narrative",
                "title": sid,
                "text": ".",
                "next": rng.choice(later),
            }
            continue
        choices = []
        for c in range(rng.randint(2, 4)):
            choice: dict[str, Any] = {
                "id": f"c{c}",
                "text": f"choice {c}",
                "enacts": rng.sample(KEY_ACTIONS, rng.randint(0, 2)),
                "effects": {"trust": rng.randint(-10, 10)},
                "next": [
                    {"if": f"trust >= {rng.randint(20, 80)}", "goto": rng.choice(later)},
                    {"goto": rng.choice(later)},
                ],
            }
            if c > 0 and rng.random() < 0.3:
                choice["if"] = f"trust < {rng.randint(30, 90)}"
            choices.append(choice)
        scenes[sid] = {
            "kind": "decision",
            "title": sid,
            "text": ".",
            "recommended": rng.sample(KEY_ACTIONS, 2),
            "choices": choices,
        }
    for e, outcome in zip(endings, ("success", "partial", "failure"), strict=False):
        scenes[e] = {"kind": "ending", "title": e, "text": ".", "outcome": outcome}
    return {
        "format": "nexus-ttx/1",
        "id": "bench",
        "title": "Bench",
        "summary": "",
        "region": "x",
        "environment": "transitional",
        "manifestations": ["hybrid"],
        "watch_points": ["corruption"],
        "good_practices": ["GP21"],
        "variables": {"trust": {"label": "Trust", "initial": 50, "min": 0, "max": 100}},
        "start": "s0",
        "scenes": scenes,
    }


def make_document(n_scenes: int = 200, seed: int = 1) -> dict[str, Any]:
    try:
        from bench.generate import make_scenario  # the shared generator, when present
    except ImportError:
        return _own_scenario(n_scenes, seed)
    doc = make_scenario(n_scenes, seed)
    if isinstance(doc, str):  # YAML text
        import yaml

        doc = yaml.safe_load(doc)
    return doc if isinstance(doc, dict) else _own_scenario(n_scenes, seed)


def bench_playthroughs(
    seconds: float = 2.0, n_scenes: int = 200, scored: bool = True
) -> dict[str, float]:
    """Random playthroughs with the pure machine (ChoiceScript's randomtest), each one scored
    unless `scored` is False."""
    from engine.core.model import scenario_from_dict
    from engine.play import machine
    from engine.play.scoring import score

    scenario = scenario_from_dict(make_document(n_scenes))
    rng = random.Random(7)
    choices = plays = 0
    deadline = time.perf_counter() + seconds
    started = time.perf_counter()
    while time.perf_counter() < deadline:
        state = machine.initial_state(scenario)
        made: list[tuple[str, str]] = []
        while not machine.is_over(scenario, state):
            offered = machine.offered_choices(scenario, state)
            if offered:
                pick = offered[rng.randrange(len(offered))]
                made.append((state.scene, pick.id))
                state = machine.apply_choice(scenario, state, pick)
            else:
                state = machine.acknowledge(scenario, state)
        if scored:
            score(scenario, made, ending=state.scene)
        choices += len(made)
        plays += 1
    elapsed = time.perf_counter() - started
    return {
        "choices_per_s": choices / elapsed,
        "plays_per_s": plays / elapsed,
        "mean_choices": choices / max(plays, 1),
    }


def bench_session_fold(n_events: int = 20_000) -> float:
    """Events folded per second (what resume and a replay cost)."""
    from engine.core.model import scenario_from_dict
    from engine.exercise.exercise import Exercise
    from engine.play.session import fold
    from engine.store.sqlite import Store

    scenario = scenario_from_dict(make_document(200))
    rng = random.Random(3)
    store = Store(":memory:")
    events: list[Any] = []
    while True:
        ex = Exercise.start(store, scenario)
        while not ex.is_over:
            if ex.scene.kind == "decision":
                ex.choose(rng.choice(ex.offered).id)
            else:
                ex.acknowledge()
        events.append(ex.events())
        if sum(len(e) for e in events) >= n_events:
            break
    total = sum(len(e) for e in events)
    started = time.perf_counter()
    for log in events:
        fold(scenario, log)
    return total / (time.perf_counter() - started)


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_append(n: int = 400) -> dict[str, float]:
    """Median latency of an acknowledged append (committed + fsynced) vs a bare insert."""
    from engine.store.sqlite import Store

    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.sqlite3")
        sid = store.create_session(
            scenario_id="bench",
            content_hash="h",
            title="Bench",
            mode="solo",
            teams=["Solo"],
            data={},
        ).session_id
        ours = []
        for i in range(n):
            t = time.perf_counter()
            store.append(sid, "note_added", {"scene": None, "text": f"note {i}"}, after=i + 1)
            ours.append(time.perf_counter() - t)
        store.close()
        conn = sqlite3.connect(Path(tmp) / "bare.sqlite3", isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, data TEXT)")
        bare = []
        for i in range(n):
            t = time.perf_counter()
            conn.execute("BEGIN")
            conn.execute("INSERT INTO t (data) VALUES (?)", (f"note {i}",))
            conn.execute("COMMIT")
            bare.append(time.perf_counter() - t)
        conn.close()
    return {
        "append_median_ms": _median_ms(ours),
        "append_p95_ms": statistics.quantiles(ours, n=20)[18] * 1000,
        "bare_median_ms": _median_ms(bare),
    }


def main() -> None:
    bare = bench_playthroughs(scored=False)
    play = bench_playthroughs()
    print(
        f"engine: random playthroughs: {bare['choices_per_s']:,.0f} choices/s "
        f"(goal >= 50,000); scored: {play['choices_per_s']:,.0f} choices/s "
        f"({play['plays_per_s']:,.0f} plays/s, {play['mean_choices']:.1f} choices each)"
    )
    print(f"engine: session fold: {bench_session_fold():,.0f} events/s")
    app = bench_append()
    print(
        f"engine: acknowledged append (WAL, synchronous=FULL): median "
        f"{app['append_median_ms']:.3f} ms, p95 {app['append_p95_ms']:.3f} ms "
        f"(goal <= 1 ms); bare insert-and-commit: median {app['bare_median_ms']:.3f} ms"
    )


if __name__ == "__main__":
    main()
