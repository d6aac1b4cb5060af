"""Global options (--db, --library, --theme, --lang) work before or after the command, for every
command: each command runs as a subprocess with them in both positions, and the options take
effect (the session store named by --db is the one used, the --library folder is searched, the
high-contrast theme is what the terminal receives)."""

from __future__ import annotations

import os
import pty
import select
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from cli.main import COMMANDS
from tests.conftest import ROOT, run_cli

VALID = ROOT / "tests" / "fixtures" / "valid" / "complete.yaml"
TWEE = ROOT / "tests" / "fixtures" / "twine" / "harlowe.twee"

# Every command but `play`, with arguments that make it do its real work and the exit code that
# work gives; {session} is a session recorded in the --db store, {lib} the --library folder.
RUNS: dict[str, tuple[list[str], int]] = {
    "list": (["list"], 0),
    "validate": (["validate", "{lib}"], 0),
    "analyze": (["analyze", "lib-probe"], 0),
    "test": (["test", "lib-probe"], 0),
    "graph": (["graph", "lib-probe"], 0),
    "run": (["run", "lib-probe", "--choices", ""], 1),
    "sessions": (["sessions"], 0),
    "resume": (["resume", "{session}"], 0),
    "report": (["report", "{session}", "--format", "md"], 0),
    "observe": (["observe", "{session}", "The room hesitated"], 0),
    "plan": (["plan", "{session}", "draft"], 0),
    "export": (["export", "{session}", "--format", "xapi"], 0),
    "serve": (["serve", "{session}"], 1),  # solo session: refused with a message
    "toolkit": (["toolkit", "GP21"], 0),
    "cohort": (["cohort", "--format", "json"], 0),
    "store": (["store", "copy", "{db}", "copy.sqlite3"], 0),
    "new": (["new", "probe-scenario", "--environment", "transitional", "--region", "X"], 0),
    "schema": (["schema", "--write", "."], 0),
    "import": (["import", str(TWEE)], 0),
    "handout": (["handout", "lib-probe", "--format", "md"], 0),
    "i18n": (["i18n", "check", "lib-probe"], 0),
}


def test_every_command_but_play_is_covered() -> None:
    assert set(RUNS) == set(COMMANDS) - {"play"}


