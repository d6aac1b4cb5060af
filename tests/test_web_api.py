"""The live server's JSON API and its security rules, against `nexus-ttx serve` as a real
process on a loopback port, with the facilitator's side appending to the same store."""

from __future__ import annotations

import csv
import hashlib
import http.client
import io
import json

import pytest

from engine.play import events as ev
from tests.conftest import run_cli
from tests.live_server import facilitator, harbour_file, serve, start_session

FACILITATOR_ONLY = ("recommended", "enacts", "harmful", "feedback", "discussion")


def open_decision(ex) -> tuple[str, list[str]]:
    """The room at a decision still open for votes (moving on if its tally was revealed)."""
    ex.refresh()
    if ex.session.revealed:
        ex.follow(ex.offered[0].id, override=True, reason="move on")
    assert ex.scene.kind == "decision" and not ex.session.revealed
    return ex.scene.id, [c.id for c in ex.offered]


@pytest.fixture
def live(tmp_path_factory):
    """A fresh session served for each test (tests run in any order, on any worker)."""
    folder = tmp_path_factory.mktemp("live")
    db = folder / "s.sqlite3"
    scenario = harbour_file(folder)
    session_id = start_session(db, scenario, feedback="immediate")
    server = serve(db, session_id)
    store, ex = facilitator(db, session_id, scenario)
    yield server, ex, db
    server.kill()
    store.close()


def test_join_gives_a_strong_token_stored_only_hashed(live) -> None:
    server, ex, db = live
    status, head, text = server.request(
        "POST", "/api/join", {"code": server.info["code"], "name": "Ana", "team": "A"}
    )
    assert status == 200
    data = json.loads(text)
    token = data["token"]
    assert len(token) >= 22  # urlsafe base64: >= 128 bits
    cookie = head["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/" in cookie
    ex.refresh()
    joined = ex.session.participant(data["participant"])
    assert joined is not None and joined.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = b"".join(p.read_bytes() for p in db.parent.glob("s.sqlite3*"))
    assert token.encode() not in stored


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"code": "WRONG1", "name": "Ana", "team": "A"}, 403),
        ({"name": "Ana", "team": "A"}, 403),
        ({"code": "CODE", "name": "", "team": "A"}, 422),
        ({"code": "CODE", "name": "\x00\x07", "team": "A"}, 422),
        ({"code": "CODE", "name": "x" * 41, "team": "A"}, 422),
        ({"code": "CODE", "name": "Ana", "team": "Nope"}, 422),
        ({"code": "CODE", "name": 5, "team": "A"}, 422),
    ],
)
def test_bad_joins_are_refused(live, body, status) -> None:
    server, _, _ = live
    if body.get("code") == "CODE":
        body = dict(body, code=server.info["code"])
    got, _, text = server.request("POST", "/api/join", body)
    assert got == status, text
    assert "error" in json.loads(text)


def test_state_is_the_participant_view_only(live) -> None:
    server, ex, _ = live
    _, token = server.join("Bo", "B")
    state = server.state(token)
    assert state["scene"]["id"] == "tip-off" and state["scene"]["kind"] == "decision"
    assert [c["id"] for c in state["choices"]] == [c.id for c in ex.offered]
    assert state["revealed"] is False and state["tally"] is None and state["my_vote"] is None
    text = json.dumps(state)
    for key in FACILITATOR_ONLY:
        assert f'"{key}"' not in text
    assert "Leaks endanger sources" not in text  # a choice's feedback
    for choice in state["choices"]:
        assert set(choice) == {"id", "text"}


def test_cross_origin_and_missing_origin_posts_are_refused(live) -> None:
    server, _, _ = live
    _, token = server.join("Cy", "C")
    vote = {"scene": "tip-off", "choice": "share"}
    for origin in ("http://evil.example", "null", None, f"http://127.0.0.1:{server.port + 1}"):
        status, _, _ = server.request("POST", "/api/vote", vote, token=token, origin=origin)
        assert status == 403, origin
    assert server.state(token)["my_vote"] is None
    assert server.vote(token, "tip-off", "share") == 200
    assert server.state(token)["my_vote"] == "share"


