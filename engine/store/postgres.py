"""The session store on a PostgreSQL server (psycopg 3): one database shared by a centre.

The same contract as the SQLite store (engine/store/base.py):
- One transaction per event, committed (and, with the server's default synchronous_commit,
  flushed to its WAL) before `append` returns.
- An append locks its session's index row (`FOR UPDATE`), so appends to one session queue up
  and each reads the latest seq; the unique (session_id, seq) key is the last word: an insert
  that still loses a race is retried with a fresh seq (or raises `StaleSession` if the caller
  made the append conditional with `after=`), never duplicated.
- The schema version sits in `nexus_ttx_schema` with an application marker. A database with
  other tables and no marker, another marker, or a newer version is refused and not written
  to. Migrations run in order in one transaction under an advisory lock, so several clients
  opening a fresh database at once do not race.
- Live notification: every write sends `NOTIFY nexus_ttx` (delivered at commit); readers
  LISTEN on a second connection, so `change_mark` costs no query and `wait_for_change` sleeps
  until something is committed.
"""

from __future__ import annotations

import json
import secrets
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import psycopg
from psycopg import errors as pg_errors
from psycopg.rows import TupleRow  # rows as tuples: their values are untyped at the edge

from engine.core.i18n import _
from engine.core.jsontypes import JSON
from engine.play import events as ev
from engine.play.events import Event, make_event
from engine.store.base import (
    APPEND_RETRIES,
    INFO_QUERY,
    DamagedSession,
    SessionExists,
    SessionFilter,
    SessionInfo,
    SessionRecord,
    StaleSession,
    StoredEvent,
    StoreError,
    UnknownSession,
    ambiguous,
    check_record,
    clean_label,
    decode_event,
    decode_infos,
    label_after,
    like_prefix,
    new_session,
    status_after,
    unknown_session,
)

