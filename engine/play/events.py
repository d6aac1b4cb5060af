"""Session events: the only thing a session stores (event sourcing; DESIGN.md "Sessions").

Kinds and their data (all JSON-serialisable):
- `session_started`: scenario_id, content_hash, mode ("solo" | "facilitated"), teams, options,
  start
  (the room is then at the scenario's start scene)
- `scene_entered`: scene — the room acknowledged a narrative/inject scene and entered `scene`
- `choice_made`: scene, choice, team — one team's choice at the room's current decision
- `group_followed`: scene, choice, how ("majority" | "tie-break" | "override" | "solo"), to —
  the room takes `choice`; `to` is the scene it leads to (redundant, checked, for log readers)
- `note_added`: scene (or null), text — a facilitator's note
- `session_ended`: reason ("ending" | "abandoned")
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from types import MappingProxyType
from typing import Any, Final

SESSION_STARTED: Final = "session_started"
SCENE_ENTERED: Final = "scene_entered"
CHOICE_MADE: Final = "choice_made"
GROUP_FOLLOWED: Final = "group_followed"
NOTE_ADDED: Final = "note_added"
SESSION_ENDED: Final = "session_ended"

KINDS: Final = frozenset(
    {SESSION_STARTED, SCENE_ENTERED, CHOICE_MADE, GROUP_FOLLOWED, NOTE_ADDED, SESSION_ENDED}
)
HOW: Final = frozenset({"majority", "tie-break", "override", "solo"})
END_REASONS: Final = frozenset({"ending", "abandoned"})


@dataclass(frozen=True)
class Event:
    """One appended fact. `seq` counts from 1 within its session; `at` is ISO 8601 UTC."""

    seq: int
    session_id: str
    kind: str
    data: Mapping[str, Any]
    at: str

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "session": self.session_id,
            "kind": self.kind,
            "data": thaw(self.data),
            "at": self.at,
        }


def make_event(
    seq: int, session_id: str, kind: str, data: Mapping[str, Any], at: str | None = None
) -> Event:
    """Build an event, freezing its data (a JSON round trip also proves it serialisable)."""
    if kind not in KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    return Event(seq, session_id, kind, freeze(json.loads(dumps(data))), at or now())


def dumps(data: Mapping[str, Any]) -> str:
    """Canonical JSON for storage."""
    return json.dumps(thaw(data), sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def now() -> str:
    """UTC time with milliseconds, e.g. 2026-01-31T09:15:02.120Z."""
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def freeze(value: Any) -> Any:
    """Read-only views of decoded JSON, so a frozen Event stays unchanged."""
    if isinstance(value, Mapping):
        return MappingProxyType({k: freeze(v) for k, v in value.items()})
    if isinstance(value, (list, tuple)):
        return tuple(freeze(v) for v in value)
    return value


def thaw(value: Any) -> Any:
    """The plain JSON value of a frozen one."""
    if isinstance(value, Mapping):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [thaw(v) for v in value]
    return value