def test_forged_and_stale_tokens_are_refused(live, tmp_path) -> None:
    server, _, _ = live
    for token in ("forged", "x" * 32, hashlib.sha256(b"x").hexdigest()):
        assert server.request("GET", "/api/state", token=token)[0] == 401
        assert server.vote(token, "tip-off", "share") == 401
    assert server.request("GET", "/api/state", token=None)[0] == 401
    # a token from another session's server is stale here
    db = tmp_path / "other.sqlite3"
    other_id = start_session(db, harbour_file(tmp_path))
    other = serve(db, other_id)
    try:
        _, foreign = other.join("Di", "A")
    finally:
        other.kill()
    assert server.request("GET", "/api/state", token=foreign)[0] == 401


def test_votes_only_on_the_open_decision(live) -> None:
    server, ex, _ = live
    _, token = server.join("Ed", "A")
    assert server.vote(token, "tip-off", "no-such-choice") == 422
    assert server.vote(token, "press", "brief") == 409  # not the current decision
    assert server.vote(token, "tip-off", "legal-review") == 200
    ex.refresh()
    ex.reveal()
    assert server.vote(token, "tip-off", "share") == 409  # revealed: closed
    state = server.state(token)
    assert state["revealed"] is True and state["my_vote"] == "legal-review"
    assert state["tally"]["legal-review"]["votes"] >= 1
    ex.follow("share", override=True, reason="test")
    assert server.vote(token, "tip-off", "share") == 409  # the room moved on
    state = server.state(token)
    assert state["followed"] == "share" and state["last"]["feedback"] is None  # share has none
    ex.correct(ex.events()[-1].seq, text="back to the tip-off")  # undo the move


def test_pseudonym_with_markup_is_escaped(live) -> None:
    server, ex, db = live
    _, token = server.join("<script>alert(1)</script>", "B")
    _, formula = server.join("=HYPERLINK(1)", "B")
    status, _, page = server.request("GET", "/", headers={"Cookie": f"ttx={token}"})
    assert status == 200
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    scene, offered = open_decision(ex)
    choice = offered[0]
    assert server.vote(token, scene, choice) == 200
    assert server.vote(formula, scene, choice) == 200
    ex.refresh()
    ex.follow(choice, override=True, reason="<b>why</b>")
    reports = {
        fmt: run_cli("report", ex.session_id, "--db", str(db), "--format", fmt)
        for fmt in ("md", "html", "csv", "json")
    }
    for fmt, result in reports.items():
        assert result.returncode == 0, result.stderr
        assert "<script>alert(1)" not in result.stdout or fmt in ("csv", "json"), fmt
    assert "&lt;script&gt;alert\\(1\\)" in reports["md"].stdout
    assert "&lt;script&gt;alert(1)" in reports["html"].stdout
    assert "<b>why</b>" not in reports["html"].stdout
    rows = list(csv.DictReader(io.StringIO(reports["csv"].stdout)))
    names = {r["participant"] for r in rows if r["who"] == "participant"}
    assert "'=HYPERLINK(1)" in names and "=HYPERLINK(1)" not in names
    data = json.loads(reports["json"].stdout)
    assert {p["name"] for p in data["participants"]} >= {"<script>alert(1)</script>"}
    ex.correct(ex.events()[-1].seq, text="undo for the next tests")


def test_oversize_body_is_refused(live) -> None:
    server, _, _ = live
    big = json.dumps({"code": server.info["code"], "name": "x" * 5000, "team": "A"}).encode()
    status, _, _ = server.request(
        "POST", "/api/join", raw=big, headers={"Content-Type": "application/json"}
    )
    assert status == 413


def test_rate_limit_per_participant(live) -> None:
    server, ex, _ = live
    scene, offered = open_decision(ex)
    _, token = server.join("Flo", "C")
    statuses = [server.vote(token, scene, offered[0]) for _ in range(30)]
    assert 429 in statuses and statuses[0] == 200
    _, other = server.join("Gus", "C")
    assert server.vote(other, scene, offered[-1]) == 200  # others are not slowed down


