"""The server's side of one live session: the exercise, its change watcher and its listeners.

The store is the only shared state. Every store call runs on one worker thread (the exercise's
in-memory session is only touched there), so the event loop never waits on a disk sync; a move
is acknowledged only once its event is committed. A watcher polls the store's change mark and
folds in what the facilitator's TUI (or anyone) appended, then wakes the event streams.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

from engine.exercise.exercise import Exercise
from engine.play import events as ev
from engine.play.room import Participant
from engine.play.session import Session
from web.feedback import Answer
from web.views import participant_view, room_view

T = TypeVar("T")
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read aloud and typed on phones
POLL_SECONDS = 0.25
MOVES = frozenset({ev.SESSION_STARTED, ev.SCENE_ENTERED, ev.GROUP_FOLLOWED, ev.CORRECTION})


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


def new_token() -> str:
    """A participant's bearer token: 192 random bits."""
    return secrets.token_urlsafe(24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


class FeedbackTwice(Exception):
    """This participant already gave feedback in this server's lifetime."""


@dataclass
class Bucket:
    """A token bucket: `rate` requests a second on average, bursts up to `burst`."""

    rate: float
    burst: float
    tokens: float = 0.0
    stamp: float = field(default_factory=time.monotonic)

    def __post_init__(self) -> None:
        self.tokens = self.burst

    def take(self) -> bool:
        now = time.monotonic()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens < 1:
            return False
        self.tokens -= 1
        return True


class LiveRoom:
    """One session served: what the handlers ask and change."""

    def __init__(
        self, exercise: Exercise, code: str, screen_key: str, joins_per_minute: int = 60
    ) -> None:
        self.exercise = exercise
        self.joins_per_minute = joins_per_minute
        self._join_buckets: dict[str, Bucket] = {}
        self.code = code
        self.screen_key = screen_key
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="store")
        self._changed = asyncio.Event()
        self._buckets: dict[str, Bucket] = {}
        self._since = self._scene_since()
        self._watcher: asyncio.Task[None] | None = None
        self._mark: tuple[int, int] | None = None
        self._gave_feedback: set[str] = set()  # who gave feedback here (never stored: anonymous)
        self.version = 0  # bumped on every change the streams should show

    # --- the worker thread -----------------------------------------------------------------

    async def call(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        loop = asyncio.get_running_loop()
        result = await loop.run_in_executor(self._pool, lambda: fn(*args, **kwargs))
        self._touch()
        return result

    def _touch(self) -> None:
        self.version += 1
        self._changed.set()
        self._changed = asyncio.Event()

    async def wait(self, version: int, timeout: float) -> int:
        """Wait until something changed after `version` (or `timeout`); the new version."""
        if self.version == version:
            changed = self._changed
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(changed.wait(), timeout)
        return self.version

    # --- watching the store ----------------------------------------------------------------

    def start(self) -> None:
        self._watcher = asyncio.get_running_loop().create_task(self._watch())

    async def stop(self) -> None:
        if self._watcher is not None:
            self._watcher.cancel()
        self._pool.shutdown(wait=True)

    async def _watch(self) -> None:
        while True:
            await asyncio.sleep(POLL_SECONDS)
            await self.sync()

    async def sync(self) -> None:
        """Fold in what others appended since we last looked (a cheap check when nothing was)."""
        loop = asyncio.get_running_loop()
        if await loop.run_in_executor(self._pool, self._refresh):
            self._touch()

    def _refresh(self) -> bool:
        mark = self.exercise.store.change_mark()
        if mark == self._mark:
            return False
        self._mark = mark
        if not self.exercise.refresh():
            return False
        self._since = self._scene_since()
        return True

    def _scene_since(self) -> str | None:
        """When the room reached its current scene (for the timer's deadline)."""
        for event in reversed(self.exercise.events()):
            if event.kind in MOVES:
                return event.at
        return None

    # --- reading ---------------------------------------------------------------------------

    @property
    def session(self) -> Session:
        return self.exercise.session

    def participant_by_token(self, token: str) -> Participant | None:
        digest = hash_token(token)
        for p in self.session.participants:
            if secrets.compare_digest(p.token_hash, digest):
                return p
        return None

    def view_for(self, participant: Participant) -> dict[str, Any]:
        view = participant_view(self.exercise.scenario, self.session, participant, self._since)
        if view["ended"]:
            objectives = self.exercise.scenario.objectives
            view["feedback"] = {
                "given": participant.id in self._gave_feedback,
                "objectives": [{"id": o.id, "text": o.text} for o in objectives],
            }
        return view

    def screen_view(self) -> dict[str, Any]:
        return room_view(self.exercise.scenario, self.session, self._since)

    def allow(self, participant_id: str) -> bool:
        """Per-participant rate limit: 5 requests a second on average, bursts of 10."""
        bucket = self._buckets.setdefault(participant_id, Bucket(rate=5.0, burst=10.0))
        return bucket.take()

    def allow_join(self, address: str) -> bool:
        """Per-address limit on join attempts (right or wrong code): `joins_per_minute` on
        average, all of them at once (a room on one network joins together); 0: no limit.
        It makes guessing the join code hopeless and caps the fake participants one
        machine can add."""
        if self.joins_per_minute <= 0:
            return True
        n = float(self.joins_per_minute)
        return self._join_buckets.setdefault(address, Bucket(rate=n / 60, burst=n)).take()

    # --- moves -----------------------------------------------------------------------------

    async def join(self, name: str, team: str) -> tuple[Participant, str]:
        token = new_token()
        joined = await self.call(self.exercise.join, name, team, hash_token(token))
        return joined, token

    async def vote(self, participant: Participant, scene: str, choice: str) -> int:
        """Store the vote; its event's number once it is committed."""
        stored = await self.call(self.exercise.vote, participant.id, choice, scene)
        return stored.seq

    async def select(self, participant: Participant, scene: str, options: list[str]) -> int:
        """Store a participant's selection at the current identify drill; its event's number."""
        stored = await self.call(self.exercise.participant_select, participant.id, options, scene)
        return stored.seq

    async def feedback(self, participant: Participant, answer: Answer) -> int:
        """Store a participant's end-of-exercise feedback once, with their team and without
        their id; the event's number. A second answer from the same participant is refused."""
        if participant.id in self._gave_feedback:
            raise FeedbackTwice(participant.id)
        self._gave_feedback.add(participant.id)  # before the await: a double click races

        def give() -> int:
            self.exercise.give_feedback(
                answer.ratings, answer.worked, answer.change, team=participant.team
            )
            return self.session.seq

        try:
            return await self.call(give)
        except BaseException:
            self._gave_feedback.discard(participant.id)
            raise
