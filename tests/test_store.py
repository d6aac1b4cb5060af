"""The session store: schema, durability settings, ids, and refusing files that are not ours."""

from __future__ import annotations

import sqlite3

import pytest

from engine.play import events as ev
from engine.store.sqlite import (
    APPLICATION_ID,
    SCHEMA_VERSION,
    StaleSession,
    Store,
    StoreError,
    UnknownSession,
)

START = {
    "scenario_id": "convoy",
    "content_hash": "abc",
    "mode": "solo",
    "teams": ["Solo"],
    "options": {},
    "start": "briefing",
}


def new_session(store: Store) -> str:
    first = store.create_session(
        scenario_id="convoy",
        content_hash="abc",
        title="Convoy",
        mode="solo",
        teams=["Solo"],
        data=START,
        scenario_path="/x/convoy.yaml",
    )
    return first.session_id


def test_schema_and_pragmas(tmp_path) -> None:
    path = tmp_path / "deep" / "er" / "s.sqlite3"  # parent folders are created
    with Store(path) as store:
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"sessions", "events"} <= tables
    with Store(path) as again:  # reopening migrates nothing and keeps working
        assert again.sessions() == []


def test_append_read_and_list(tmp_path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        sid = new_session(store)
        assert len(sid) == 8 and all(c in "0123456789abcdef" for c in sid)
        e = store.append(sid, ev.SCENE_ENTERED, {"scene": "call"})
        assert e.seq == 2
        store.append(sid, ev.NOTE_ADDED, {"scene": None, "text": "é ü ✓"})
        events = store.events(sid)
        assert [x.seq for x in events] == [1, 2, 3]
        assert events[2].data["text"] == "é ü ✓"
        assert store.events(sid, after=2) == events[2:]
        info = store.session(sid)
        assert (info.scenario_id, info.teams, info.status, info.scene, info.events) == (
            "convoy",
            ("Solo",),
            "active",
            "call",
            3,
        )
        store.append(sid, ev.SESSION_ENDED, {"reason": "abandoned"})
        assert store.session(sid).status == "abandoned"


def test_conditional_append_refuses_a_stale_writer(tmp_path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        sid = new_session(store)
        store.append(sid, ev.SCENE_ENTERED, {"scene": "call"}, after=1)
        with pytest.raises(StaleSession):
            store.append(sid, ev.SCENE_ENTERED, {"scene": "call"}, after=1)
        assert len(store.events(sid)) == 2


def test_unknown_ids_and_prefixes(tmp_path) -> None:
    with Store(tmp_path / "s.sqlite3") as store:
        sid = new_session(store)
        assert store.resolve(sid[:5]) == sid
        with pytest.raises(UnknownSession) as info:
            store.session(sid[:7] + ("0" if sid[7] != "0" else "1"))
        assert sid in info.value.close and sid in str(info.value)
        with pytest.raises(UnknownSession):
            store.append("nope", ev.NOTE_ADDED, {"scene": None, "text": "x"})


def _assert_refused(cli, path, data: bytes, *words: str) -> None:
    result = cli("sessions", "--db", str(path))
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    assert str(path) in result.stderr
    for word in words:
        assert word in result.stderr
    assert path.read_bytes() == data


def test_non_sqlite_file_is_refused_untouched(cli, tmp_path) -> None:
    path = tmp_path / "notes.txt"
    data = b"these are my notes, not a database\n" * 10
    path.write_bytes(data)
    _assert_refused(cli, path, data, "not an SQLite database")
    with pytest.raises(StoreError):
        Store(path)
    assert path.read_bytes() == data


def test_corrupt_file_is_refused_untouched(cli, tmp_path) -> None:
    path = tmp_path / "corrupt.sqlite3"
    with Store(path) as store:
        new_session(store)
    raw = bytearray(path.read_bytes())
    for i in range(100, len(raw)):  # keep the header, scramble the rest
        raw[i] = (raw[i] * 7 + 13) % 256
    path.write_bytes(bytes(raw))
    for extra in ("-wal", "-shm"):
        (tmp_path / f"corrupt.sqlite3{extra}").unlink(missing_ok=True)
    _assert_refused(cli, path, bytes(raw), "damaged")


def test_newer_schema_is_refused_untouched(cli, tmp_path) -> None:
    path = tmp_path / "future.sqlite3"
    with Store(path) as store:
        new_session(store)
        store._conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
        store._conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = path.read_bytes()
    _assert_refused(cli, path, data, "newer nexus-ttx")


def test_foreign_sqlite_database_is_refused_untouched(cli, tmp_path) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    data = path.read_bytes()
    _assert_refused(cli, path, data, "not a nexus-ttx session store")


def test_sessions_cli_lists(cli, tmp_path) -> None:
    path = tmp_path / "sessions.sqlite3"
    assert cli("sessions").returncode == 0
    with Store(path) as store:
        sid = new_session(store)
    result = cli("sessions")
    assert result.returncode == 0 and sid in result.stdout and "convoy" in result.stdout
    import json

    listed = json.loads(cli("sessions", "--json").stdout)
    assert listed[0]["id"] == sid and listed[0]["scene"] == "briefing"
