"""SIGKILL a process in the middle of a session: resume restores every acknowledged event."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from engine.core.model import scenario_from_dict
from engine.exercise.exercise import Exercise
from engine.store import open_store
from tests.scenarios.hand import convoy

ROOT = Path(__file__).resolve().parents[1]

# Plays like the TUI does: each move is appended through the Exercise facade, and only after
# the call returns does it "show" the move (prints "ack SEQ").
DRIVER = r"""
import sys
from engine.exercise.exercise import Exercise
from engine.core.model import scenario_from_dict
from engine.store import open_store
from tests.scenarios.hand import convoy

store = open_store(sys.argv[1])
ex = Exercise.start(store, scenario_from_dict(convoy()), mode="facilitated",
                    teams=("A", "B"))
print("session", ex.session_id, flush=True)
ex.acknowledge()
print("ack", ex.session.seq, flush=True)
n = 0
while True:
    ex.record_choice("AB"[n % 2], ("task-force", "wait", "raid")[n % 3])
    print("ack", ex.session.seq, flush=True)
    ex.add_note(f"note {n}")
    print("ack", ex.session.seq, flush=True)
    n += 1
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
@pytest.mark.parametrize("round_", range(3))
def test_sigkill_loses_no_acknowledged_event(store_target, round_) -> None:
    db = store_target
    kill_after = random.Random(round_).randint(3, 400)
    proc = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(db)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        session_id = proc.stdout.readline().split()[1]
        acked: list[int] = []
        while len(acked) < kill_after:
            line = proc.stdout.readline()
            assert line.startswith("ack"), proc.stderr.read()
            acked.append(int(line.split()[1]))
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    scenario = scenario_from_dict(convoy())
    with open_store(db) as store:
        resumed = Exercise.resume(store, session_id, scenario)
        seqs = [e.seq for e in resumed.events()]
        assert set(acked) <= set(seqs)
        assert seqs == list(range(1, len(seqs) + 1))  # no gap, nothing half-written
        assert resumed.session.seq >= acked[-1]
        notes = [n.text for n in resumed.notes]
        assert notes == [f"note {i}" for i in range(len(notes))]
        resumed.record_choice("A", "task-force")  # and play goes on
        resumed.follow("task-force", override=True)
        assert resumed.scene.id == "border"
