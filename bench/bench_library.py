"""Library benchmark: the library screen validates every library file in a worker when it opens.

Library: the built-in scenarios plus 50 user files (the built-in scenarios copied round-robin
with new ids, so each is a real-sized scenario that the analysis explores in full).
1. `check_file` over every entry, in this process (schema, references, analysis, NTX029).
2. The TUI (headless, 120x40): from the screen's mount to the last row marked, with the first
   frame's time beside it (the check runs after the first frame and never delays it).

Run: `python -m bench library`.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

USER_FILES = 50


def make_library(folder: Path, count: int = USER_FILES) -> Path:
    from engine.load.library import discover

    builtin, _ = discover()
    for i in range(count):
        source = builtin[i % len(builtin)]
        text = source.path.read_text(encoding="utf-8")
        text = text.replace(f"id: {source.id}", f"id: {source.id}-copy-{i:02d}", 1)
        (folder / f"copy-{i:02d}.yaml").write_text(text, encoding="utf-8")
    return folder


def time_checks(folder: Path) -> tuple[int, float, float]:
    from engine.load.library import discover
    from tui.screens.library import check_file

    entries, _ = discover([folder], keep_broken=True)
    start, cpu = time.perf_counter(), time.process_time()
    for entry in entries:
        check_file(entry)
    return len(entries), time.perf_counter() - start, time.process_time() - cpu


async def time_screen(folder: Path) -> tuple[float, float, int]:
    """Seconds from start to the first library frame, and to the last row checked."""
    from engine.store.sqlite import Store
    from tui.app import NexusApp
    from tui.screens.library import LibraryScreen

    app = NexusApp(store=Store(":memory:"), library_dirs=[folder])
    start = time.perf_counter()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        first = time.perf_counter() - start
        screen = app.screen
        assert isinstance(screen, LibraryScreen)
        while not screen.entries or len(screen.checks) < len(screen.entries):
            await asyncio.sleep(0.05)
        done = time.perf_counter() - start
        return first, done, len(screen.checks)


def main(argv: list[str] | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = make_library(Path(tmp))
        runs = [time_checks(folder) for _ in range(3)]
        count = runs[0][0]
        seconds = [r[1] for r in runs]
        cpu = [r[2] for r in runs]
        print(
            f"library check, {count} files (built-in + {USER_FILES}): median "
            f"{statistics.median(seconds):.2f} s, min {min(seconds):.2f} s "
            f"({1000 * min(seconds) / count:.0f} ms a file); CPU time min {min(cpu):.2f} s "
            f"({1000 * min(cpu) / count:.0f} ms a file: the wall time on a busy machine)"
        )
        first, done, checked = asyncio.run(time_screen(folder))
        print(
            f"library screen: first frame at {first:.2f} s, all {checked} rows marked at "
            f"{done:.2f} s (the worker runs after the first frame)"
        )


if __name__ == "__main__":
    main()