@pytest.fixture(scope="module")
def setting(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A library folder holding one scenario, and a store holding one session of it."""
    base = tmp_path_factory.mktemp("globals")
    lib = base / "lib"
    lib.mkdir()
    text = VALID.read_text(encoding="utf-8")
    original = next(line for line in text.splitlines() if line.startswith("id:"))
    (lib / "probe.yaml").write_text(text.replace(original, "id: lib-probe"), encoding="utf-8")
    db = base / "s.sqlite3"
    made = run_cli("run", "--db", str(db), "--library", str(lib), "lib-probe", "--save")
    assert made.returncode == 1, made.stderr  # no choices: stops at the first decision, kept
    session = made.stderr.split("Session ")[1].split()[0]
    return {"lib": str(lib), "db": str(db), "session": session}


def _argv(name: str, setting: dict[str, str]) -> list[str]:
    return [a.format(**setting) for a in RUNS[name][0]]


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("name", sorted(RUNS))
def test_global_options_in_both_positions(
    name: str, position: str, setting: dict[str, str], tmp_path: Path
) -> None:
    argv = _argv(name, setting)
    options = ["--db", setting["db"], "--library", setting["lib"], "--theme", "high-contrast"]
    options += ["--lang", "fr"]
    full = [*options, *argv] if position == "before" else [*argv, *options]
    # the default store is elsewhere and empty: a command that ignored --db would not find the
    # session, one that ignored --library would not find lib-probe
    env = {"NEXUS_TTX_DB": str(tmp_path / "elsewhere.sqlite3"), "HOME": str(tmp_path)}
    result = run_cli(*full, cwd=tmp_path, env=env)
    assert "unrecognized arguments" not in result.stderr, result.stderr
    assert result.returncode == RUNS[name][1], (full, result.stdout, result.stderr)
    if name == "list":
        assert "lib-probe" in result.stdout
    if name == "sessions":
        assert setting["session"][:8] in result.stdout


def test_library_given_in_both_positions_adds_both(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    for folder, sid in ((first, "probe-a"), (second, "probe-b")):
        folder.mkdir()
        text = VALID.read_text(encoding="utf-8")
        original = next(line for line in text.splitlines() if line.startswith("id:"))
        (folder / "s.yaml").write_text(text.replace(original, f"id: {sid}"), encoding="utf-8")
    result = run_cli("--library", str(first), "list", "--library", str(second), "--json")
    assert result.returncode == 0, result.stderr
    assert '"probe-a"' in result.stdout and '"probe-b"' in result.stdout


def test_a_bad_theme_is_a_usage_error_in_both_positions() -> None:
    for argv in (["--theme", "pink", "list"], ["list", "--theme", "pink"]):
        result = run_cli(*argv)
        assert result.returncode == 2
        assert "invalid choice: 'pink'" in result.stderr


# --- the TUI commands, in a real pseudo-terminal --------------------------------------------

WHITE_BACKGROUND = b"48;2;255;255;255"


def _tui(argv: list[str], cwd: Path, expect: bytes, timeout: float = 60) -> bytes:
    """Run `nexus-ttx ARGV` on a pseudo-terminal until `expect` is on screen, then ctrl+q."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("NEXUS_TTX_")}
    env.pop("NO_COLOR", None)
    env.update(
        PYTHONPATH=str(ROOT),
        TERM="xterm-256color",
        COLORTERM="truecolor",
        HOME=str(cwd),
        NEXUS_TTX_DB=str(cwd / "elsewhere.sqlite3"),
        XDG_CONFIG_HOME=str(cwd / "config"),
        XDG_DATA_HOME=str(cwd / "data"),
    )
    main, child = pty.openpty()
    os.set_blocking(main, False)
    import fcntl
    import struct
    import termios

    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", *argv],
        cwd=cwd,
        env=env,
        stdin=child,
        stdout=child,
        stderr=child,
        close_fds=True,
    )
    os.close(child)
    seen = b""
    deadline = time.monotonic() + timeout
    quit_sent = 0.0
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([main], [], [], 0.2)
            if ready:
                try:
                    seen += os.read(main, 65536)
                except OSError:
                    break
            if proc.poll() is not None:
                break
            if not quit_sent and expect in seen:
                time.sleep(0.5)
                os.write(main, b"\x11")  # ctrl+q
                quit_sent = time.monotonic()
            elif quit_sent and time.monotonic() - quit_sent > 2:
                os.write(main, b"y")  # an unfinished session asks first
                quit_sent = time.monotonic()
        assert quit_sent, f"never saw {expect!r}; the screen said: {seen[-2000:]!r}"
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        os.close(main)
    return seen


@pytest.mark.parametrize("position", ["before", "after"])
def test_play_takes_db_library_and_theme(position: str, tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    shutil.copy(VALID, lib / "probe.yaml")
    db = tmp_path / "chosen.sqlite3"
    options = ["--db", str(db), "--library", str(lib), "--theme", "high-contrast"]
    play = ["play", str(lib / "probe.yaml"), "--mode", "solo"]
    argv = [*options, *play] if position == "before" else [*play, *options]
    seen = _tui(argv, tmp_path, b"Convoy")
    assert WHITE_BACKGROUND in seen
    assert db.exists()  # the session was recorded in the --db store, not the default one
    assert not (tmp_path / "elsewhere.sqlite3").exists()


def test_bare_command_takes_theme_and_library(tmp_path: Path) -> None:
    lib = tmp_path / "lib"
    lib.mkdir()
    text = VALID.read_text(encoding="utf-8")
    original = next(line for line in text.splitlines() if line.startswith("id:"))
    (lib / "probe.yaml").write_text(text.replace(original, "id: aaa-probe"), encoding="utf-8")
    # the probe's title (its file name sits below the fold when the terminal starts small)
    title = b"Gold, Fuel and a Convoy"
    seen = _tui(["--theme", "high-contrast", "--library", str(lib)], tmp_path, title)
    assert WHITE_BACKGROUND in seen


@pytest.mark.parametrize("position", ["before", "after"])
def test_resume_takes_theme_and_export_dir(
    position: str, setting: dict[str, str], tmp_path: Path
) -> None:
    options = ["--db", setting["db"], "--library", setting["lib"], "--theme", "high-contrast"]
    resume = ["resume", setting["session"], "--export-dir", str(tmp_path / "out")]
    argv = [*options, *resume] if position == "before" else [*resume, *options]
    seen = _tui(argv, tmp_path, b"Convoy")
    assert WHITE_BACKGROUND in seen