APPLICATION = "nexus-ttx"
CHANNEL = "nexus_ttx"
ADVISORY_LOCK = 0x4E545458  # "NTTX": serialises schema creation and migrations
CONNECT_TIMEOUT = 10  # seconds

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: sessions index + events (the same columns as the SQLite store's first version)
    (
        """CREATE TABLE sessions (
            id            TEXT PRIMARY KEY,
            scenario_id   TEXT NOT NULL,
            content_hash  TEXT NOT NULL,
            scenario_path TEXT,
            title         TEXT NOT NULL,
            mode          TEXT NOT NULL,
            teams         TEXT NOT NULL,
            created_at    TEXT NOT NULL,
            updated_at    TEXT NOT NULL,
            status        TEXT NOT NULL DEFAULT 'active'
        )""",
        """CREATE TABLE events (
            session_id TEXT NOT NULL REFERENCES sessions(id),
            seq        INTEGER NOT NULL,
            kind       TEXT NOT NULL,
            data       TEXT NOT NULL,
            at         TEXT NOT NULL,
            PRIMARY KEY (session_id, seq)
        )""",
        "CREATE INDEX sessions_by_update ON sessions(updated_at)",
    ),
    # 2: labels
    (
        "ALTER TABLE sessions ADD COLUMN label TEXT NOT NULL DEFAULT ''",
        "CREATE INDEX sessions_by_label ON sessions(label)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username or ''}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


class PostgresStore:
    """An open session store on a PostgreSQL server. Thread-safe (one connection behind a
    lock, plus a listening connection for change notification, opened when first needed)."""

    def __init__(
        self,
        url: str,
        *,
        clock: Callable[[], str] = ev.now,
        target_version: int = SCHEMA_VERSION,
    ) -> None:
        """`clock` stamps each event; `target_version` < SCHEMA_VERSION makes an old store
        (for migration tests)."""
        self._clock = clock
        self.url = url
        self._where = redact(url)
        self._lock = threading.RLock()
        self._listen_lock = threading.Lock()
        self._listener: psycopg.Connection[TupleRow] | None = None
        self._notified = 0
        self._own_commits = 0
        self.damaged: list[DamagedSession] = []  # sessions the last listing had to skip
        self._conn = self._connect()
        try:
            self._migrate(target_version)
        except BaseException:
            self._conn.close()
            raise

    # --- opening ---------------------------------------------------------------------------

    def _connect(self) -> psycopg.Connection[TupleRow]:
        try:
            return psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT)
        except (psycopg.Error, ValueError) as exc:
            reason = " ".join(str(exc).split()) or type(exc).__name__
            raise StoreError(
                _(
                    "cannot connect to the session store {location}: {problem}; check that the "
                    "server runs, the URL in --db or NEXUS_TTX_DB, and the role's password "
                    "(PGPASSWORD or ~/.pgpass)"
                ).format(location=self._where, problem=reason)
            ) from None

    @property
    def location(self) -> str:
        return self._where

    def _identity(self, cur: psycopg.Cursor[TupleRow]) -> tuple[str | None, int, int]:
        """(application marker or None, schema version, tables in our schema)."""
        tables = cur.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
        ).fetchone()
        count = int(tables[0]) if tables else 0
        if cur.execute("SELECT to_regclass('nexus_ttx_schema')").fetchone() == (None,):
            return None, 0, count
        row = cur.execute("SELECT application, version FROM nexus_ttx_schema").fetchone()
        if row is None:
            return "", 0, count
        return str(row[0]), int(row[1]), count

    def _check_owner(self, marker: str | None, version: int, tables: int) -> None:
        if marker is None and tables == 0:
            return  # a fresh database: ours to create
        if marker != APPLICATION:
            raise StoreError(
                _(
                    "the database {location} is not a nexus-ttx session store (it has other "
                    "tables and no nexus-ttx marker); nothing was changed: create an empty "
                    "database for nexus-ttx and pass its URL with --db or NEXUS_TTX_DB"
                ).format(location=self._where)
            )
        if version > SCHEMA_VERSION:
            raise StoreError(
                _(
                    "the session store {path} was written by a newer nexus-ttx (schema "
                    "version {version}; this version reads up to {current}); upgrade "
                    "nexus-ttx, or pass another database with --db. Nothing was changed"
                ).format(path=self._where, version=version, current=SCHEMA_VERSION)
            )

    def _migrate(self, target: int) -> None:
        with self._guard() as conn, conn.cursor() as cur:
            self._check_owner(*self._identity(cur))
            with conn.transaction():
                cur.execute("SELECT pg_advisory_xact_lock(%s)", (ADVISORY_LOCK,))
                marker, version, tables = self._identity(cur)  # someone may have been first
                self._check_owner(marker, version, tables)
                if marker is None:
                    cur.execute(
                        "CREATE TABLE nexus_ttx_schema (application TEXT NOT NULL, "
                        "version INTEGER NOT NULL)"
                    )
                    cur.execute("INSERT INTO nexus_ttx_schema VALUES (%s, 0)", (APPLICATION,))
                for number in range(version, target):
                    for statement in MIGRATIONS[number]:
                        cur.execute(statement)
                if target > version:
                    cur.execute("UPDATE nexus_ttx_schema SET version = %s", (target,))

    def schema_version(self) -> int:
        with self._guard() as conn:
            row = conn.execute("SELECT version FROM nexus_ttx_schema").fetchone()
        return int(row[0]) if row else 0

    # --- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[psycopg.Connection[TupleRow]]:
        with self._lock:
            try:
                yield self._conn
            except psycopg.OperationalError as exc:
                reason = " ".join(str(exc).split())
                raise StoreError(
                    _(
                        "the session store {location} stopped answering ({problem}); what was "
                        "acknowledged is stored: reconnect and resume"
                    ).format(location=self._where, problem=reason)
                ) from None

    @contextmanager
    def _write(self) -> Iterator[psycopg.Cursor[TupleRow]]:
        """One transaction that tells the listeners when it commits."""
        with self._guard() as conn, conn.transaction(), conn.cursor() as cur:
            yield cur
            cur.execute("SELECT pg_notify(%s, '')", (CHANNEL,))
        self._own_commits += 1

    def close(self) -> None:
        with self._lock:
            self._conn.close()
        with self._listen_lock:
            if self._listener is not None:
                self._listener.close()

    def __enter__(self) -> PostgresStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- change notification ---------------------------------------------------------------

    def _listening(self) -> psycopg.Connection[TupleRow]:
        if self._listener is None:
            self._listener = self._connect()
            self._listener.execute(f"LISTEN {CHANNEL}")
        return self._listener

    def _drain(self, timeout: float) -> None:
        """Count the notifications that arrive within `timeout` seconds (0: those waiting)."""
        with self._listen_lock:
            listener = self._listening()
            try:
                for _ in listener.notifies(timeout=timeout, stop_after=1):
                    self._notified += 1
                for _ in listener.notifies(timeout=0):
                    self._notified += 1
            except psycopg.OperationalError as exc:
                raise StoreError(
                    _("lost the session store {location}: {problem}").format(
                        location=self._where, problem=exc
                    )
                ) from None

    def change_mark(self) -> tuple[int, int]:
        """A value that changes whenever anything is committed to the store (by anyone):
        the notifications received, with this store's own commits. No table is read."""
        self._drain(0)
        return self._notified, self._own_commits

    def last_seq(self, session_id: str) -> int:
        with self._guard() as conn:
            row = conn.execute(
                "SELECT coalesce(max(seq), 0) FROM events WHERE session_id = %s", (session_id,)
            ).fetchone()
        return int(row[0]) if row else 0

    def wait_for_change(self, session_id: str, after_seq: int, timeout: float) -> int:
        """Block until the session has an event after `after_seq` or `timeout` seconds pass;
        returns the session's last seq. Sleeps on LISTEN; reads only when notified."""
        deadline = time.monotonic() + timeout
        self.change_mark()  # listening from here on, so no commit after the read is missed
        last = self.last_seq(session_id)
        while last <= after_seq:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            before = self._notified
            self._drain(left)
            if self._notified != before:
                last = self.last_seq(session_id)
        return last

    # --- writing ---------------------------------------------------------------------------

    def create_session(
        self,
        *,
        scenario_id: str,
        content_hash: str,
        title: str,
        mode: str,
        teams: Sequence[str],
        data: Mapping[str, JSON],
        scenario_path: str | None = None,
    ) -> Event:
        """Create a session and append its `session_started` event (`data`) in one transaction."""
        for _attempt in range(20):
            event, info = new_session(
                secrets.token_hex(4),
                self._clock(),
                scenario_id=scenario_id,
                content_hash=content_hash,
                title=title,
                mode=mode,
                teams=teams,
                data=data,
                scenario_path=scenario_path,
            )
            try:
                with self._write() as cur:
                    _insert_info(cur, info)
                    _insert(cur, event)
            except pg_errors.UniqueViolation:
                continue  # id collision: draw again
            return event
        raise StoreError(
            _("could not draw a fresh session id in {location}").format(location=self._where)
        )

    def append(
        self, session_id: str, kind: str, data: Mapping[str, JSON], *, after: int | None = None
    ) -> Event:
        """Append one event, committed on return. With `after`, append only if the session's
        last seq is still `after` (else `StaleSession`, nothing written)."""
        for _attempt in range(APPEND_RETRIES):
            try:
                return self._append_once(session_id, kind, data, after)
            except pg_errors.UniqueViolation:
                if after is not None:
                    raise StaleSession(
                        f"session {session_id} has moved on (expected event {after} last)"
                    ) from None
        raise StoreError(
            _("could not append to session {session} in {location}: busy").format(
                session=session_id, location=self._where
            )
        )

    def _append_once(
        self, session_id: str, kind: str, data: Mapping[str, JSON], after: int | None
    ) -> Event:
        with self._write() as cur:
            row = cur.execute(
                "SELECT status, label FROM sessions WHERE id = %s FOR UPDATE", (session_id,)
            ).fetchone()
            if row is None:
                raise self._unknown(cur, session_id)
            found = cur.execute(
                "SELECT coalesce(max(seq), 0) FROM events WHERE session_id = %s", (session_id,)
            ).fetchone()
            last = int(found[0]) if found else 0
            if after is not None and last != after:
                raise StaleSession(
                    f"session {session_id} has moved on (event {last}, expected {after})"
                )
            event = make_event(last + 1, session_id, kind, data, self._clock())
            _insert(cur, event)
            cur.execute(
                "UPDATE sessions SET updated_at = %s, status = %s, label = %s WHERE id = %s",
                (
                    event.at,
                    status_after(row[0], kind, event.data),
                    label_after(row[1], kind, event.data),
                    session_id,
                ),
            )
        return event

    def set_label(self, session_id: str, label: str) -> Event:
        """Label the session (a `session_labelled` event; '' clears it)."""
        return self.append(session_id, ev.SESSION_LABELLED, {"label": clean_label(label)})

    def delete(self, session_id: str) -> None:
        """Remove the session and all its events, in one transaction."""
        with self._write() as cur:
            cur.execute("DELETE FROM events WHERE session_id = %s", (session_id,))
            cur.execute("DELETE FROM sessions WHERE id = %s", (session_id,))
            if not cur.rowcount:
                raise self._unknown(cur, session_id)

    def load_session(self, record: SessionRecord) -> None:
        """Add a session copied from another store: its index row and events, as they were."""
        check_record(record)
        try:
            with self._write() as cur:
                _insert_info(cur, record.info)
                cur.executemany(
                    "INSERT INTO events (session_id, seq, kind, data, at) "
                    "VALUES (%s, %s, %s, %s, %s)",
                    [(record.info.id, e.seq, e.kind, e.data, e.at) for e in record.events],
                )
        except pg_errors.UniqueViolation:
            raise SessionExists(
                _("session {session} is already in {location}").format(
                    session=record.info.id, location=self._where
                )
            ) from None

    # --- reading ---------------------------------------------------------------------------

    def events(self, session_id: str, after: int = 0) -> tuple[Event, ...]:
        """The session's events with seq > `after`, in order."""
        return tuple(
            decode_event(self._where, session_id, e) for e in self._stored(session_id, after)
        )

    def _stored(self, session_id: str, after: int = 0) -> list[StoredEvent]:
        with self._guard() as conn:
            rows = conn.execute(
                "SELECT seq, kind, data, at FROM events WHERE session_id = %s AND seq > %s "
                "ORDER BY seq",
                (session_id, after),
            ).fetchall()
        return [StoredEvent(*row) for row in rows]

    def dump_session(self, session_id: str) -> SessionRecord:
        info = self.session(session_id)
        return SessionRecord(info, tuple(self._stored(info.id)))

    def resolve(self, ref: str) -> str:
        """A session id from its full id or a unique prefix; `UnknownSession` lists close ids."""
        ref = ref.strip()
        with self._guard() as conn, conn.cursor() as cur:
            if cur.execute("SELECT 1 FROM sessions WHERE id = %s", (ref,)).fetchone():
                return ref
            if ref:
                rows = cur.execute(
                    "SELECT id FROM sessions WHERE id LIKE %s ESCAPE '\\'", (like_prefix(ref),)
                ).fetchall()
                if len(rows) == 1:
                    return str(rows[0][0])
                if len(rows) > 1:
                    raise ambiguous(ref, [r[0] for r in rows])
            raise self._unknown(cur, ref)

    def _unknown(self, cur: psycopg.Cursor[TupleRow], ref: str) -> UnknownSession:
        ids = [r[0] for r in cur.execute("SELECT id FROM sessions").fetchall()]
        return unknown_session(self._where, ref, ids)

    def session(self, ref: str) -> SessionInfo:
        session_id = self.resolve(ref)
        found = self._infos("WHERE s.id = %s", (session_id,))
        if not found and self.damaged:
            raise self.damaged[0]
        if not found:
            with self._guard() as conn, conn.cursor() as cur:
                raise self._unknown(cur, ref)
        return found[0]

    def sessions(self, where: SessionFilter | None = None) -> list[SessionInfo]:
        """The sessions `where` selects (all by default), most recently updated first."""
        found = self._infos("", ())
        return found if where is None else [i for i in found if where.matches(i)]

    def _infos(self, where: str, params: tuple[object, ...]) -> list[SessionInfo]:
        query = INFO_QUERY.format(where=where)
        with self._guard() as conn:
            rows = conn.execute(query, params).fetchall()
        infos, self.damaged = decode_infos(rows, self._where)
        return infos


def _insert_info(cur: psycopg.Cursor[TupleRow], info: SessionInfo) -> None:
    cur.execute(
        "INSERT INTO sessions (id, scenario_id, content_hash, scenario_path, title, mode, "
        "teams, created_at, updated_at, status, label) "
        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (
            info.id,
            info.scenario_id,
            info.content_hash,
            info.scenario_path,
            info.title,
            info.mode,
            json.dumps(list(info.teams), ensure_ascii=False),
            info.created_at,
            info.updated_at,
            info.status,
            info.label,
        ),
    )


def _insert(cur: psycopg.Cursor[TupleRow], event: Event) -> None:
    cur.execute(
        "INSERT INTO events (session_id, seq, kind, data, at) VALUES (%s, %s, %s, %s, %s)",
        (event.session_id, event.seq, event.kind, ev.dumps(event.data), event.at),
    )
