"""The store contract, on both back ends: a SQLite file and a real PostgreSQL server.

(The process-level parts, 8 concurrent writers and kill -9, are in test_store_concurrency.py
and test_store_kill.py, on the same `store_target` fixture.)
"""

from __future__ import annotations

import re
import sqlite3
import threading

import psycopg
import pytest

from engine.play import events as ev
from engine.store import open_store
from engine.store.base import (
    SessionExists,
    SessionFilter,
    SessionStore,
    StaleSession,
    StoreError,
    UnknownSession,
)


def _new(store: SessionStore, scenario: str = "x", label: str = "") -> str:
    data = {"scenario_id": scenario, "label": label} if label else {"scenario_id": scenario}
    return store.create_session(
        scenario_id=scenario, content_hash="h", title="X", mode="solo", teams=["T"], data=data
    ).session_id


def _note(store: SessionStore, sid: str, text: str, after: int | None = None) -> ev.Event:
    return store.append(sid, ev.NOTE_ADDED, {"scene": None, "text": text}, after=after)


def test_implements_the_interface(store_target) -> None:
    with open_store(store_target) as store:
        assert isinstance(store, SessionStore)
        assert store.schema_version() == 2


def test_append_read_and_conditional_append(store_target) -> None:
    with open_store(store_target) as store:
        sid = _new(store)
        assert _note(store, sid, "é ü 中", after=1).seq == 2
        with pytest.raises(StaleSession):
            _note(store, sid, "late", after=1)
        assert [e.seq for e in store.events(sid)] == [1, 2]
        assert store.events(sid)[1].data["text"] == "é ü 中"
        assert [e.seq for e in store.events(sid, after=1)] == [2]
        assert store.last_seq(sid) == 2
        with pytest.raises(UnknownSession):
            _note(store, "nope", "x")


def test_second_connection_sees_appends_and_is_notified(store_target) -> None:
    with open_store(store_target) as mine, open_store(store_target) as theirs:
        sid = _new(mine)
        mark = theirs.change_mark()
        assert theirs.wait_for_change(sid, 1, timeout=0.05) == 1  # nothing yet: times out
        waiter: list[int] = []
        thread = threading.Thread(
            target=lambda: waiter.append(theirs.wait_for_change(sid, 1, timeout=30))
        )
        thread.start()
        _note(mine, sid, "hello")
        thread.join()
        assert waiter == [2]
        assert theirs.change_mark() != mark


def test_labels_filters_and_delete(store_target) -> None:
    with open_store(store_target) as store:
        a = _new(store, "sahel", label="Nairobi course, day 1")
        b = _new(store, "sahel")
        c = _new(store, "straits", label="Tirana")
        store.set_label(b, "  Nairobi   course, day 2 ")
        assert store.session(b).label == "Nairobi course, day 2"
        assert store.events(b)[-1].kind == ev.SESSION_LABELLED
        store.append(c, ev.SESSION_ENDED, {"reason": "abandoned"})
        store.set_label(c, "Tirana, day 1")  # allowed after the end (catalogue work)

        def ids(**kw: str) -> set[str]:
            return {i.id for i in store.sessions(SessionFilter(**kw))}

        assert ids(label="nairobi*") == {a, b}
        assert ids(label="Nairobi course, day 1") == {a}
        assert ids(scenario="sahel") == {a, b}
        assert ids(status="abandoned") == {c}
        assert ids(since="2000-01-01") == {a, b, c}
        assert ids(since="2999-01-01") == set()
        with pytest.raises(StoreError, match="control"):
            store.set_label(a, "bad\x07label")
        store.delete(a)
        assert {i.id for i in store.sessions()} == {b, c}
        assert store.events(a) == ()
        with pytest.raises(UnknownSession):
            store.session(a)
        with pytest.raises(UnknownSession):
            store.delete(a)


def test_copy_round_trip_is_byte_identical(tmp_path, store_target) -> None:
    """SQLite -> store_target -> SQLite: the same rows, byte for byte."""
    first = tmp_path / "first.sqlite3"
    back = tmp_path / "back.sqlite3"
    with open_store(first) as src:
        sid = _new(src, label="Nairobi")
        _note(src, sid, 'quotes " and \\ and \u2028 and emoji \U0001f600')
        src.append(sid, ev.SESSION_ENDED, {"reason": "ending"})
        record = src.dump_session(sid)
    middle = store_target if store_target.startswith("postgresql") else str(tmp_path / "m.db")
    with open_store(middle) as mid:
        mid.load_session(record)
        with pytest.raises(SessionExists):
            mid.load_session(record)
        again = mid.dump_session(sid)
    with open_store(back) as dst:
        dst.load_session(again)
        assert dst.session(sid) == record.info

    def rows(path: object) -> list[tuple[object, ...]]:
        with sqlite3.connect(str(path)) as conn:
            return (
                conn.execute(
                    "SELECT session_id, seq, kind, CAST(data AS BLOB), at FROM events ORDER BY seq"
                ).fetchall()
                + conn.execute("SELECT * FROM sessions").fetchall()
            )

    assert rows(first) == rows(back)


