"""TUI benchmarks (issue 5).

1. Time to first frame of `nexus-ttx` (the library screen), headless, against a bare Textual
   app (a header, a label and a footer) measured in the same run, each in a fresh interpreter.
   Goal: within 1.3x of the bare app.
2. Latency from confirming a choice (Enter) to the next scene rendered, on a generated
   10,000-scene scenario (`bench.generate.make_scenario`), with the session in an SQLite store
   on disk (every move committed and fsynced). Goal: under 50 ms.

Run: `python -m bench tui` (or `python -m bench.bench_tui`).
"""

from __future__ import annotations

import asyncio
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Runs in a fresh interpreter: exit right after the first frame has been drawn, printing when
# that was (epoch seconds, for the parent to subtract the spawn time: interpreter start-up
# counts, tear-down does not) and how long after this code started.
_FIRST_FRAME = r"""
import sys, time
t0 = time.perf_counter()
from textual.app import App
_display = App._display
def _first_frame(self, screen, renderable):
    # the first frame written to the (headless) terminal
    _display(self, screen, renderable)
    if not getattr(self, "_first_frame_seen", False):
        self._first_frame_seen = True
        sys.stderr.write(f"FIRST_FRAME {time.time():.6f} {time.perf_counter() - t0:.6f}\n")
        self.exit()
App._display = _first_frame
if sys.argv[1] == "bare":
    from textual.widgets import Footer, Header, Label
    class Bare(App):
        def compose(self):
            yield Header()
            yield Label("Hello")
            yield Footer()
    Bare().run()
else:
    from cli.main import main
    main([])
"""


def _first_frame_once(which: str, env: dict[str, str]) -> tuple[float, float]:
    start = time.time()
    proc = subprocess.run(
        [sys.executable, "-c", _FIRST_FRAME, which],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    wall = inner = float("nan")
    for line in proc.stderr.splitlines() + proc.stdout.splitlines():
        if "FIRST_FRAME" in line:
            _, at, after = line.split()
            wall, inner = float(at) - start, float(after)
    if inner != inner:
        raise RuntimeError(f"{which} failed: {proc.stderr[-2000:]}")
    return wall, inner


def first_frame(runs: int = 7) -> dict[str, float]:
    env = dict(os.environ)
    env["TEXTUAL_DRIVER"] = "textual.drivers.headless_driver:HeadlessDriver"
    env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
    with tempfile.TemporaryDirectory() as tmp:
        env["NEXUS_TTX_DB"] = str(Path(tmp) / "sessions.sqlite3")
        results: dict[str, list[tuple[float, float]]] = {"bare": [], "nexus": []}
        _first_frame_once("bare", env)  # warm the OS file cache and .pyc files
        _first_frame_once("nexus", env)
        for _ in range(runs):  # interleaved, so both see the same machine load
            for which in ("bare", "nexus"):
                results[which].append(_first_frame_once(which, env))
    out = {}
    for which, values in results.items():
        out[f"{which}_wall"] = statistics.median(v[0] for v in values)
        out[f"{which}_inner"] = statistics.median(v[1] for v in values)
    return out


async def _latency(path: Path, db: Path, decisions: int) -> list[float]:
    from engine.store.sqlite import Store
    from tui.app import NexusApp
    from tui.launch import Launch, PlaySetup
    from tui.play_flow import Phase
    from tui.screens.play import PlayScreen

    setup = PlaySetup("solo", ("Solo",), "debrief", None)
    app = NexusApp(
        store=Store(db), builtin_library=False, launch=Launch(scenario=path, setup=setup)
    )
    samples: list[float] = []
    engine: list[float] = []
    async with app.run_test(size=(100, 30)) as pilot:
        scenario = None
        while len(samples) < decisions:
            for _ in range(600):  # validating 10k scenes takes a moment
                await app.workers.wait_for_complete()
                await pilot.pause()
                if isinstance(app.screen, PlayScreen):
                    break
            screen = app.screen
            assert isinstance(screen, PlayScreen), f"no play screen ({type(screen).__name__})"
            scenario = screen.exercise.scenario
            choose = screen.exercise.choose

            def timed_choose(choice_id: str, _choose=choose) -> None:
                t = time.perf_counter()
                try:
                    _choose(choice_id)
                finally:
                    engine.append(time.perf_counter() - t)

            screen.exercise.choose = timed_choose  # type: ignore[method-assign]
            # every path of the generated scenario ends within ~25 scenes: play one, then
            # start a new session, until enough decisions were timed
            while len(samples) < decisions and not screen.exercise.is_over:
                if screen.phase != Phase.DECIDE:
                    await pilot.press("enter")
                    await pilot.pause()
                    continue
                await pilot.press(str(1 + len(samples) % len(screen.offered)))
                await pilot.pause()
                before = screen.exercise.scene.id
                start = time.perf_counter()
                await pilot.press("enter")
                while screen.rendered_at < start:
                    await asyncio.sleep(0)
                samples.append(screen.rendered_at - start)
                assert screen.exercise.scene.id != before
                await pilot.pause()
            app.pop_screen()
            await pilot.pause()
            app.start_exercise(scenario, path, setup)
    return samples, engine


def choice_latency(scenes: int = 10_000, decisions: int = 40) -> dict[str, float]:
    from bench.generate import make_scenario

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"generated-{scenes}.yaml"
        path.write_text(make_scenario(scenes, seed=7), encoding="utf-8")
        samples, engine = asyncio.run(_latency(path, Path(tmp) / "s.sqlite3", decisions))
    samples.sort()
    return {
        "n": len(samples),
        "median": statistics.median(samples),
        "p90": samples[int(0.9 * (len(samples) - 1))],
        "max": samples[-1],
        "engine": statistics.median(engine),
    }


def main() -> None:
    ff = first_frame()
    ratio = ff["nexus_wall"] / ff["bare_wall"]
    inner_ratio = ff["nexus_inner"] / ff["bare_inner"]
    print(
        "first frame, headless, median of 7 fresh processes each "
        "(spawn -> frame, incl. interpreter start-up):"
    )
    print(
        f"  bare Textual app  {ff['bare_wall'] * 1000:7.1f} ms         "
        f"{ff['bare_inner'] * 1000:7.1f} ms after start-up"
    )
    print(
        f"  nexus-ttx library {ff['nexus_wall'] * 1000:7.1f} ms         "
        f"{ff['nexus_inner'] * 1000:7.1f} ms after start-up"
    )
    print(
        f"  ratio {ratio:.2f}x (after start-up {inner_ratio:.2f}x) "
        f"(goal <= 1.3x): {'OK' if ratio <= 1.3 else 'MISSED'}"
    )
    lat = choice_latency()
    print(
        f"choice -> next scene rendered, 10,000-scene scenario, {lat['n']} decisions, "
        f"store on disk:"
    )
    print(
        f"  median {lat['median'] * 1000:.1f} ms, p90 {lat['p90'] * 1000:.1f} ms, "
        f"max {lat['max'] * 1000:.1f} ms (goal median < 50 ms): "
        f"{'OK' if lat['median'] < 0.050 else 'MISSED'}"
    )
    print(
        f"  of which the engine (check, two fsynced appends, fold): median "
        f"{lat['engine'] * 1000:.1f} ms"
    )


if __name__ == "__main__":
    main()
