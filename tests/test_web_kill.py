"""Kill -9 of the web server, and of the facilitator's process, in the middle of voting: after a
restart nothing acknowledged is lost and no vote counts twice."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from pathlib import Path

from engine.check.validate import load_scenario
from engine.play import events as ev
from engine.play.session import fold
from engine.store.sqlite import Store
from tests.conftest import ROOT
from tests.live_server import harbour_file, serve, start_session

CHOICES = ("share", "legal-review", "leak")


def vote_storm(server, tokens: list[str], rounds: int, acked: dict[str, list[str]]) -> None:
    """Every participant votes `rounds` times, cycling through the choices; `acked` gets the
    choices the server acknowledged (200), in order. Stops at the first refused connection."""

    def one(token: str) -> None:
        for i in range(rounds):
            choice = CHOICES[i % len(CHOICES)]
            try:
                status = server.vote(token, "tip-off", choice)
            except OSError:
                return  # the server is gone
            if status == 200:
                acked[token].append(choice)
            elif status != 429:
                return

    threads = [threading.Thread(target=one, args=(t,)) for t in tokens]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def stored_votes(db: Path, session_id: str, scenario) -> tuple[dict[str, str], list]:
    with Store(db) as store:
        events = store.events(session_id)
    session = fold(scenario, events)
    return dict(session.pvotes), [e for e in events if e.kind == ev.PARTICIPANT_VOTED]


def test_server_killed_mid_vote_loses_nothing_acknowledged(tmp_path) -> None:
    db = tmp_path / "s.sqlite3"
    path = harbour_file(tmp_path)
    scenario = load_scenario(path)
    session_id = start_session(db, path)
    server = serve(db, session_id)
    people = [server.join(f"P{i}", "ABC"[i % 3]) for i in range(12)]
    tokens = [token for _, token in people]
    by_token = {token: pid for pid, token in people}
    acked: dict[str, list[str]] = {t: [] for t in tokens}
    storm = threading.Thread(target=vote_storm, args=(server, tokens, 40, acked))
    storm.start()
    while sum(len(a) for a in acked.values()) < 40 and storm.is_alive():
        threading.Event().wait(0.02)
    server.kill(signal.SIGKILL)
    storm.join()
    assert sum(len(a) for a in acked.values()) >= 40

    votes, log = stored_votes(db, session_id, scenario)
    for token, choices in acked.items():
        if not choices:
            continue
        pid = by_token[token]
        mine = [e.data["choice"] for e in log if e.data["participant"] == pid]
        # every acknowledged vote is stored, in order; at most one more (in flight) after it
        assert mine[: len(choices)] == choices
        assert len(mine) - len(choices) in (0, 1)
        assert votes[pid] == mine[-1]
    heads = Counter(votes.values())
    assert sum(heads.values()) == len(votes) <= len(tokens)  # one head, one vote

    again = serve(db, session_id)  # the restarted server knows everyone's token
    try:
        token = tokens[0]
        assert again.vote(token, "tip-off", "leak") == 200
        assert again.state(token)["my_vote"] == "leak"
    finally:
        again.kill()


FACADE = """
import sys
from engine.check.validate import load_scenario
from engine.exercise.exercise import Exercise
from engine.store.sqlite import Store
store = Store(sys.argv[1])
ex = Exercise.resume(store, sys.argv[2], load_scenario(sys.argv[3]))
choices = ["share", "legal-review", "leak"]
i = 0
while True:
    ex.record_choice("C", choices[i % 3])
    print(ex.session.seq, choices[i % 3], flush=True)
    i += 1
"""


def test_facilitator_killed_mid_vote_loses_nothing(tmp_path) -> None:
    db = tmp_path / "s.sqlite3"
    path = harbour_file(tmp_path)
    scenario = load_scenario(path)
    session_id = start_session(db, path)
    server = serve(db, session_id)
    try:
        people = [server.join(f"Q{i}", "AB"[i % 2]) for i in range(6)]
        tokens = [token for _, token in people]
        acked: dict[str, list[str]] = {t: [] for t in tokens}
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        facade = subprocess.Popen(
            [sys.executable, "-c", FACADE, str(db), session_id, str(path)],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        storm = threading.Thread(target=vote_storm, args=(server, tokens, 15, acked))
        storm.start()
        recorded = [facade.stdout.readline().split() for _ in range(25)]
        facade.send_signal(signal.SIGKILL)
        facade.wait(timeout=30)
        storm.join()

        with Store(db) as store:
            events = {e.seq: e for e in store.events(session_id)}
        for seq, choice in recorded:  # every move the facilitator's process saw acknowledged
            event = events[int(seq)]
            assert event.kind == ev.CHOICE_MADE and event.data["choice"] == choice
        session = fold(scenario, events.values())
        log = [e for e in events.values() if e.kind == ev.PARTICIPANT_VOTED]
        for pid, token in people:
            mine = [e.data["choice"] for e in log if e.data["participant"] == pid]
            assert mine == acked[token]  # the server stayed up: exactly what it acknowledged
            assert session.pvote_of(pid) == (mine[-1] if mine else None)
        assert session.vote_of("C") == recorded[-1][1] or len(events) > int(recorded[-1][0])
    finally:
        server.kill()