def test_every_response_has_the_content_security_policy(live) -> None:
    server, _, _ = live
    for method, path in (("GET", "/"), ("GET", "/api/state"), ("GET", "/static/live.css")):
        _, head, _ = server.request(method, path)
        assert head["content-security-policy"].startswith("default-src 'self'")
        assert head["x-content-type-options"] == "nosniff"


def test_screen_needs_the_facilitator_key(live) -> None:
    server, _, _ = live
    assert server.request("GET", "/screen")[0] == 403
    assert server.request("GET", "/screen?key=wrong")[0] == 403
    key = server.info["screen"].split("key=")[1]
    status, _, page = server.request("GET", f"/screen?key={key}")
    assert status == 200 and "<svg" in page and server.info["code"] in page


def test_event_stream_pushes_the_facilitators_moves(live) -> None:
    server, ex, _ = live
    _, token = server.join("Hal", "A")
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
    conn.request("GET", "/api/events", headers={"Authorization": f"Bearer {token}"})
    response = conn.getresponse()
    assert response.status == 200
    assert response.getheader("Content-Type").startswith("text/event-stream")

    def next_state() -> dict:
        data = None
        while True:
            line = response.fp.readline().decode()
            if line.startswith("data: "):
                data = json.loads(line[6:])
            elif line == "\n" and data is not None:
                return data

    first = next_state()
    _scene, offered = open_decision(ex)
    ex.add_note("stream check")
    ex.record_choice("A", offered[0])  # a facilitator's append in another connection
    changed = next_state()
    assert changed["seq"] > first["seq"]
    conn.close()
    kinds = [e.kind for e in ex.events()]
    assert ev.PARTICIPANT_JOINED in kinds and ev.CHOICE_MADE in kinds


def test_choices_come_in_the_sessions_displayed_order(tmp_path) -> None:
    """The API, the pages and the projector list a decision's choices in the order the TUI
    numbers them (the session's seed; file order for a session without one)."""
    from engine.play import order

    scenario = harbour_file(tmp_path)
    db = tmp_path / "s.sqlite3"
    session_id = start_session(db, scenario, order="shuffled")
    server = serve(db, session_id)
    store, ex = facilitator(db, session_id, scenario)
    try:
        engine_order = [c.id for c in ex.offered]
        expected = order.displayed(ex.session.seed, ex.scenario.scenes[ex.scene.id])
        assert engine_order == [c.id for c in expected]
        _, token = server.join("Hal", "A")
        state = server.state(token)
        assert [c["id"] for c in state["choices"]] == engine_order
        key = server.info["screen"].split("key=")[1]
        status, _, text = server.request("GET", f"/api/state?key={key}")
        assert status == 200 and [c["id"] for c in json.loads(text)["choices"]] == engine_order
        ex.refresh()
        ex.reveal()
        state = server.state(token)
        assert list(state["tally"]) == [c for c in engine_order if c in state["tally"]]
    finally:
        server.kill()
        store.close()


def test_join_attempts_are_limited_per_address(tmp_path) -> None:
    """Right or wrong code, a client address gets `--joins-per-minute` attempts at once, then
    429: the join code cannot be guessed and one machine cannot flood the room."""
    scenario = harbour_file(tmp_path)
    db = tmp_path / "s.sqlite3"
    session_id = start_session(db, scenario)
    server = serve(db, session_id, "--joins-per-minute", "3")
    try:
        wrong = {"code": "WRONG1", "name": "Ivo", "team": "A"}
        assert server.request("POST", "/api/join", wrong)[0] == 403
        server.join("Jo", "A")
        server.join("Kim", "B")
        right = {"code": server.info["code"], "name": "Lou", "team": "C"}
        status, _, text = server.request("POST", "/api/join", right)
        assert status == 429 and "error" in json.loads(text)
        assert server.request("POST", "/api/join", wrong)[0] == 429
    finally:
        server.kill()
    store, ex = facilitator(db, session_id, scenario)
    try:
        assert {p.name for p in ex.session.participants} == {"Jo", "Kim"}
    finally:
        store.close()
