"""The live room's data and its hybrid tally (pure; the fold in `session.py` keeps them).

A team votes one of two ways at a decision: the facilitator records its choice (a table without
devices, `choice_made`), or its members vote from their devices (`participant_voted`) and the
team's choice is their majority. A recorded choice takes precedence over the devices (it is the
facilitator's explicit word for that table); members split evenly give the team no choice
("split") until one of them changes their vote or the facilitator records one.

The room follows the majority of teams (`count: teams`, the default) or of heads (`count:
heads`, the session option), the facilitator picking on a tie.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from engine.play.events import How

NAME_MAX: Final = 40
COUNTS: Final = ("teams", "heads")
Count = Literal["teams", "heads"]
Source = Literal["recorded", "devices", "split", "none"]
CorrectedKind = Literal["choice_made", "participant_voted", "group_followed"]  # event kinds
CorrectionAction = Literal["undo", "replace"]

_SPACES = re.compile(r"\s+")


def clean_name(raw: str) -> str:
    """A pseudonym as stored and shown: control and format characters dropped, runs of white
    space folded to one space, trimmed, at most 40 characters. Escaping is each output's job."""
    kept = "".join(
        ch if unicodedata.category(ch)[0] != "C" else " "
        for ch in unicodedata.normalize("NFC", raw)
    )
    return _SPACES.sub(" ", kept).strip()[:NAME_MAX].strip()


@dataclass(frozen=True)
class Participant:
    """Someone voting from their own device, under a pseudonym."""

    id: str
    name: str
    team: str
    token_hash: str
    joined_seq: int


@dataclass(frozen=True)
class VoteRecord:
    """Which event recorded whose vote at which decision (index into the room's decisions),
    so a correction can name the vote by its event number."""

    seq: int
    decision: int
    scene: str
    team: str | None  # a facilitator-recorded team choice
    participant: str | None  # a participant's own vote


@dataclass(frozen=True)
class Reason:
    """The facilitator's one-line reason for an override or a tie-break."""

    seq: int
    scene: str
    how: How
    choice: str
    text: str


@dataclass(frozen=True)
class Correction:
    """A correction as applied: what it targeted and what changed (for reports)."""

    seq: int
    target: int
    target_kind: CorrectedKind
    action: CorrectionAction
    scene: str
    decision: int  # 1-based number of the decision concerned
    voter: str | None  # team name or participant id (None for a room move)
    before: str | None  # the choice before the correction
    after: str | None  # the choice after it (None: undone)
    text: str
    at: str


@dataclass(frozen=True)
class HybridTally:
    """One decision's counts: each team's choice and where it came from, and the heads."""

    team_choice: Mapping[str, str | None]
    team_source: Mapping[str, Source]
    heads: Mapping[str, int]  # choice -> participant votes
    team_heads: Mapping[str, Mapping[str, int]]  # team -> choice -> its members' votes

    def teams_for(self, choice: str) -> tuple[str, ...]:
        return tuple(t for t, c in self.team_choice.items() if c == choice)

    def by_choice(self, order: Sequence[str]) -> dict[str, dict[str, object]]:
        """choice -> {"teams": [...], "votes": heads} for the choices anyone took, in `order`."""
        taken = {c for c in self.team_choice.values() if c} | {
            c for c, n in self.heads.items() if n
        }
        rank = {c: i for i, c in enumerate(order)}
        return {
            c: {"teams": list(self.teams_for(c)), "votes": self.heads.get(c, 0)}
            for c in sorted(taken, key=lambda c: rank.get(c, len(rank)))
        }


def hybrid_tally(
    teams: Sequence[str],
    recorded: Mapping[str, str],
    member_team: Mapping[str, str],
    member_votes: Mapping[str, str],
) -> HybridTally:
    """Each team's choice: recorded if the facilitator recorded one, else its members' unique
    plurality ("split" when tied), else none."""
    team_heads: dict[str, Counter[str]] = {t: Counter() for t in teams}
    for participant, choice in member_votes.items():
        team = member_team.get(participant)
        if team in team_heads:
            team_heads[team][choice] += 1
    choice_of: dict[str, str | None] = {}
    source: dict[str, Source] = {}
    for team in teams:
        counts = team_heads[team]
        if team in recorded:
            choice_of[team], source[team] = recorded[team], "recorded"
        elif counts:
            top = max(counts.values())
            tied = [c for c, n in counts.items() if n == top]
            single = len(tied) == 1
            choice_of[team] = tied[0] if single else None
            source[team] = "devices" if single else "split"
        else:
            choice_of[team], source[team] = None, "none"
    heads: Counter[str] = Counter()
    for counts in team_heads.values():
        heads.update(counts)
    return HybridTally(
        choice_of,
        source,
        dict(heads),
        {t: dict(c) for t, c in team_heads.items()},
    )


def leaders_of(tally: HybridTally, count: str, order: Iterable[str]) -> tuple[str, ...]:
    """The choices with the most teams (or heads), in `order`; several when tied."""
    if count == "heads" and any(tally.heads.values()):
        counts: Mapping[str, int] = tally.heads
    else:
        counts = Counter(c for c in tally.team_choice.values() if c is not None)
    counts = {c: n for c, n in counts.items() if n}
    if not counts:
        return ()
    top = max(counts.values())
    ordered = list(order)
    rank = {c: i for i, c in enumerate(ordered)}
    return tuple(
        sorted((c for c, n in counts.items() if n == top), key=lambda c: rank.get(c, len(rank)))
    )
