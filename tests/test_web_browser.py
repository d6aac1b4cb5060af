"""Live sessions in a real browser: Debian's Chromium driven by Playwright against
`nexus-ttx serve` on a loopback port, while the facilitator's side moves the room."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.browser import ARGS, CHROMIUM
from tests.conftest import run_cli
from tests.live_server import facilitator, harbour_file, serve, start_session

BUDGET = 50 * 1024

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(),
    reason="Debian's chromium is not installed (.ci/run installs it)",
)


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def room(tmp_path):
    db = tmp_path / "s.sqlite3"
    scenario = harbour_file(tmp_path)
    session_id = start_session(db, scenario, ("Red", "Blue", "Green"), feedback="immediate")
    server = serve(db, session_id)
    store, ex = facilitator(db, session_id, scenario)
    yield server, ex, db
    server.kill()
    store.close()


def join(page, server, name: str, team: str) -> None:
    page.goto(server.url)
    page.fill("#code", server.info["code"])
    page.fill("#name", name)
    page.check(f"input[name=team][value='{team}']")
    page.click("button[type=submit]")
    page.wait_for_selector("#choices")


def test_three_teams_vote_from_browsers_and_the_room_moves(browser, room, tmp_path) -> None:
    server, ex, db = room
    phone = browser.new_context(viewport={"width": 360, "height": 640}, is_mobile=True)
    no_js = browser.new_context(java_script_enabled=False)
    laptop = browser.new_context()
    projector = browser.new_context(viewport={"width": 1280, "height": 720})
    pages = {ctx: ctx.new_page() for ctx in (phone, no_js, laptop, projector)}
    outside: list[str] = []
    for page in pages.values():
        page.on(
            "request",
            lambda r: outside.append(r.url) if not r.url.startswith(server.origin) else None,
        )

    screen = pages[projector]
    screen.goto(server.info["screen"])
    assert server.info["code"] in screen.inner_text(".join-box")
    assert screen.locator(".qr svg").count() == 1

    join(pages[phone], server, "Amina", "Red")
    join(pages[no_js], server, "<b>Kofi</b>", "Blue")
    join(pages[laptop], server, "Lena", "Green")
    assert pages[no_js].inner_text(".who").startswith("<b>Kofi</b>")

    # the choices in the session's displayed order, as large buttons; nothing facilitator-only
    texts = [b.inner_text().strip() for b in pages[phone].locator("#choices button").all()]
    assert texts == [c.text for c in ex.offered]
    for page in pages.values():
        assert "Leaks endanger sources" not in page.content()

    for page, text in (
        (pages[phone], "Share with the FIU"),
        (pages[no_js], "Share with the FIU"),
        (pages[laptop], "Leak it to the press"),
    ):
        page.click(f"#choices button:has-text('{text}')")
        page.wait_for_selector("#choices button.mine")
    pages[laptop].click("#choices button:has-text('Ask for a legal review')")  # changed mind
    pages[laptop].wait_for_selector("#choices button.mine:has-text('legal review')")

    ex.refresh()
    tally = ex.session.live_tally()
    assert dict(tally.team_choice) == {"Red": "share", "Blue": "share", "Green": "legal-review"}
    assert dict(tally.heads) == {"share": 2, "legal-review": 1}
    screen.wait_for_selector("#voted:has-text('3 of 3')")  # the projector follows by itself

    ex.reveal()
    ex.follow()
    assert ex.session.decisions[0].choice == "share" and ex.scene.id == "press"

    # JavaScript on: the page redraws itself from the event stream
    pages[phone].wait_for_selector("section.last:has-text('Share with the FIU')")
    pages[laptop].wait_for_selector("#title:has-text('Press')")
    # JavaScript off: the refresh link (or the meta refresh) shows the new scene
    pages[no_js].click("a.refresh")
    pages[no_js].wait_for_selector("#title:has-text('Press')")
    assert "Share with the FIU" in pages[no_js].inner_text("section.last")
    pages[no_js].click("#choices button:has-text('Brief them')")
    pages[no_js].wait_for_selector("#choices button.mine")

    width = pages[phone].evaluate("document.documentElement.scrollWidth")
    assert width <= 360
    pages[phone].screenshot(path=str(tmp_path / "phone.png"), full_page=True)
    screen.screenshot(path=str(tmp_path / "screen.png"))
    assert outside == []

    report = run_cli("report", ex.session_id, "--db", str(db), "--format", "json")
    assert report.returncode == 0, report.stderr
    data = json.loads(report.stdout)
    people = {p["name"]: p for p in data["participants"]}
    assert set(people) == {"Amina", "<b>Kofi</b>", "Lena"}
    assert people["Amina"]["points"] == 2 and people["Lena"]["points"] == 1
    assert data["room"]["choices"][0]["choice"] == "share"
    assert data["decisions"][0]["heads"] == {"legal-review": 1, "share": 2}


def test_participant_page_weight_and_no_outside_requests(browser, room) -> None:
    """The first load of the join page, then of the participant page after joining, each fit
    in 50 KB all told (HTML, CSS, JS) and never leave the server."""
    server, _, _ = room
    ctx = browser.new_context(viewport={"width": 360, "height": 640})
    page = ctx.new_page()
    loads: list[tuple[str, int]] = []

    def record(response) -> None:
        try:
            loads.append((response.url, len(response.body())))
        except Exception:  # an event stream has no finished body
            loads.append((response.url, 0))

    page.on("response", record)
    page.goto(server.url)
    page.wait_for_load_state("networkidle")
    join_total = sum(n for _, n in loads)
    loads.clear()
    page.fill("#code", server.info["code"])
    page.fill("#name", "Weight")
    page.click("button[type=submit]")
    page.wait_for_selector("#choices")
    page.wait_for_function("document.body.getAttribute('data-live') === 'on'")
    play_total = sum(n for url, n in loads if not url.endswith("/api/events"))
    print(f"first load: join page {join_total} bytes, participant page {play_total} bytes")
    assert 0 < join_total <= BUDGET and 0 < play_total <= BUDGET
    assert all(url.startswith(server.origin) for url, _ in loads)


def test_timer_counts_down_and_reads_without_javascript(browser, tmp_path) -> None:
    """With a discussion timer, the page names the deadline (no script needed) and a static
    script (the CSP allows no inline one) counts down beside it, on the projector too."""
    import re

    db = tmp_path / "s.sqlite3"
    scenario = harbour_file(tmp_path)
    session_id = start_session(db, scenario, ("Red", "Blue"), timer=300)
    server = serve(db, session_id)
    try:
        ctx = browser.new_context(viewport={"width": 360, "height": 640})
        page = ctx.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if "Security" in m.text else None)
        join(page, server, "Tim", "Red")
        deadline = page.get_attribute("#deadline", "datetime")
        assert deadline and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", deadline)
        page.wait_for_selector("#countdown:not([hidden])")
        left = re.fullmatch(r" \((\d+):(\d\d) left\)", page.inner_text("#countdown") or "")
        assert left is not None, page.inner_text("#countdown")
        assert 0 < int(left[1]) * 60 + int(left[2]) <= 300
        key = server.info["screen"].split("key=")[1]
        page.goto(f"{server.url}screen?key={key}")
        page.wait_for_selector("#countdown:not([hidden])")
        assert "left" in page.inner_text("#countdown") and not problems

        plain = browser.new_context(java_script_enabled=False).new_page()
        join(plain, server, "Una", "Blue")
        assert f"{deadline[11:19]} UTC" in plain.inner_text(".timer")
        assert plain.is_hidden("#countdown")
    finally:
        server.kill()
