"""The session store interface: one contract, two back ends (SQLite file, PostgreSQL server).

Every store keeps the same events under the same unique (session, seq) key, appends one event
per transaction (committed and durable when `append` returns), makes an append conditional on
the session's last seq when asked (`after=`: optimistic concurrency between processes), refuses
a database that is not ours or was written by a newer version, migrates older ones in order,
and tells its readers when something was committed (`change_mark` / `wait_for_change`).

The `sessions` table of each back end is an index for listing (scenario, title, label, status,
times), updated in the same transaction as the event that changes it; the state of a session
is the fold of its events and nothing else. A label is an event too (`session_labelled`), so a
session copied between stores carries its label and its history with it.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypedDict, runtime_checkable

from engine.core.i18n import _
from engine.core.jsontypes import JSON, JSONObject
from engine.core.safe_text import deep_map, for_terminal
from engine.play import events as ev
from engine.play.events import Event, Mode, SessionStatus

MAX_LABEL = 120
APPEND_RETRIES = 50  # an unconditional append that lost a race re-reads the seq and tries again


class StoreError(Exception):
    """The store cannot be used as asked; the message names the store and what to do."""


class UnknownSession(StoreError):
    """No session with that id (the message lists close ids)."""

    def __init__(self, message: str, close: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.close = tuple(close)


class DamagedSession(StoreError):
    """A session whose stored rows cannot be decoded (wrong shapes, unknown modes or kinds, events
    that cannot be replayed): it is named and skipped or refused, never half-read."""

    def __init__(self, session_id: str, location: object, problem: str) -> None:
        super().__init__(
            f"session {session_id} in {location} is damaged ({problem}); it cannot be listed, "
            "reported or resumed. The other sessions are not affected"
        )
        self.session_id = session_id
        self.problem = problem


class StaleSession(StoreError):
    """Another writer appended to the session first; catch up and check the move again."""


class SessionExists(StoreError):
    """A copied session's id is already in the target store."""


class SessionInfoJSON(TypedDict):
    """A session as `sessions --json` lists it (stable keys, README)."""

    id: str
    scenario: str
    title: str
    label: str
    mode: Mode
    teams: list[str]
    status: SessionStatus
    scene: str | None
    created: str
    updated: str
    events: int
    scenario_path: str | None


@dataclass(frozen=True)
class SessionInfo:
    """A row of the sessions index, plus where the room stands (from the latest events)."""

    id: str
    scenario_id: str
    content_hash: str
    scenario_path: str | None
    title: str
    mode: Mode
    teams: tuple[str, ...]
    created_at: str
    updated_at: str
    status: SessionStatus
    scene: str | None
    events: int
    label: str = ""

    def to_json(self) -> SessionInfoJSON:
        return {
            "id": self.id,
            "scenario": self.scenario_id,
            "title": self.title,
            "label": self.label,
            "mode": self.mode,
            "teams": list(self.teams),
            "status": self.status,
            "scene": self.scene,
            "created": self.created_at,
            "updated": self.updated_at,
            "events": self.events,
            "scenario_path": self.scenario_path,
        }


@dataclass(frozen=True)
class StoredEvent:
    """An event as the store holds it: `data` is the stored JSON text, byte for byte."""

    seq: int
    kind: str
    data: str
    at: str


@dataclass(frozen=True)
class SessionRecord:
    """Everything a store holds about one session, for copying it to another store."""

    info: SessionInfo
    events: tuple[StoredEvent, ...]


@dataclass(frozen=True)
class SessionFilter:
    """Which sessions to list. `label` and `scenario` match whole values, case-insensitively,
    with `*` and `?` as wildcards; `since` is an ISO date or time (sessions updated at or after
    it); `status` is active, ended or abandoned."""

    label: str | None = None
    scenario: str | None = None
    since: str | None = None
    status: str | None = None

    def matches(self, info: SessionInfo) -> bool:
        return (
            _glob(self.label, info.label)
            and _glob(self.scenario, info.scenario_id)
            and (self.since is None or info.updated_at >= self.since)
            and (self.status is None or info.status == self.status)
        )


def _glob(pattern: str | None, value: str) -> bool:
    if pattern is None:
        return True
    return fnmatch.fnmatchcase(value.casefold(), pattern.casefold())


