"""Participant feedback at the end of a live session: `POST /api/feedback` and the plain form
against `nexus-ttx serve` as a real process, stored as an anonymous `feedback_given` event and
summarised in the after-action report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from engine.play import events as ev
from tests.conftest import run_cli
from tests.live_server import facilitator, serve, start_session
from tests.scenarios.hand import harbour

OBJECTIVES = [
    {"id": "share", "text": "Share the tip-off with partners.", "practices": ["GP3"]},
    {"id": "engage", "text": "Engage the harbour community.", "practices": ["GP13"]},
]


def harbour_with_objectives(folder: Path) -> Path:
    path = folder / "harbour.yaml"
    data = dict(harbour(), objectives=OBJECTIVES)
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def play_to_the_end(ex) -> None:
    """The facilitator's side moves the room to an ending."""
    ex.refresh()
    while ex.scene.kind != "ending":
        if ex.scene.kind == "decision":
            ex.follow(ex.offered[0].id, override=True, reason="to the end")
        else:
            ex.acknowledge()


def served(folder: Path):
    db = folder / "s.sqlite3"
    scenario = harbour_with_objectives(folder)
    session_id = start_session(db, scenario)
    server = serve(db, session_id)
    store, ex = facilitator(db, session_id, scenario)
    return server, store, ex, db


@pytest.fixture
def live(tmp_path):
    server, store, ex, db = served(tmp_path)
    yield server, ex, db
    server.kill()
    store.close()


def given(ex) -> list:
    ex.refresh()
    return [e for e in ex.events() if e.kind == ev.FEEDBACK_GIVEN]


def test_feedback_is_refused_before_the_ending_and_without_a_token(live) -> None:
    server, ex, _ = live
    _, token = server.join("Ana", "A")
    body = {"ratings": {"share": 4}, "worked": "ok"}
    status, _, text = server.request("POST", "/api/feedback", body, token=token)
    assert status == 409 and "ended" in json.loads(text)["error"]
    play_to_the_end(ex)
    assert server.request("POST", "/api/feedback", body)[0] == 401
    assert server.request("POST", "/api/feedback", body, token="forged")[0] == 401
    assert server.request("POST", "/api/feedback", body, token=token, origin=None)[0] == 403
    assert given(ex) == []


def test_feedback_is_stored_anonymously_once_and_escaped_in_the_aar(live) -> None:
    server, ex, db = live
    pid, token = server.join("Ana", "B")
    play_to_the_end(ex)
    assert server.state(token)["feedback"] == {
        "given": False,
        "objectives": [{"id": o["id"], "text": o["text"]} for o in OBJECTIVES],
    }
    body = {
        "ratings": {"engage": 2, "share": 5},
        "worked": "  The <script>alert(1)</script> map\x00\x1b helped.\r\nA lot. ",
        "change": "More time",
    }
    status, _, text = server.request("POST", "/api/feedback", body, token=token)
    assert status == 200, text
    again = server.request("POST", "/api/feedback", dict(body, worked="twice"), token=token)
    assert again[0] == 409
    [event] = given(ex)
    assert json.loads(text)["seq"] == event.seq
    assert event.data == {
        "ratings": {"engage": 2, "share": 5},
        "worked": "The <script>alert(1)</script> map helped.\nA lot.",
        "change": "More time",
        "team": "B",
    }
    assert pid not in repr(event.data) and "Ana" not in repr(event.data)
    assert server.state(token)["feedback"]["given"] is True
    out = db.parent / "aar.html"
    result = run_cli(
        "report", ex.session_id, "--format", "aar", "-o", str(out), env={"NEXUS_TTX_DB": str(db)}
    )
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; map helped." in html
    assert "More time" in html and "1 response" in html and "response(s)" not in html


