"""Hostile stores and arguments: rows with the right schema but bad contents, /dev/null as the
store, a store in a folder the user cannot write, bytes that are not UTF-8 in a path or a team
name, and control characters anywhere a command prints. Each damaged session is named and
skipped or refused; nothing prints a traceback or a raw control character."""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from tests.bounded import run_bounded

ROOT = Path(__file__).resolve().parents[1]
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
DAMAGE = {  # what was damaged: (SQL, what the refusal says; None: tolerated, still readable)
    "teams not JSON": ("UPDATE sessions SET teams = 'not json' WHERE id = ?", None),
    "teams not names": ("UPDATE sessions SET teams = '[1,2]' WHERE id = ?", None),
    "event not JSON": (
        "UPDATE events SET data = '{bad' WHERE session_id = ? AND seq = 2",
        "event 2 of session {id} in ",
    ),
    "unknown kind": (
        "UPDATE events SET kind = 'evil' WHERE session_id = ? AND seq = 2",
        "unknown kind 'evil'",
    ),
    "session_started []": (
        "UPDATE events SET data = '[]' WHERE session_id = ? AND seq = 1",
        "session_started data is not a JSON object",
    ),
    "mode unknown": ("UPDATE sessions SET mode = 'chaos' WHERE id = ?", "session {id} in "),
    "start data wrong": (
        "UPDATE events SET data = '{\"teams\": 5}' WHERE session_id = ? AND seq = 1",
        "event 1 (session_started) needs",  # the fold's own located refusal
    ),
}


def _clean(*outputs: str) -> None:
    for out in outputs:
        assert "Traceback" not in out
        assert not RAW_CONTROL.search(out.replace("\n", "").replace("\t", "")), out


def _two_sessions(cli) -> list[str]:
    for _ in range(2):
        assert cli("run", "sahel-gold-and-fuel", "--choices", "", "--save").returncode == 1
    return [s["id"] for s in json.loads(cli("sessions", "--json").stdout)]


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_session_is_named_and_the_others_still_work(
    cli, tmp_path: Path, damage: str
) -> None:
    bad, good = _two_sessions(cli)
    sql, said = DAMAGE[damage]
    with sqlite3.connect(tmp_path / "sessions.sqlite3") as conn:
        conn.execute(sql, (bad,))
    listed = cli("sessions")
    _clean(listed.stdout, listed.stderr)
    assert good in listed.stdout
    for command in (
        ("report", bad),
        ("resume", bad, "--choices", ""),
        ("report", bad, "--format", "csv"),
    ):
        result = cli(*command)
        _clean(result.stdout, result.stderr)
        assert result.returncode in (0, 1)
        if said is not None:
            assert result.returncode == 1
            assert said.format(id=bad) in result.stderr
    if damage == "mode unknown":  # the index row itself: listed as damaged, the rest listed
        assert listed.returncode == 1
        assert f"warning: session {bad} in " in listed.stderr and "is damaged" in listed.stderr
        assert bad not in listed.stdout
    report = cli("report", good, "--format", "md")
    assert report.returncode == 0, report.stderr


@pytest.mark.parametrize(
    "command", [("sessions",), ("report", "x"), ("run", "sahel-gold-and-fuel", "--save")]
)
def test_dev_null_as_the_store_is_refused_and_left_alone(cli, command: tuple[str, ...]) -> None:
    if not os.path.exists("/dev/null"):
        pytest.skip("no /dev/null")
    before = os.path.exists("/dev/null-journal")
    result = cli(*command, "--db", "/dev/null")
    _clean(result.stdout, result.stderr)
    assert result.returncode == 1
    assert "/dev/null is a character device, not a session store file" in result.stderr
    assert os.path.exists("/dev/null-journal") == before


def test_a_store_in_a_read_only_folder_still_lists_and_reports(cli, tmp_path: Path) -> None:
    if os.geteuid() != 0:
        pytest.skip("runs as root without the permission override; as a user, chmod suffices")
    (session,) = _two_sessions(cli)[:1]
    with sqlite3.connect(tmp_path / "sessions.sqlite3") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    folder = tmp_path / "ro"
    folder.mkdir()
    shutil.move(tmp_path / "sessions.sqlite3", folder / "sessions.sqlite3")
    for extra in ("-wal", "-shm"):
        (tmp_path / f"sessions.sqlite3{extra}").unlink(missing_ok=True)
    folder.chmod(0o555)
    try:
        env = {"NEXUS_TTX_DB": str(folder / "sessions.sqlite3")}
        listed = run_bounded("sessions", cwd=tmp_path, env=env, obey_modes=True)
        report = run_bounded("report", session, cwd=tmp_path, env=env, obey_modes=True)
        files = sorted(p.name for p in folder.iterdir())
    finally:
        folder.chmod(0o755)
    _clean(listed.stdout, listed.stderr, report.stdout, report.stderr)
    assert listed.returncode == 0, listed.stderr
    assert session in listed.stdout
    assert report.returncode == 0, report.stderr
    assert report.stdout.startswith("# After-action report")
    assert files == ["sessions.sqlite3"]


