"""What the TUI tests share when they drive the app through Textual's Pilot."""

from __future__ import annotations


async def settle(pilot) -> None:
    """Let workers finish and their messages land."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


async def settle_quiet(pilot) -> None:
    """`settle`, and no toast left (they come and go in time: snapshots must not see them)."""
    await settle(pilot)
    pilot.app.clear_notifications()
    await pilot.pause()