@pytest.mark.parametrize(
    "body",
    [
        {"ratings": {"share": 6}},
        {"ratings": {"share": 0}},
        {"ratings": {"share": "3"}},
        {"ratings": {"share": True}},
        {"ratings": {"nope": 3}},
        {"ratings": [3]},
        {"worked": "x" * 1001},
        {"change": 5},
        {},
        {"worked": "\x00\x01 "},
    ],
)
def test_bad_feedback_is_refused_with_422_and_nothing_stored(live, body) -> None:
    server, ex, _ = live
    _, token = server.join("Ana", "A")
    play_to_the_end(ex)
    status, _, text = server.request("POST", "/api/feedback", body, token=token)
    assert status == 422, text
    assert "error" in json.loads(text)
    assert given(ex) == []
    # refused feedback does not use up the participant's one answer
    assert server.request("POST", "/api/feedback", {"worked": "fine"}, token=token)[0] == 200


def test_the_form_posts_feedback_without_javascript(live) -> None:
    server, ex, _ = live
    _, token = server.join("Ana", "C")
    play_to_the_end(ex)
    cookie = {"Cookie": f"ttx={token}", "Content-Type": "application/x-www-form-urlencoded"}
    page = server.request("GET", "/", headers={"Cookie": f"ttx={token}"})[2]
    assert 'action="/feedback"' in page and 'name="rate-engage"' in page
    assert 'http-equiv="refresh"' not in page  # typing is never wiped by a reload
    form = b"rate-share=3&rate-engage=&worked=Clear+roles&change=%3Cb%3E"
    bad = server.request("POST", "/feedback", raw=b"rate-share=9", headers=cookie)
    assert bad[0] == 422 and "1 to 5" in bad[2]
    assert server.request("POST", "/feedback", raw=form, headers=cookie, origin=None)[0] == 403
    status, head, _ = server.request("POST", "/feedback", raw=form, headers=cookie)
    assert status == 303 and head["location"] == "/"
    [event] = given(ex)
    assert event.data == {
        "ratings": {"share": 3},
        "worked": "Clear roles",
        "change": "<b>",
        "team": "C",
    }
    page = server.request("GET", "/", headers={"Cookie": f"ttx={token}"})[2]
    assert "your feedback was recorded" in page and 'action="/feedback"' not in page


CHROMIUM = "/usr/bin/chromium"


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_chromium_without_javascript_sends_the_feedback_form(live) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_web_browser import ARGS

    server, ex, _ = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_context(java_script_enabled=False).new_page()
            page.goto(server.url)
            page.fill("#code", server.info["code"])
            page.fill("#name", "Bea")
            page.check("input[name=team][value='B']")
            page.click("button[type=submit]")
            page.wait_for_selector("#choices")
            assert page.locator("form[action='/feedback']").count() == 0
            play_to_the_end(ex)
            page.goto(server.url)
            page.check("input[name=rate-share][value='4']")
            page.check("input[name=rate-engage][value='1']")
            page.fill("#worked", "The <script>x</script> map")
            page.fill("#change", "Shorter briefing")
            page.click("#send-feedback")
            page.wait_for_selector("text=your feedback was recorded")
            assert page.locator("form[action='/feedback']").count() == 0
        finally:
            browser.close()
    [event] = given(ex)
    assert event.data == {
        "ratings": {"share": 4, "engage": 1},
        "worked": "The <script>x</script> map",
        "change": "Shorter briefing",
        "team": "B",
    }


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed")
def test_with_javascript_the_form_appears_when_the_room_reaches_its_ending(live) -> None:
    from playwright.sync_api import sync_playwright

    from tests.test_web_browser import ARGS, join

    server, ex, _ = live
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            page = browser.new_page()
            join(page, server, "Cai", "A")
            # a selector, not wait_for_function: the page's CSP forbids evaluating strings
            page.wait_for_selector("body[data-live='on']", state="attached")
            play_to_the_end(ex)
            page.wait_for_selector("#send-feedback")  # no reload: the live script shows it
            page.fill("#worked", "Live")
            page.click("#send-feedback")
            page.wait_for_selector("text=your feedback was recorded")
        finally:
            browser.close()
    assert [e.data["worked"] for e in given(ex)] == ["Live"]