def test_migrates_a_first_version_store(tmp_path, store_target) -> None:
    """A store made by the first schema (no labels) opens, migrates and keeps its sessions."""
    if store_target.startswith("postgresql"):
        from engine.store.postgres import PostgresStore

        with PostgresStore(store_target, target_version=1) as old:
            assert old.schema_version() == 1
            with old._guard() as conn:
                conn.execute(
                    "INSERT INTO sessions VALUES ('abc', 'x', 'h', NULL, 'X', 'solo', '[\"T\"]', "
                    "'2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'active')"
                )
                conn.execute(
                    "INSERT INTO events VALUES ('abc', 1, 'session_started', '{}', "
                    "'2026-01-01T00:00:00.000Z')"
                )
    else:
        from engine.store.sqlite import APPLICATION_ID, MIGRATIONS

        with sqlite3.connect(store_target) as conn:
            conn.executescript(MIGRATIONS[0])
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute("PRAGMA user_version = 1")
            conn.execute(
                "INSERT INTO sessions VALUES ('abc', 'x', 'h', NULL, 'X', 'solo', '[\"T\"]', "
                "'2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', 'active')"
            )
            conn.execute(
                "INSERT INTO events VALUES ('abc', 1, 'session_started', '{}', "
                "'2026-01-01T00:00:00.000Z')"
            )
    with open_store(store_target) as store:
        assert store.schema_version() == 2
        assert store.session("abc").label == ""
        store.set_label("abc", "after migration")
        assert store.sessions(SessionFilter(label="after*"))[0].id == "abc"


def _newer(target: str) -> None:
    if target.startswith("postgresql"):
        open_store(target).close()
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("UPDATE nexus_ttx_schema SET version = 99")
    else:
        open_store(target).close()
        with sqlite3.connect(target) as conn:
            conn.execute("PRAGMA user_version = 99")


def _foreign(target: str) -> None:
    if target.startswith("postgresql"):
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER)")
    else:
        with sqlite3.connect(target) as conn:
            conn.execute("CREATE TABLE invoices (id INTEGER)")


@pytest.mark.parametrize(
    ("spoil", "words"), [(_newer, "newer nexus-ttx"), (_foreign, "not a nexus-ttx")]
)
def test_refuses_newer_and_foreign_stores_untouched(store_target, spoil, words) -> None:
    spoil(store_target)
    with pytest.raises(StoreError, match=words) as caught:
        open_store(store_target)
    assert "Nothing was changed" in str(caught.value) or "nothing was changed" in str(caught.value)
    if store_target.startswith("postgresql"):
        with psycopg.connect(store_target) as conn:
            tables = conn.execute(
                "SELECT table_name FROM information_schema.tables "
                "WHERE table_schema = 'public' ORDER BY 1"
            ).fetchall()
        expected = (
            [("invoices",)]
            if spoil is _foreign
            else [("events",), ("nexus_ttx_schema",), ("sessions",)]
        )
        assert tables == expected


def test_unreachable_server_is_a_clear_error(pg_cluster) -> None:
    url = pg_cluster.url("postgres").replace(str(pg_cluster.port), "1")
    with pytest.raises(StoreError, match="cannot connect to the session store postgresql://"):
        open_store(url.replace("nexus@", "nexus:secret@"))
    try:
        open_store(url.replace("nexus@", "nexus:secret@"))
    except StoreError as exc:
        assert "secret" not in str(exc)


def _spoil_raw(target: str, sid: str) -> None:
    """What a hostile writer can leave: ESC, BEL and CSI in the index and an event's text."""
    note = '{"scene": null, "text": "a\\u001b[2Jb\\u009b"}'
    index = ("T\x1b]0;pwned\x07", '["x\\u001b[31m"]', "lab\x1bel")
    if target.startswith("postgresql://"):
        with psycopg.connect(target, autocommit=True) as conn:
            conn.execute(
                "UPDATE events SET data = %s WHERE session_id = %s AND seq = 2", (note, sid)
            )
            conn.execute(
                "UPDATE sessions SET title = %s, teams = %s, label = %s WHERE id = %s",
                (*index, sid),
            )
        return
    with sqlite3.connect(target) as conn:
        conn.execute("UPDATE events SET data = ? WHERE session_id = ? AND seq = 2", (note, sid))
        conn.execute(
            "UPDATE sessions SET title = ?, teams = ?, label = ? WHERE id = ?", (*index, sid)
        )


def test_text_read_from_the_store_carries_no_control_character(store_target) -> None:
    raw_control = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
    with open_store(store_target) as store:
        sid = _new(store)
        _note(store, sid, "placeholder")
    _spoil_raw(store_target, sid)
    with open_store(store_target) as store:
        (info,) = store.sessions()
        note = store.events(sid)[1].data["text"]
        shown = [info.title, info.label, *info.teams, note]
        assert not [s for s in shown if raw_control.search(s)], shown
        assert note == "a\\u001b[2Jb\\u009b"  # visible, not dropped
        assert info.title == "T\\u001b]0;pwned\\u0007"
        # a copy keeps the stored bytes: the store is not rewritten, only read safely
        assert "\\u001b" in store.dump_session(sid).events[1].data
