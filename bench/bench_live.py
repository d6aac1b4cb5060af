"""Live sessions under load: 1,000 simulated participants (aiohttp clients on loopback) join
and vote within ten seconds against `nexus-ttx serve` running as its own process.

Measured: every vote stored exactly once; median and p95 time from POST to acknowledgement
(join and vote); median and p95 time from a vote's POST to the facilitator's side seeing it in
its tally (a second process-like reader: its own store connection polling for changes, as the
TUI does); the server's peak memory (VmHWM). Goals: p95 acknowledgement <= 100 ms, tally within
1 s on a 2-core machine. Run: `python -m bench live` (`--participants N` to change the load).
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
TEAMS = ("Table 1", "Table 2", "Table 3", "Table 4", "Table 5")


def _session(db: Path) -> tuple[str, Path]:
    """A facilitated session of the first built-in scenario, at its first decision."""
    from engine.check.validate import load_scenario
    from engine.exercise.exercise import Exercise
    from engine.store.sqlite import Store

    path = min(p for p in (ROOT / "scenarios").glob("*.yaml") if p.name != "toolkit.yaml")
    scenario = load_scenario(path)
    with Store(db) as store:
        ex = Exercise.start(
            store, scenario, scenario_path=str(path), mode="facilitated", teams=TEAMS
        )
        while ex.scene.kind != "decision":
            ex.acknowledge()
        return ex.session_id, path


def _serve(db: Path, session_id: str) -> tuple[subprocess.Popen[str], dict[str, Any]]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", session_id, "--db", str(db), "--port", "0"]
        + ["--joins-per-minute", "0"]  # every simulated participant joins from 127.0.0.1
        + ["--json"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    return proc, json.loads(proc.stdout.readline())


class Facilitator(threading.Thread):
    """The facilitator's side: its own connection, folding in appends as the TUI does, and
    noting when each event became visible in its tally."""

    def __init__(self, db: Path, session_id: str, scenario_path: Path) -> None:
        super().__init__(daemon=True)
        self.db, self.session_id, self.path = db, session_id, scenario_path
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()

    def run(self) -> None:
        from engine.check.validate import load_scenario
        from engine.exercise.exercise import Exercise
        from engine.store.sqlite import Store

        with Store(self.db) as store:
            ex = Exercise.resume(store, self.session_id, load_scenario(self.path))
            while not self.stop.is_set():
                last = store.wait_for_change(self.session_id, ex.session.seq, timeout=0.5)
                if last > ex.session.seq:
                    before = ex.session.seq
                    ex.refresh()
                    ex.session.live_tally()  # what the TUI redraws
                    now = time.perf_counter()
                    for seq in range(before + 1, ex.session.seq + 1):
                        self.seen[seq] = now


async def _participants(info: dict[str, Any], n: int, spread: float) -> dict[str, Any]:
    import aiohttp

    url, origin = info["url"], info["url"].rstrip("/")
    joins: list[float] = []
    votes: list[tuple[float, float, int]] = []  # (post time, ack latency, seq)
    errors: list[str] = []
    state_scene: dict[str, Any] = {}
    connector = aiohttp.TCPConnector(limit=200)
    async with aiohttp.ClientSession(connector=connector, headers={"Origin": origin}) as http:

        async def one(i: int) -> None:
            await asyncio.sleep(spread * i / n)
            t0 = time.perf_counter()
            body = {"code": info["code"], "name": f"P{i}", "team": TEAMS[i % len(TEAMS)]}
            async with http.post(url + "api/join", json=body) as r:
                data = await r.json()
                if r.status != 200:
                    errors.append(f"join {r.status} {data}")
                    return
            joins.append(time.perf_counter() - t0)
            auth = {"Authorization": f"Bearer {data['token']}"}
            if not state_scene:
                async with http.get(url + "api/state", headers=auth) as r:
                    state_scene.update(await r.json())
            choices = state_scene["choices"]
            vote = {"scene": state_scene["scene"]["id"], "choice": choices[i % len(choices)]["id"]}
            t1 = time.perf_counter()
            async with http.post(url + "api/vote", json=vote, headers=auth) as r:
                answer = await r.json()
                if r.status != 200:
                    errors.append(f"vote {r.status} {answer}")
                    return
            votes.append((t1, time.perf_counter() - t1, int(answer["seq"])))

        started = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(n)))
        elapsed = time.perf_counter() - started
    return {"joins": joins, "votes": votes, "errors": errors, "elapsed": elapsed}


def _ms(samples: list[float], q: float) -> float:
    if not samples:
        return float("nan")
    ordered = sorted(samples)
    return 1000 * ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _peak_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return -1


def run(n: int = 1000, spread: float = 5.0) -> dict[str, Any]:
    from engine.play import events as ev
    from engine.store.sqlite import Store

    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "live.sqlite3"
        session_id, path = _session(db)
        proc, info = _serve(db, session_id)
        facilitator = Facilitator(db, session_id, path)
        facilitator.start()
        try:
            result = asyncio.run(_participants(info, n, spread))
            deadline = time.monotonic() + 10
            last_seq = max((s for _, _, s in result["votes"]), default=0)
            while last_seq not in facilitator.seen and time.monotonic() < deadline:
                time.sleep(0.05)
            peak = _peak_kib(proc.pid)
        finally:
            facilitator.stop.set()
            proc.terminate()
            proc.wait(timeout=30)
        facilitator.join(timeout=5)
        with Store(db) as store:
            events = store.events(session_id)
    voted = [e.data["participant"] for e in events if e.kind == ev.PARTICIPANT_VOTED]
    joined = [e for e in events if e.kind == ev.PARTICIPANT_JOINED]
    tally_lag = [
        facilitator.seen[seq] - (t0 + ack)
        for t0, ack, seq in result["votes"]
        if seq in facilitator.seen
    ]
    vote_to_tally = [
        facilitator.seen[seq] - t0 for t0, _, seq in result["votes"] if seq in facilitator.seen
    ]
    return {
        "participants": n,
        "elapsed_s": result["elapsed"],
        "errors": result["errors"][:5],
        "joined": len(joined),
        "votes_stored": len(voted),
        "votes_distinct": len(set(voted)),
        "join_ack_ms": (_ms(result["joins"], 0.5), _ms(result["joins"], 0.95)),
        "vote_ack_ms": (
            _ms([a for _, a, _ in result["votes"]], 0.5),
            _ms([a for _, a, _ in result["votes"]], 0.95),
        ),
        "vote_to_tally_ms": (_ms(vote_to_tally, 0.5), _ms(vote_to_tally, 0.95)),
        "ack_to_tally_ms": (_ms(tally_lag, 0.5), _ms(tally_lag, 0.95)),
        "seen_by_facilitator": len(vote_to_tally),
        "server_peak_mib": peak / 1024,
    }


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[2:] if argv is None else argv
    n = int(args[args.index("--participants") + 1]) if "--participants" in args else 1000
    r = run(n)
    print(
        f"live: {r['participants']} participants joined and voted in {r['elapsed_s']:.1f} s; "
        f"stored {r['joined']} joins and {r['votes_stored']} votes "
        f"({r['votes_distinct']} distinct voters){'; errors: ' + str(r['errors']) if r['errors'] else ''}"
    )
    print(
        "live: POST -> ack, median / p95: join {:.1f} / {:.1f} ms, vote {:.1f} / {:.1f} ms".format(
            *r["join_ack_ms"], *r["vote_ack_ms"]
        )
    )
    print(
        "live: vote POST -> facilitator's tally, median / p95: {:.0f} / {:.0f} ms "
        "({} of {} votes seen)".format(
            *r["vote_to_tally_ms"], r["seen_by_facilitator"], r["votes_stored"]
        )
    )
    print(f"live: server peak memory (VmHWM) {r['server_peak_mib']:.0f} MiB")
    print(
        f"live: every vote stored exactly once: {r['votes_stored'] == r['votes_distinct'] == r['participants']}"
    )


if __name__ == "__main__":
    main(sys.argv[1:])
