"""Several processes appending to one store: nothing lost, never "database is locked".

Runs on both back ends (`store_target`: a SQLite file, a fresh PostgreSQL database)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from engine.store import open_store

ROOT = Path(__file__).resolve().parents[1]

WRITER = r"""
import sys, time
from pathlib import Path
from engine.store import open_store
db, go, worker, shared = sys.argv[1], Path(sys.argv[2]), sys.argv[3], sys.argv[5]
count = int(sys.argv[4])
with open_store(db) as store:
    if shared == "-":
        sid = store.create_session(scenario_id="x", content_hash="h", title="X", mode="solo",
                                   teams=[worker], data={"worker": worker}).session_id
    else:
        sid = shared
    print(sid, flush=True)
    while not go.exists():
        time.sleep(0.005)
    for n in range(count):
        store.append(sid, "note_added", {"scene": None, "text": f"{worker}:{n}"})
print("done", flush=True)
"""


def _writers(db: str, go: Path, count: int, shared: list[str]) -> list[subprocess.Popen]:
    procs = []
    for w, sid in enumerate(shared):
        procs.append(
            subprocess.Popen(
                [sys.executable, "-c", WRITER, str(db), str(go), f"w{w}", str(count), sid],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
            )
        )
    return procs


def _run(db: str, go: Path, count: int, shared: list[str]) -> dict[str, str]:
    procs = _writers(db, go, count, shared)
    ids = {f"w{w}": p.stdout.readline().strip() for w, p in enumerate(procs)}
    go.touch()
    for p in procs:
        _out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "locked" not in err
    return ids


def test_eight_processes_two_hundred_appends_each(tmp_path, store_target) -> None:
    db = store_target
    open_store(db).close()  # created once, so the writers race on appends, not on the schema
    ids = _run(db, tmp_path / "go", 200, ["-"] * 8)
    with open_store(db) as store:
        total = 0
        for worker, sid in ids.items():
            events = store.events(sid)
            assert [e.seq for e in events] == list(range(1, 202))
            assert [e.data["text"] for e in events[1:]] == [f"{worker}:{n}" for n in range(200)]
            total += len(events) - 1
    assert total == 1600


def test_eight_processes_append_to_one_session(tmp_path, store_target) -> None:
    """The live hybrid case: several voters write into the same session (the racing case:
    each append reads the last seq, and two may read the same one)."""
    db = store_target
    with open_store(db) as store:
        sid = store.create_session(
            scenario_id="x", content_hash="h", title="X", mode="facilitated", teams=["a"], data={}
        ).session_id
    _run(db, tmp_path / "go", 100, [sid] * 8)
    with open_store(db) as store:
        events = store.events(sid)
    assert [e.seq for e in events] == list(range(1, 802))
    texts = [e.data["text"] for e in events[1:]]
    assert len(set(texts)) == 800  # nothing duplicated
    for w in range(8):
        mine = [t for t in texts if t.startswith(f"w{w}:")]
        assert mine == [f"w{w}:{n}" for n in range(100)]  # each writer's order is kept


def test_eight_processes_create_the_store_at_once(tmp_path, store_target) -> None:
    """No process finds a half-made schema or a locked file when all open a new store."""
    db = store_target
    if not db.startswith("postgresql"):
        db = str(tmp_path / "fresh" / "s.sqlite3")
    ids = _run(db, tmp_path / "go", 20, ["-"] * 8)
    with open_store(db) as store:
        assert sorted(i.id for i in store.sessions()) == sorted(ids.values())
        assert all(len(store.events(sid)) == 21 for sid in ids.values())
