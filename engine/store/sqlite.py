"""The session store: events in SQLite (stdlib sqlite3), safe across crashes and processes.

- WAL with `synchronous=FULL`: a committed append is fsynced before `append` returns, so what
  the screen acknowledged survives a kill or a power cut.
- One transaction per event. An append reads the next sequence number before it writes, so it
  opens with `BEGIN IMMEDIATE`: a deferred transaction that upgrades from read to write fails
  with "database is locked" under concurrency whatever the busy timeout (docs/architecture.md).
- `after=` makes an append conditional on the session's last seq (optimistic concurrency), so
  several processes can append to one session and each checks its move against the latest state.
- Change notification: `wait_for_change` polls `PRAGMA data_version` (it moves when another
  connection commits) so the TUI and the participant server each see the other's appends
  within a second, without reading the events table while nothing changes.
- The schema version is `PRAGMA user_version` with ordered migrations; `application_id` marks
  the file as ours. A file that is not ours, is corrupt, or comes from a newer version is
  refused with a `StoreError` naming it, and is never written to.

The `sessions` table is an index for listing (scenario, title, status, times); the state of a
session is the fold of its events and nothing else.
"""

from __future__ import annotations

import json
import os
import secrets
import sqlite3
import stat
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from engine.core.i18n import _
from engine.core.jsontypes import JSON
from engine.play import events as ev
from engine.play.events import Event, make_event
from engine.store.base import (
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

__all__ = [
    "MEMORY",
    "SCHEMA_VERSION",
    "SessionInfo",
    "StaleSession",
    "Store",
    "StoreError",
    "UnknownSession",
    "open_store",
]

APPLICATION_ID = 0x4E545458  # "NTTX"
SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_MS = 30_000
MEMORY = ":memory:"
POLL_INTERVAL = 0.25  # seconds between change checks: a change is seen well within a second

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions index + events
    """
    CREATE TABLE sessions (
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
    );
    CREATE TABLE events (
        session_id TEXT NOT NULL REFERENCES sessions(id),
        seq        INTEGER NOT NULL,
        kind       TEXT NOT NULL,
        data       TEXT NOT NULL,
        at         TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
    ) WITHOUT ROWID;
    CREATE INDEX sessions_by_update ON sessions(updated_at);
    """,
    # 2: labels (a session_labelled event, or `label` in session_started, sets it)
    """
    ALTER TABLE sessions ADD COLUMN label TEXT NOT NULL DEFAULT '';
    CREATE INDEX sessions_by_label ON sessions(label);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


def _set_wal(conn: sqlite3.Connection) -> None:
    """Switch to WAL. The switch needs an exclusive lock and SQLite may report "database is
    locked" at once (without its busy handler) while another process is creating the file,
    so retry for as long as the busy timeout."""
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.002
    while True:
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
        time.sleep(delay)
        delay = min(delay * 2, 0.1)


def _check_header(path: Path) -> None:
    """Refuse, before SQLite touches it, a file that is not an SQLite database: a folder, a
    device such as /dev/null (SQLite would create /dev/null-journal beside it), a pipe."""
    if path.is_dir():
        raise StoreError(_("{path} is a folder, not a session store file").format(path=path))
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return  # does not exist (yet): created by SQLite
    if not stat.S_ISREG(mode):
        from engine.load.files import kind_of

        raise StoreError(
            _(
                "{path} is {kind}, not a session store file; nothing was changed: pass "
                "the path of a file with --db or NEXUS_TTX_DB"
            ).format(path=path, kind=kind_of(mode))
        )
    try:
        with path.open("rb") as fh:
            header = fh.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise StoreError(
            _("cannot read the session store {path}: {problem}").format(
                path=path, problem=exc.strerror or exc
            )
        ) from None
    if header and header != SQLITE_HEADER:
        raise StoreError(
            _(
                "{path} is not a nexus-ttx session store (it is not an SQLite database); "
                "nothing was changed: pass another file with --db or NEXUS_TTX_DB"
            ).format(path=path)
        )


class Store:
    """An open session store. Thread-safe (one connection behind a lock)."""

    def __init__(
        self, path: str | Path, *, clock: Callable[[], str] = ev.now, read_only: bool = False
    ) -> None:
        """`clock` stamps each event (UTC ISO text); tests pass a fixed one so that a
        session's dates, and so its report, do not depend on when it was played.
        `read_only`: open the file as SQLite's `mode=ro` (for listing and reports), so a store
        in a folder the user cannot write is still readable; nothing is created or migrated."""
        self._clock = clock
        self.path = path if path == MEMORY else Path(path)
        self.read_only = read_only and path != MEMORY
        self.damaged: list[DamagedSession] = []  # sessions the last listing had to skip
        self._lock = threading.RLock()
        self._own_commits = 0
        self._conn = self._open()

    # --- opening ---------------------------------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        if self.read_only:
            return self._open_read_only(Path(self.path))
        target = str(self.path)
        if self.path != MEMORY:
            path = Path(self.path)
            if path.exists():
                _check_header(path)
            else:
                try:
                    path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise StoreError(
                        _(
                            "cannot create the folder for the session store {path}: {problem}"
                        ).format(path=path, problem=exc.strerror or exc)
                    ) from None
        try:
            conn = sqlite3.connect(
                target,
                timeout=BUSY_TIMEOUT_MS / 1000,
                isolation_level=None,
                check_same_thread=False,
            )
        except sqlite3.Error as exc:
            raise StoreError(
                _("cannot open the session store {path}: {problem}").format(
                    path=target, problem=exc
                )
            ) from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self._check_owner(conn)
            if self.path != MEMORY:
                _set_wal(conn)
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._migrate(conn)
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise self._corrupt(exc) from None
        except StoreError:
            conn.close()
            raise
        return conn

    def _open_read_only(self, path: Path) -> sqlite3.Connection:
        """Open for reading only: `mode=ro`, and `immutable=1` when SQLite cannot create the
        WAL index beside the file (a read-only folder, where no writer can be at work)."""
        _check_header(path)
        if not path.exists():
            raise StoreError(_("the session store {path} does not exist yet").format(path=path))
        base = "file:" + urllib.parse.quote(str(path.resolve())) + "?mode=ro"
        last: sqlite3.Error | None = None
        for uri in (base, base + "&immutable=1"):
            conn = None
            try:
                conn = sqlite3.connect(
                    uri,
                    uri=True,
                    timeout=BUSY_TIMEOUT_MS / 1000,
                    isolation_level=None,
                    check_same_thread=False,
                )
                conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
                self._check_owner(conn)
                version = conn.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA_VERSION:
                    raise StoreError(
                        _(
                            "the session store {path} has schema version {version}, not "
                            "{current}; open it once with a command that records "
                            "(run, resume) to upgrade it"
                        ).format(path=path, version=version, current=SCHEMA_VERSION)
                    )
                return conn
            except sqlite3.OperationalError as exc:
                last = exc
                if conn is not None:
                    conn.close()
            except (sqlite3.DatabaseError, StoreError) as exc:
                if conn is not None:
                    conn.close()
                if isinstance(exc, StoreError):
                    raise
                raise self._corrupt(exc) from None
        assert last is not None
        raise self._corrupt(last)

    def _corrupt(self, exc: sqlite3.Error) -> StoreError:
        """Words for a failed SQLite call: a damaged file, or a file we cannot use here."""
        text = str(exc)
        if isinstance(exc, sqlite3.OperationalError) and "malformed" not in text:
            return StoreError(
                _(
                    "cannot use the session store {path}: {problem} (check that its folder "
                    "exists and is writable, and the disk is not full)"
                ).format(path=self.path, problem=text)
            )
        return StoreError(
            _(
                "the session store {path} cannot be read ({problem}); it may be damaged. "
                "Nothing was changed: keep a copy, and pass another file with --db or "
                "NEXUS_TTX_DB"
            ).format(path=self.path, problem=text)
        )

    def _check_owner(self, conn: sqlite3.Connection) -> None:
        """Only read here: a file that is not ours (or is newer) must stay untouched."""
        version, app_id, tables = self._identity(conn)
        if version > SCHEMA_VERSION:
            raise StoreError(
                _(
                    "the session store {path} was written by a newer nexus-ttx (schema "
                    "version {version}; this version reads up to {current}); upgrade "
                    "nexus-ttx, or pass another file with --db. Nothing was changed"
                ).format(path=self.path, version=version, current=SCHEMA_VERSION)
            )
        if app_id != APPLICATION_ID and (tables or version or app_id):
            raise StoreError(
                _(
                    "{path} is an SQLite database but not a nexus-ttx session store; "
                    "nothing was changed: pass another file with --db"
                ).format(path=self.path)
            )

    @staticmethod
    def _identity(conn: sqlite3.Connection) -> tuple[int, int, int]:
        """Schema version, application id and table count, read from one snapshot (another
        process may be creating the schema meanwhile)."""
        own = not conn.in_transaction
        if own:
            conn.execute("BEGIN")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        finally:
            if own and conn.in_transaction:
                conn.execute("COMMIT")
        return version, app_id, tables

    def _migrate(self, conn: sqlite3.Connection) -> None:
        if conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            self._check_owner(conn)  # another process may have created it meanwhile
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, SCHEMA_VERSION):
                for statement in MIGRATIONS[number].split(";"):
                    if statement.strip():
                        conn.execute(statement)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    # --- plumbing --------------------------------------------------------------------------

    @contextmanager
    def _guard(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._conn
            except sqlite3.IntegrityError:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise  # a key taken: the caller draws again or reports it
            except sqlite3.DatabaseError as exc:
                if self._conn.in_transaction:
                    self._conn.execute("ROLLBACK")
                raise self._corrupt(exc) from None

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction: the write lock is taken before anything is read."""
        with self._guard() as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            self._own_commits += 1

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # --- change notification ---------------------------------------------------------------

    def change_mark(self) -> tuple[int, int]:
        """A value that changes whenever anything is committed to the store: SQLite's
        `data_version` (commits by other connections, other processes included) with this
        store's own commits. Cheap: no table is read."""
        with self._guard() as conn:
            version = conn.execute("PRAGMA data_version").fetchone()[0]
        return version, self._own_commits

    def last_seq(self, session_id: str) -> int:
        """The session's last event number (0 if it has none)."""
        with self._guard() as conn:
            row = conn.execute(
                "SELECT coalesce(max(seq), 0) FROM events WHERE session_id = ?", (session_id,)
            ).fetchone()
        return int(row[0])

    def wait_for_change(
        self, session_id: str, after_seq: int, timeout: float, interval: float = POLL_INTERVAL
    ) -> int:
        """Block until the session has an event after `after_seq` or `timeout` seconds pass;
        returns the session's last seq. Polls `change_mark` every `interval` seconds and reads
        the events table only when it moved (a PostgreSQL store would LISTEN instead)."""
        deadline = time.monotonic() + timeout
        mark = self.change_mark()
        last = self.last_seq(session_id)
        while last <= after_seq:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(interval, left))
            now = self.change_mark()
            if now != mark:
                mark = now
                last = self.last_seq(session_id)
        return last

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
                with self._write() as conn:
                    self._insert_info(conn, info)
                    self._insert(conn, event)
            except sqlite3.IntegrityError:
                continue  # id collision: draw again
            return event
        raise StoreError(
            _("could not draw a fresh session id in {location}").format(location=self.path)
        )

    def append(
        self, session_id: str, kind: str, data: Mapping[str, JSON], *, after: int | None = None
    ) -> Event:
        """Append one event, committed and fsynced on return. With `after`, append only if the
        session's last seq is still `after` (else `StaleSession`, nothing written). BEGIN
        IMMEDIATE serialises writers, so the seq read here cannot be taken by another."""
        with self._write() as conn:
            row = conn.execute(
                "SELECT status, label FROM sessions WHERE id = ?", (session_id,)
            ).fetchone()
            if row is None:
                raise self._unknown(conn, session_id)
            last = conn.execute(
                "SELECT coalesce(max(seq), 0) FROM events WHERE session_id = ?", (session_id,)
            ).fetchone()[0]
            if after is not None and last != after:
                raise StaleSession(
                    f"session {session_id} has moved on (event {last}, expected {after})"
                )
            event = make_event(last + 1, session_id, kind, data, self._clock())
            self._insert(conn, event)
            conn.execute(
                "UPDATE sessions SET updated_at = ?, status = ?, label = ? WHERE id = ?",
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
        with self._write() as conn:
            conn.execute("DELETE FROM events WHERE session_id = ?", (session_id,))
            gone = conn.execute("DELETE FROM sessions WHERE id = ?", (session_id,)).rowcount
            if not gone:
                raise self._unknown(conn, session_id)

    def load_session(self, record: SessionRecord) -> None:
        """Add a session copied from another store: its index row and events, as they were."""
        check_record(record)
        try:
            with self._write() as conn:
                self._insert_info(conn, record.info)
                conn.executemany(
                    "INSERT INTO events (session_id, seq, kind, data, at) VALUES (?, ?, ?, ?, ?)",
                    [(record.info.id, e.seq, e.kind, e.data, e.at) for e in record.events],
                )
        except sqlite3.IntegrityError:
            raise SessionExists(
                _("session {session} is already in {location}").format(
                    session=record.info.id, location=self.path
                )
            ) from None

    @staticmethod
    def _insert_info(conn: sqlite3.Connection, info: SessionInfo) -> None:
        conn.execute(
            "INSERT INTO sessions (id, scenario_id, content_hash, scenario_path, title, mode, "
            "teams, created_at, updated_at, status, label) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                info.id,
                info.scenario_id,
                info.content_hash,
                _storable_path(info.scenario_path),
                info.title,
                info.mode,
                json.dumps(list(info.teams), ensure_ascii=False),
                info.created_at,
                info.updated_at,
                info.status,
                info.label,
            ),
        )

    @staticmethod
    def _insert(conn: sqlite3.Connection, event: Event) -> None:
        conn.execute(
            "INSERT INTO events (session_id, seq, kind, data, at) VALUES (?, ?, ?, ?, ?)",
            (event.session_id, event.seq, event.kind, ev.dumps(event.data), event.at),
        )

    # --- reading ---------------------------------------------------------------------------

    @property
    def location(self) -> str:
        return str(self.path)

    def schema_version(self) -> int:
        with self._guard() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def events(self, session_id: str, after: int = 0) -> tuple[Event, ...]:
        """The session's events with seq > `after`, in order."""
        return tuple(
            decode_event(self.path, session_id, e) for e in self._stored(session_id, after)
        )

    def _stored(self, session_id: str, after: int = 0) -> list[StoredEvent]:
        with self._guard() as conn:
            rows = conn.execute(
                "SELECT seq, kind, data, at FROM events WHERE session_id = ? AND seq > ? "
                "ORDER BY seq",
                (session_id, after),
            ).fetchall()
        return [StoredEvent(*row) for row in rows]

    def dump_session(self, session_id: str) -> SessionRecord:
        """The session's index row and events exactly as stored, for `load_session` elsewhere."""
        info = self.session(session_id)
        return SessionRecord(info, tuple(self._stored(info.id)))

    def resolve(self, ref: str) -> str:
        """A session id from its full id or a unique prefix; `UnknownSession` lists close ids."""
        ref = ref.strip()
        with self._guard() as conn:
            if conn.execute("SELECT 1 FROM sessions WHERE id = ?", (ref,)).fetchone():
                return ref
            if ref:
                rows = conn.execute(
                    "SELECT id FROM sessions WHERE id LIKE ? ESCAPE '\\'", (like_prefix(ref),)
                ).fetchall()
                if len(rows) == 1:
                    return str(rows[0][0])
                if len(rows) > 1:
                    raise ambiguous(ref, [r[0] for r in rows])
            raise self._unknown(conn, ref)

    def _unknown(self, conn: sqlite3.Connection, ref: str) -> UnknownSession:
        ids = [r[0] for r in conn.execute("SELECT id FROM sessions").fetchall()]
        return unknown_session(str(self.path), ref, ids)

    def session(self, ref: str) -> SessionInfo:
        session_id = self.resolve(ref)
        found = self._infos("WHERE s.id = ?", (session_id,))
        if not found and self.damaged:
            raise self.damaged[0]
        if not found:  # deleted meanwhile
            with self._guard() as conn:
                raise self._unknown(conn, ref)
        return found[0]

    def sessions(self, where: SessionFilter | None = None) -> list[SessionInfo]:
        """The sessions `where` selects (all by default), most recently updated first."""
        found = self._infos("", ())
        return found if where is None else [i for i in found if where.matches(i)]

    def _infos(self, where: str, params: tuple[object, ...]) -> list[SessionInfo]:
        query = INFO_QUERY.format(where=where)
        with self._guard() as conn:
            rows = conn.execute(query, params).fetchall()
        infos, self.damaged = decode_infos(rows, self.path)
        return infos


def _storable_path(path: str | None) -> str | None:
    """A scenario path SQLite can store as text: one with bytes that are not UTF-8 (a lone
    surrogate from the file system) is left out, and the scenario is found by its id instead."""
    if path is None:
        return None
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return None
    return path


def open_store(path: str | Path) -> Store:
    """Open (creating if needed) the store at `path`; ':memory:' for a throwaway one."""
    return Store(path)
