"""Live sessions with role cards and identify drills: each participant sees only their own
role's brief and private texts (JSON API and pages, checked in real Chromium), and a drill is a
multi-select (form checkboxes without JavaScript; `POST /api/vote {"scene", "choices"}`)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.live_server import facilitator, serve
from tests.test_web_browser import ARGS, CHROMIUM

LAYERS = Path(__file__).resolve().parent / "fixtures" / "valid" / "layers.yaml"
FIU_ONLY = "Three reports name the same gold buyer."  # the drill's private text for the FIU
POLICE_ONLY = "The informants are nervous."  # first-call's private text for the police
FIU_LATER = "The levy payments go through a money transfer shop."


@pytest.fixture
def room(tmp_path):
    db = tmp_path / "s.sqlite3"
    scenario = tmp_path / "layers.yaml"
    shutil.copy(LAYERS, scenario)
    from engine.check.validate import load_scenario
    from engine.exercise.exercise import Exercise
    from engine.store.sqlite import Store

    with Store(db) as store:  # the room at its opening drill (start_session skips to a decision)
        ex = Exercise.start(
            store,
            load_scenario(scenario),
            scenario_path=str(scenario),
            mode="facilitated",
            teams=("Blue", "Red", "Green"),
            options={"order": "file", "roles": {"Blue": "police", "Red": "fiu"}},
        )
        session_id = ex.session_id
    server = serve(db, session_id)
    store, ex = facilitator(db, session_id, scenario)
    yield server, ex
    server.kill()
    store.close()


def test_api_role_private_text_and_drill_selection(room) -> None:
    server, ex = room
    _, blue = server.join("Ana", "Blue")
    _, red = server.join("Ben", "Red")
    _, green = server.join("Cy", "Green")
    state = server.state(blue)
    assert state["scene"]["kind"] == "identify" and state["choices"] == []
    assert [o["id"] for o in state["options"]] == [
        "gold-levy",
        "new-recruits",
        "joint-smuggling",
        "red-herring",
    ]
    assert state["role"]["id"] == "police" and state["private"] is None
    raw = json.dumps(state)
    assert FIU_ONLY not in raw and "tags" not in raw and "corruption.3" not in raw
    assert server.state(red)["private"] == FIU_ONLY
    assert server.state(green)["role"] is None and server.state(green)["private"] is None
    status, _, text = server.request(
        "POST",
        "/api/vote",
        {"scene": "spot-the-signs", "choices": ["gold-levy", "new-recruits"]},
        token=blue,
    )
    assert status == 200, text
    assert json.loads(text)["my_selection"] == ["gold-levy", "new-recruits"]
    assert server.state(blue)["my_selection"] == ["gold-levy", "new-recruits"]
    for bad, code in (
        ({"scene": "spot-the-signs", "choices": ["nope"]}, 422),
        ({"scene": "spot-the-signs", "choices": "gold-levy"}, 422),
        ({"scene": "spot-the-signs", "choices": ["gold-levy", "gold-levy"]}, 422),
        ({"scene": "first-call", "choices": ["gold-levy"]}, 409),
        ({"scene": "spot-the-signs", "choice": "gold-levy"}, 409),  # not a decision
    ):
        assert server.request("POST", "/api/vote", bad, token=blue)[0] == code, bad
    ex.refresh()
    assert ex.session.selection_of(ex.scenario, "Blue") == ("gold-levy", "new-recruits")
    ex.acknowledge()  # the room moves on: the drill's record keeps the team's selection
    assert ex.session.drills[0].of("Blue") == ("gold-levy", "new-recruits")
    state = server.state(blue)
    assert state["private"] == POLICE_ONLY and FIU_LATER not in json.dumps(state)
    assert server.state(red)["private"] == FIU_LATER
    # a decision votes as before (the JSON API stays backward compatible)
    assert server.vote(blue, "first-call", "task-force") == 200
    ex.fire_inject("press-leak")
    blue_state, red_state = server.state(blue), server.state(red)
    assert [i["id"] for i in blue_state["injects"]] == ["press-leak"]
    assert blue_state["injects"][0]["private"] == "Your own desk had the list."
    assert red_state["injects"][0]["private"] is None
    assert "Your own desk" not in json.dumps(red_state)
    status, _, screen = server.request(
        "GET", "/api/state?key=" + server.info["screen"].split("key=")[1]
    )
    assert status == 200 and "Your own desk" not in screen and POLICE_ONLY not in screen


pytestmark_browser = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed (.ci/run installs it)"
)


@pytestmark_browser
def test_browser_shows_only_the_own_role_and_drill_checkboxes_work_without_js(room) -> None:
    from playwright.sync_api import sync_playwright

    server, ex = room
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        try:
            no_js = browser.new_context(java_script_enabled=False)
            page = no_js.new_page()
            page.goto(server.url)
            page.fill("#code", server.info["code"])
            page.fill("#name", "Ana")
            page.check("input[name=team][value='Blue']")
            page.click("button[type=submit]")
            page.wait_for_selector("#drill")
            assert "Counter-terrorism investigator" in page.inner_text("#role")
            html = page.content()
            assert FIU_ONLY not in html and "corruption.3" not in html
            page.check("input[name=choices][value='gold-levy']")
            page.check("input[name=choices][value='red-herring']")
            page.click("#drill button[type=submit]")
            page.wait_for_selector("#drill")
            assert "Your selection is recorded (2 ticked)" in page.inner_text("#selected")
            assert page.is_checked("input[name=choices][value='red-herring']")
            api = page.request.get(server.url + "api/state")
            assert api.ok and FIU_ONLY not in api.text()
            assert json.loads(api.text())["my_selection"] == ["gold-levy", "red-herring"]
            ex.refresh()
            ex.acknowledge()
            page.goto(server.url)
            page.wait_for_selector("#choices")
            assert POLICE_ONLY in page.inner_text("#private")
            html = page.content()
            assert FIU_LATER not in html and FIU_ONLY not in html
            assert FIU_LATER not in page.request.get(server.url + "api/state").text()
            js = browser.new_context().new_page()  # the FIU's own device, with JavaScript
            js.goto(server.url)
            js.fill("#code", server.info["code"])
            js.fill("#name", "Ben")
            js.check("input[name=team][value='Red']")
            js.click("button[type=submit]")
            js.wait_for_selector("#private")
            assert FIU_LATER in js.inner_text("#private")
            assert POLICE_ONLY not in js.content()
        finally:
            browser.close()
    assert ex.session.drills[0].of("Blue") == ("gold-levy", "red-herring")


def test_the_projector_shows_the_drill_and_fired_injects_never_private_texts(room) -> None:
    server, ex = room
    key = server.info["screen"].split("key=")[1]
    status, _, page = server.request("GET", "/screen?key=" + key)
    assert status == 200
    assert "Recruits come from a new district" in page and FIU_ONLY not in page
    assert "corruption.3" not in page  # the tags hold the answer
    ex.refresh()
    ex.acknowledge()
    ex.fire_inject("press-leak")
    status, _, page = server.request("GET", "/screen?key=" + key)
    assert "Breaking: A leak to the press" in page
    assert POLICE_ONLY not in page and "Your own desk" not in page