def test_bytes_that_are_not_utf8_in_a_path_and_a_team(cli, tmp_path: Path) -> None:
    raw = os.fsencode(tmp_path) + b"/s\xff\x1b[2J.yaml"
    shutil.copy(ROOT / "scenarios" / "sahel-gold-and-fuel.yaml", raw)
    name = os.fsdecode(raw)
    for command in (
        ("validate", name),
        ("run", name, "--choices", "", "--save"),
        ("analyze", name),
        ("graph", name),
        ("list", "--library", str(tmp_path)),
        ("sessions",),
    ):
        result = cli(*command)
        _clean(result.stdout, result.stderr)
        assert result.returncode in (0, 1), (command, result.stderr)
    team = cli("run", "sahel-gold-and-fuel", "--team", os.fsdecode(b"a\xffb"))
    _clean(team.stdout, team.stderr)
    assert team.returncode == 2
    assert "--team must be text without control characters, in UTF-8" in team.stderr


def test_control_characters_in_names_never_reach_the_terminal(cli, tmp_path: Path) -> None:
    # file names and a stored team name carry ESC, BEL and CSI: every command escapes them
    lib = tmp_path / "lib\x1b]0;pwned\x07"
    lib.mkdir()
    path = lib / "s\x9b2J\x1b[31m.yaml"
    shutil.copy(ROOT / "scenarios" / "sahel-gold-and-fuel.yaml", path)
    bad = lib / "bad\x1b[2J.yaml"
    bad.write_text("title: [\n", encoding="utf-8")
    ran = cli("run", str(path), "--choices", "", "--save")
    (session,) = [s["id"] for s in json.loads(cli("sessions", "--json").stdout)]
    with sqlite3.connect(tmp_path / "sessions.sqlite3") as conn:
        conn.execute(
            "UPDATE sessions SET teams = ? WHERE id = ?", ('["x\\u001b[2J\\u009b"]', session)
        )
    outputs = [ran]
    for command in (
        ("validate", str(lib)),
        ("validate", str(lib), "--format", "json"),
        ("analyze", str(path)),
        ("graph", str(path)),
        ("test", str(path)),
        ("list", "--library", str(lib)),
        ("list", "--library", str(lib), "--json"),
        ("sessions",),
        ("sessions", "--json"),
        ("report", session),
        ("report", session, "--format", "csv"),
        ("report", session, "--format", "json"),
        ("resume", session, "--choices", ""),
        ("validate", str(lib / "missing\x1b[2J.yaml")),
    ):
        outputs.append(cli(*command))
    for result in outputs:
        _clean(result.stdout, result.stderr)
    assert any("\\u001b" in r.stdout + r.stderr for r in outputs)
    json.loads(outputs[2].stdout)  # escaped JSON output is still JSON


async def test_the_sessions_tab_shows_hostile_store_text_inert(tmp_path: Path) -> None:
    # the TUI's renderer passes ESC on to the terminal: text from the store must arrive inert
    from engine.check.validate import load_scenario
    from engine.exercise.exercise import Exercise
    from engine.store.sqlite import Store
    from tui.app import NexusApp

    db = tmp_path / "s.sqlite3"
    scenario = load_scenario(ROOT / "scenarios" / "sahel-gold-and-fuel.yaml")
    with Store(db) as store:
        sid = Exercise.start(store, scenario, label="day").session_id
    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE sessions SET title = ?, label = ?, teams = ? WHERE id = ?",
            ("T\x1b]0;pwned\x07", "l\x1b[2J", '["x\\u001b[31m"]', sid),
        )
    app = NexusApp(store=Store(db))
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(3):
            await app.workers.wait_for_complete()
            await pilot.pause()
        await pilot.press("s")
        await pilot.pause()
        table = app.screen.query_one("#session-table")
        cells = [str(c) for r in range(table.row_count) for c in table.get_row_at(r)]
        screen = app.export_screenshot()
    assert any("\\u001b" in c for c in cells), cells
    assert not [c for c in cells if RAW_CONTROL.search(c)]
    assert "\x1b" not in screen and "\x07" not in screen
