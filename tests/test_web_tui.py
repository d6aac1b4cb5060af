"""The facilitator's TUI (Pilot) runs a hybrid room: `w` starts the web server as its own
process, three browsers (Chromium) join three teams and vote, the TUI shows the tally within a
second, reveals, follows, undoes a move with a reason, and the report scores everyone."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Static

from engine.store.sqlite import Store
from tests.conftest import run_cli
from tests.live_server import harbour_file
from tests.test_web_browser import ARGS, CHROMIUM
from tui.app import NexusApp
from tui.launch import Launch, PlaySetup
from tui.play_flow import Phase
from tui.screens.live import LiveScreen
from tui.screens.play import PlayScreen

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="no Debian chromium")
TEAMS = ("Red", "Blue", "Green")


async def until(pilot, condition, rounds: int = 600) -> None:
    """Let the app run until `condition()` holds (bounded; no timing is asserted)."""
    for _ in range(rounds):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the condition never held")


async def join_and_vote(browser, url: str, code: str, name: str, team: str, text: str):
    page = await (await browser.new_context(viewport={"width": 360, "height": 640})).new_page()
    await page.goto(url)
    await page.fill("#code", code)
    await page.fill("#name", name)
    await page.check(f"input[name=team][value='{team}']")
    await page.click("button[type=submit]")
    await page.click(f"#choices button:has-text('{text}')")
    await page.wait_for_selector("#choices button.mine")
    return page


async def test_tui_runs_a_hybrid_room(tmp_path: Path) -> None:
    from playwright.async_api import async_playwright

    db = tmp_path / "s.db"
    app = NexusApp(
        store=Store(db),
        builtin_library=False,
        launch=Launch(
            scenario=harbour_file(tmp_path),
            setup=PlaySetup("facilitated", TEAMS, "debrief", None, seed=7),
        ),
    )
    async with app.run_test(size=(150, 60)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, PlayScreen))
        screen = app.screen
        ex = screen.exercise
        await pilot.press("enter", "enter")  # the intro and the alert
        await until(pilot, lambda: screen.phase is Phase.RECORD)
        await pilot.press("l")
        await until(pilot, lambda: screen.live is not None)
        await until(pilot, lambda: isinstance(app.screen, LiveScreen))
        await until(pilot, lambda: bool(app.screen.query("#live-qr")))
        live = screen.live
        dialog = app.screen  # the join details, over the play screen, with the QR code
        assert live.code in str(dialog.query_one("#dialog-text", Static).render())
        assert "▄" in str(dialog.query_one("#live-qr", Static).render())
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        assert f"Code: {live.code}" in app.screen_text()

        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            pages = [
                await join_and_vote(browser, live.url, live.code, "Amina", "Red", "Share"),
                await join_and_vote(browser, live.url, live.code, "Kofi", "Blue", "Share"),
                await join_and_vote(browser, live.url, live.code, "Lena", "Green", "Leak"),
            ]
            # the TUI notices the browsers' votes by itself and redraws the tally
            await until(pilot, lambda: len(ex.session.pvotes) == 3)
            # the side panel's redraw lands on a later frame than the fold: wait for it
            await until(pilot, lambda: "Heads 3/3" in app.screen_text())
            text = app.screen_text()
            number = {c.id: i + 1 for i, c in enumerate(screen.offered)}  # shuffled by seed 7
            share, leak = number["share"], number["leak"]
            assert f"Red: #{share} (1 online)" in text
            assert f"Green: #{leak} (1 online)" in text
            assert f"Heads 3/3: #{share}: 2, #{leak}: 1" in text
            await pilot.press("v")  # reveal: the participants' votes are final
            await until(pilot, lambda: ex.session.revealed)
            assert screen.phase is Phase.REVEALED
            await pilot.press("enter")  # the room follows the majority of teams
            await until(pilot, lambda: ex.scene.id == "press")
            assert ex.session.decisions[-1].choice == "share"
            await pages[0].wait_for_selector("section.last:has-text('Share with the FIU')")

            # a slip: undo the room's move, with a reason, then override
            await pilot.press("u")
            await pilot.pause()
            await pilot.press(*"mis-keyed", "enter")
            await until(pilot, lambda: ex.scene.id == "tip-off")
            await pilot.press("o", str(number["legal-review"]))
            await pilot.pause()
            await pilot.press(*"the legal review comes first", "enter")
            await until(pilot, lambda: ex.scene.id == "press")
            last = ex.session.decisions[-1]
            assert (last.choice, last.how) == ("legal-review", "override")
            assert last.reason == "the legal review comes first"
            await pages[2].reload()
            assert "Ask for a legal review" in await pages[2].inner_text("section.last")
            await browser.close()

    report = run_cli("report", ex.session_id, "--db", str(db), "--format", "json")
    data = json.loads(report.stdout)
    assert {p["name"] for p in data["participants"]} == {"Amina", "Kofi", "Lena"}
    assert data["room"]["choices"][0]["choice"] == "legal-review"
    assert [c["kind"] for c in data["corrections"]] == ["group_followed"]
    assert data["decisions"][0]["reason"] == "the legal review comes first"
    md = run_cli("report", ex.session_id, "--db", str(db), "--format", "md").stdout
    assert "## Participants" in md and "## Corrections" in md and "mis-keyed" in md
    assert not live.running  # the server stopped with the play screen
