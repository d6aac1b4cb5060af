"""Session stores: SQLite file vs PostgreSQL server (`python -m bench store`).

- acknowledged append latency (committed and durable when `append` returns): median and p95;
- throughput of 8 and 32 concurrent writer processes (each on its own session);
- `nexus-ttx cohort` over 10,000 stored sessions (the whole command, JSON output).

The PostgreSQL figures come from a throwaway cluster on loopback with fsync on (the server's
defaults), started and removed here (tests/pgcluster.py); without the server binaries only
SQLite is measured.
"""

from __future__ import annotations

import dataclasses
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = "sahel-gold-and-fuel"
LABELS = ("Nairobi course", "Tirana course", "Dakar course", "Manila course")

WRITER = r"""
import sys, time
from pathlib import Path
from engine.store import open_store
db, go, count = sys.argv[1], Path(sys.argv[2]), int(sys.argv[3])
with open_store(db) as store:
    sid = store.create_session(scenario_id="x", content_hash="h", title="X", mode="solo",
                               teams=["w"], data={}).session_id
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.002)
    for n in range(count):
        store.append(sid, "note_added", {"scene": None, "text": str(n)})
"""


def append_latency(target: str, n: int = 300) -> tuple[float, float]:
    """Median and p95 (ms) of one acknowledged append."""
    from engine.store import open_store

    with open_store(target) as store:
        sid = store.create_session(
            scenario_id="bench", content_hash="h", title="B", mode="solo", teams=["S"], data={}
        ).session_id
        samples = []
        for i in range(n):
            started = time.perf_counter()
            store.append(sid, "note_added", {"scene": None, "text": f"n{i}"})
            samples.append(time.perf_counter() - started)
    samples.sort()
    return statistics.median(samples) * 1000, samples[int(len(samples) * 0.95)] * 1000


def writers_throughput(target: str, writers: int, each: int, folder: Path) -> float:
    """Appends per second with `writers` processes appending `each` events at once."""
    from engine.store import open_store

    open_store(target).close()
    go = folder / f"go-{writers}-{time.monotonic_ns()}"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, target, str(go), str(each)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(writers)
    ]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    started = time.perf_counter()
    go.touch()
    for p in procs:
        p.wait(timeout=600)
        assert p.returncode == 0
    return writers * each / (time.perf_counter() - started)


def _played_records(count: int) -> list[Any]:
    """`count` facilitated sessions of the Sahel scenario played at random, as records."""
    from engine.check.validate import load_scenario
    from engine.exercise.exercise import Exercise
    from engine.load.library import find_scenario
    from engine.store.sqlite import MEMORY, Store

    path = Path(find_scenario(SCENARIO, []))
    scenario = load_scenario(path)
    rng = random.Random(7)
    teams = ("Table 1", "Table 2", "Table 3")
    records = []
    with Store(MEMORY) as store:
        for _ in range(count):
            ex = Exercise.start(
                store, scenario, scenario_path=str(path), mode="facilitated", teams=teams
            )
            while not ex.is_over:
                if ex.scene.kind != "decision":
                    ex.acknowledge()
                    continue
                for team in teams:
                    ex.record_choice(team, rng.choice(ex.offered).id)
                majority = ex.majority()
                ex.follow(majority or ex.session.votes[0][1], reason=None if majority else "tie")
            records.append(store.dump_session(ex.session_id))
    return records


def fill(target: str, sessions: int, distinct: int = 60) -> None:
    """Load `sessions` sessions (copies of `distinct` random plays, each with a fresh id and a
    `session_labelled` event naming one of four courses)."""
    from engine.play import events as ev
    from engine.store import open_store
    from engine.store.base import SessionRecord, StoredEvent

    base = _played_records(distinct)
    with open_store(target) as store:
        _durability_off(store)  # filling is not what is measured here
        for n in range(sessions):
            record = base[n % distinct]
            label = LABELS[n % len(LABELS)]
            last = record.events[-1]
            labelled = StoredEvent(
                last.seq + 1, ev.SESSION_LABELLED, ev.dumps({"label": label}), last.at
            )
            info = dataclasses.replace(record.info, id=f"b{n:07d}", label=label)
            store.load_session(SessionRecord(info, (*record.events, labelled)))


def _durability_off(store: Any) -> None:
    """Only for filling the bench store: commits without waiting for the disk."""
    from engine.store.sqlite import Store

    if isinstance(store, Store):
        store._conn.execute("PRAGMA synchronous = OFF")
    else:
        store._conn.execute("SET synchronous_commit = off")


def cohort_seconds(target: str, *extra: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEXUS_TTX_DB": target}
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-m", "cli", "cohort", "--format", "json", *extra],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=1800,
    )
    elapsed = time.perf_counter() - started
    assert proc.returncode == 0, proc.stderr
    json.loads(proc.stdout)
    return elapsed


def _measure(name: str, target: str, folder: Path, sessions: int) -> None:
    median, p95 = append_latency(target)
    print(f"{name:10} acknowledged append: median {median:.2f} ms, p95 {p95:.2f} ms")
    for writers, each in ((8, 200), (32, 50)):
        rate = writers_throughput(target, writers, each, folder)
        print(f"{name:10} {writers:2} writers x {each} appends: {rate:,.0f} appends/s")
    started = time.perf_counter()
    fill(target, sessions)
    filled = time.perf_counter() - started
    print(f"{name:10} loaded {sessions:,} sessions in {filled:.1f} s (durability off)")
    print(f"{name:10} cohort over {sessions:,} sessions: {cohort_seconds(target):.1f} s")
    compare = cohort_seconds(target, "--compare", LABELS[0], LABELS[1])
    print(f"{name:10} cohort --compare two labels ({sessions // 2:,} sessions): {compare:.1f} s")


def main(sessions: int = 10_000) -> None:
    from tests import pgcluster

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        _measure("sqlite", str(folder / "bench.sqlite3"), folder, sessions)
        reason = pgcluster.unavailable()
        if reason:
            print(f"postgresql skipped: {reason}")
            return
        cluster = pgcluster.Cluster(fsync=True)
        try:
            _measure("postgresql", cluster.database(), folder, sessions)
        finally:
            cluster.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