@runtime_checkable
class SessionStore(Protocol):
    """What the exercise, the commands, the TUI and the live server use, whatever the back end."""

    @property
    def location(self) -> str:
        """The file or the server (password hidden), for messages."""
        ...

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
    ) -> Event: ...

    def append(
        self, session_id: str, kind: str, data: Mapping[str, JSON], *, after: int | None = None
    ) -> Event: ...

    def events(self, session_id: str, after: int = 0) -> tuple[Event, ...]: ...

    def last_seq(self, session_id: str) -> int: ...

    def resolve(self, ref: str) -> str: ...

    def session(self, ref: str) -> SessionInfo: ...

    def sessions(self, where: SessionFilter | None = None) -> list[SessionInfo]: ...

    def set_label(self, session_id: str, label: str) -> Event: ...

    def delete(self, session_id: str) -> None: ...

    def dump_session(self, session_id: str) -> SessionRecord: ...

    def load_session(self, record: SessionRecord) -> None: ...

    def schema_version(self) -> int: ...

    def change_mark(self) -> object: ...

    def wait_for_change(self, session_id: str, after_seq: int, timeout: float) -> int: ...

    def close(self) -> None: ...

    def __enter__(self) -> SessionStore: ...

    def __exit__(self, *exc: object) -> None: ...


# --- rules both back ends share --------------------------------------------------------------


def new_session(
    session_id: str,
    at: str,
    *,
    scenario_id: str,
    content_hash: str,
    title: str,
    mode: str,
    teams: Sequence[str],
    data: Mapping[str, JSON],
    scenario_path: str | None = None,
) -> tuple[Event, SessionInfo]:
    """A new session's `session_started` event and its index row: what every store writes, in
    one transaction, when a session begins (both stores draw the id and retry on a collision)."""
    event = ev.make_event(1, session_id, ev.SESSION_STARTED, data, at)
    info = SessionInfo(
        session_id,
        scenario_id,
        content_hash,
        scenario_path,
        title,
        Mode(mode),
        tuple(teams),
        event.at,
        event.at,
        SessionStatus.ACTIVE,
        None,
        1,
        clean_label(str(data.get("label") or "")),
    )
    return event, info


def clean_label(text: str) -> str:
    """A label as stored: trimmed, at most MAX_LABEL characters, no control characters."""
    label = " ".join(text.split())
    if any(unicodedata.category(c) == "Cc" for c in label):
        raise StoreError(_("a label cannot contain control characters"))
    if len(label) > MAX_LABEL:
        raise StoreError(
            _("a label has at most {limit} characters (this one {length})").format(
                limit=MAX_LABEL, length=len(label)
            )
        )
    return label


def status_after(status: str, kind: str, data: Mapping[str, object]) -> str:
    """The index's status once `kind` is appended."""
    if kind == ev.SESSION_ENDED:
        return ev.status_of(str(data.get("reason"))).value
    return status


def label_after(label: str, kind: str, data: Mapping[str, object]) -> str:
    """The index's label once `kind` is appended."""
    if kind == ev.SESSION_LABELLED:
        return str(data.get("label", ""))
    return label


def scene_of(latest: str | None) -> str | None:
    """Where the room stands, from the latest event that moved it ("kind json")."""
    if not latest:
        return None
    kind, _, data = latest.partition(" ")
    try:
        value = json.loads(data)
    except ValueError:
        return None
    key = {"session_started": "start", "scene_entered": "scene", "group_followed": "to"}.get(kind)
    if key is None or not isinstance(value, dict):
        return None
    scene = value.get(key)
    return scene if isinstance(scene, str) else None


def _inert(value: JSONObject) -> JSONObject:
    """Text read back from a store with every control character written as a visible escape.

    A store is a trust boundary: any process may have written it, and our own writers never
    store control characters (names, notes and labels are cleaned on the way in). An ESC in a
    team name read from a hostile store would otherwise reach the terminal through the TUI, whose
    renderer passes escape sequences on. Doing it here, once, covers every reader (TUI, web,
    reports); `dump_session` still copies the stored bytes unchanged."""
    return deep_map(value, for_terminal)


def decode_event(location: object, session_id: str, stored: StoredEvent) -> Event:
    """One stored event as an `Event`, its text made inert; a row that cannot be read is a
    `StoreError` naming the store and the event, never a traceback."""
    try:
        data = json.loads(stored.data)
        if stored.kind not in ev.KINDS:
            raise ValueError(f"unknown kind {stored.kind!r}")
        if not isinstance(data, dict):
            raise ValueError(f"{stored.kind} data is not a JSON object")
        return ev.make_event(stored.seq, session_id, stored.kind, _inert(data), stored.at)
    except (ValueError, TypeError, RecursionError) as exc:
        raise StoreError(
            _(
                "event {seq} of session {session} in {location} cannot be read ({problem}); "
                "the store may be damaged or written by a newer nexus-ttx"
            ).format(seq=stored.seq, session=session_id, location=location, problem=exc)
        ) from None


# The index columns `decode_info` reads, in order; `{where}` is the back end's filter clause.
INFO_QUERY = (
    "SELECT s.id, s.scenario_id, s.content_hash, s.scenario_path, s.title, s.mode, "
    "s.teams, s.created_at, s.updated_at, s.status, "
    "(SELECT count(*) FROM events e WHERE e.session_id = s.id), "
    "(SELECT e.kind || ' ' || e.data FROM events e WHERE e.session_id = s.id AND "
    " e.kind IN ('session_started', 'scene_entered', 'group_followed') "
    " ORDER BY e.seq DESC LIMIT 1), s.label "
    "FROM sessions s {where} ORDER BY s.updated_at DESC, s.id"
)


def decode_infos(
    rows: Iterable[Sequence[Any]],
    location: object,  # database rows: untyped at the edge
) -> tuple[list[SessionInfo], list[DamagedSession]]:
    """The readable index rows, and the damaged ones named (listed apart, never half-read)."""
    infos: list[SessionInfo] = []
    damaged: list[DamagedSession] = []
    for r in rows:
        try:
            infos.append(decode_info(r, location))
        except DamagedSession as exc:
            damaged.append(exc)
    return infos, damaged


def decode_info(r: Sequence[Any], location: object) -> SessionInfo:
    """One index row (the columns `_infos` selects, in order), decoded defensively: any process
    may have written it. Unknown modes or statuses make the session `DamagedSession`."""
    try:
        teams = tuple(str(t) for t in json.loads(r[6]))
    except (ValueError, TypeError, RecursionError):
        teams = ()
    if for_terminal(str(r[0])) != r[0]:
        raise DamagedSession(for_terminal(str(r[0])), location, "its id has control characters")
    try:
        mode, status = Mode(r[5]), SessionStatus(r[9])
    except ValueError:
        raise DamagedSession(r[0], location, f"unknown mode {r[5]!r} or status {r[9]!r}") from None
    scene = scene_of(r[11])
    return SessionInfo(
        id=r[0],
        scenario_id=for_terminal(str(r[1])),
        content_hash=r[2],
        scenario_path=r[3],
        title=for_terminal(str(r[4])),
        mode=mode,
        teams=tuple(for_terminal(t) for t in teams),
        created_at=r[7],
        updated_at=r[8],
        status=status,
        scene=None if scene is None else for_terminal(scene),
        events=int(r[10]),
        label=for_terminal(str(r[12] or "")),
    )


def unknown_session(location: str, ref: str, ids: Iterable[str]) -> UnknownSession:
    """The message for a session id that is not there, with the closest ids."""
    known = list(ids)
    close = difflib.get_close_matches(ref, known, n=5, cutoff=0.5)
    if close:
        message = _("no session '{ref}' in {location}; did you mean {close}?")
    elif known:
        message = _("no session '{ref}' in {location}; `nexus-ttx sessions` lists them")
    else:
        message = _("no session '{ref}' in {location}; the store has no sessions yet")
    return UnknownSession(message.format(ref=ref, location=location, close=", ".join(close)), close)


def ambiguous(ref: str, ids: Sequence[str]) -> UnknownSession:
    ids = sorted(ids)
    return UnknownSession(
        _("'{ref}' matches several sessions: {ids}; type more of the id").format(
            ref=ref, ids=", ".join(ids[:8])
        ),
        ids,
    )


def like_prefix(ref: str) -> str:
    """A LIKE pattern for ids starting with `ref` (with `\\` as the escape)."""
    return ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def check_record(record: SessionRecord) -> None:
    """A record to load must be a whole session: seq 1..n with session_started first."""
    seqs = [e.seq for e in record.events]
    if (
        not seqs
        or seqs != list(range(1, len(seqs) + 1))
        or record.events[0].kind != ev.SESSION_STARTED
    ):
        raise StoreError(
            _("session {session} is not whole (events {seqs}...)").format(
                session=record.info.id, seqs=seqs[:5]
            )
        )
