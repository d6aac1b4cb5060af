"""Cohort analytics: what a set of sessions (a course, a region, a month) shows together.

Pure aggregation: the command reads the store and the scenarios; here, each session is folded
and scored (the same scoring as a session's debrief), and the cohort sums points and possible
per area and per practice (so a practice's alignment is Σ|E∩R| / Σ|R| over every team that
faced it, not an average of percentages), counts the recommended key actions most often
missed and the harmful choices most often taken, and lays out how teams and participants
spread, beside the chance level (the alignment expected from choosing at random).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from engine.core.model import Scenario
from engine.play import session as fold_
from engine.play.events import Event
from engine.play.scoring import (
    AreaOf,
    Score,
    Tally,
    area_order,
    default_area_of,
    json_alignment,
    percent,
    practice_order,
)
from engine.play.scoring import score as score_of
from engine.report.cohort_types import CohortJSON, ComparisonJSON, GroupJSON, ShareJSON

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

TOP = 15
BUCKETS = 10  # 0-10 %, 10-20 %, ... 90-100 %


@dataclass(frozen=True)
class Played:
    """One session, folded and scored: each team's score and each voting participant's."""

    session_id: str
    label: str
    updated_at: str
    scenario: Scenario
    teams: tuple[tuple[str, Score], ...]
    participants: tuple[Score, ...]
    chance: float | None = None


def played(
    scenario: Scenario,
    events: Sequence[Event],
    *,
    label: str = "",
    chance: float | None = None,
    area_of: AreaOf = default_area_of,
) -> Played:
    """Fold a session's events and score every team and participant in it."""
    session = fold_.fold(scenario, events)
    ending = session.ending(scenario)
    teams = tuple(
        (team, score_of(scenario, session.team_decisions(team), ending=ending, area_of=area_of))
        for team in session.teams
    )
    participants = tuple(
        score_of(scenario, session.participant_decisions(p.id), ending=ending, area_of=area_of)
        for p in session.participants
    )
    return Played(
        session.id, session.label, session.updated_at, scenario, teams, participants, chance
    )


@dataclass(frozen=True)
class Share:
    """`count` of `out_of` (e.g. missed 12 times of 20 recommended)."""

    key: str
    text: str
    count: int
    out_of: int
    where: str = ""

    def to_json(self) -> ShareJSON:
        return {
            "key": self.key,
            "text": self.text,
            "where": self.where,
            "count": self.count,
            "out_of": self.out_of,
            "share": json_alignment(percent(self.count, self.out_of)),
        }


@dataclass(frozen=True)
class Group:
    """Points of possible for one area or practice, across the cohort."""

    key: str
    name: str
    points: int
    possible: int

    @property
    def alignment(self) -> float | None:
        return percent(self.points, self.possible)

    def to_json(self) -> GroupJSON:
        return {
            "id": self.key,
            "name": self.name,
            "points": self.points,
            "possible": self.possible,
            "alignment": json_alignment(self.alignment),
        }


@dataclass(frozen=True)
class TeamRow:
    session: str
    label: str
    scenario: str
    team: str
    alignment: float | None
    harmful: int


@dataclass(frozen=True)
class Cohort:
    """What `cohort` reports for one selection of sessions."""

    title: str
    sessions: int
    points: int
    possible: int
    chance: float | None
    scenarios: tuple[tuple[str, str, int, float | None], ...]  # id, title, sessions, chance
    by_area: tuple[Group, ...]
    by_practice: tuple[Group, ...]
    missed: tuple[Share, ...]
    harmful: tuple[Share, ...]
    teams: tuple[TeamRow, ...]
    team_buckets: tuple[int, ...]
    participant_buckets: tuple[int, ...]
    participants: int
    skipped: tuple[tuple[str, str], ...] = field(default=())

    @property
    def alignment(self) -> float | None:
        return percent(self.points, self.possible)

    def to_json(self) -> CohortJSON:
        return {
            "title": self.title,
            "sessions": self.sessions,
            "teams": len(self.teams),
            "participants": self.participants,
            "points": self.points,
            "possible": self.possible,
            "alignment": json_alignment(self.alignment),
            "chance": json_alignment(self.chance),
            "scenarios": [
                {"id": s, "title": t, "sessions": n, "chance": json_alignment(c)}
                for s, t, n, c in self.scenarios
            ],
            "by_area": [g.to_json() for g in self.by_area],
            "by_practice": [g.to_json() for g in self.by_practice],
            "missed": [m.to_json() for m in self.missed],
            "harmful": [h.to_json() for h in self.harmful],
            "team_distribution": {
                "buckets": list(self.team_buckets),
                "rows": [
                    {
                        "session": r.session,
                        "label": r.label,
                        "scenario": r.scenario,
                        "team": r.team,
                        "alignment": json_alignment(r.alignment),
                        "harmful": r.harmful,
                    }
                    for r in self.teams
                ],
            },
            "participant_distribution": {"buckets": list(self.participant_buckets)},
            "skipped": [{"session": s, "reason": r} for s, r in self.skipped],
        }


Names = Callable[[str], str]


def build_cohort(
    title: str,
    sessions: Iterable[Played],
    *,
    area_name: Names = str,
    practice_name: Names = str,
    action_text: Names = str,
    skipped: Sequence[tuple[str, str]] = (),
) -> Cohort:
    """Aggregate the scored sessions. The name functions give the catalog's words for area,
    practice and key-action ids (the id itself without a catalog)."""
    played_ = list(sessions)
    team_scores = [(p, team, s) for p in played_ for team, s in p.teams]
    areas = _groups((s.by_area for _, _, s in team_scores), area_name, area_order)
    practices = _groups((s.by_practice for _, _, s in team_scores), practice_name, practice_order)
    rows = tuple(
        TeamRow(p.session_id, p.label, p.scenario.id, team, s.alignment, s.harmful)
        for p, team, s in team_scores
    )
    participant_scores = [s for p in played_ for s in p.participants]
    return Cohort(
        title=title,
        sessions=len(played_),
        points=sum(s.points for _, _, s in team_scores),
        possible=sum(s.possible for _, _, s in team_scores),
        chance=_chance(team_scores),
        scenarios=_scenarios(played_),
        by_area=areas,
        by_practice=practices,
        missed=_missed(team_scores, action_text),
        harmful=_harmful(team_scores),
        teams=rows,
        team_buckets=buckets(r.alignment for r in rows),
        participant_buckets=buckets(s.alignment for s in participant_scores),
        participants=len(participant_scores),
        skipped=tuple(skipped),
    )


def _groups(
    tallies: Iterable[Mapping[str, Tally]],
    name: Names,
    order: Callable[[str], SupportsRichComparison],
) -> tuple[Group, ...]:
    points: Counter[str] = Counter()
    possible: Counter[str] = Counter()
    for tally in tallies:
        for key, t in tally.items():
            points[key] += t.points
            possible[key] += t.possible
    return tuple(Group(k, name(k), points[k], possible[k]) for k in sorted(possible, key=order))


def _chance(team_scores: Sequence[tuple[Played, str, Score]]) -> float | None:
    """The cohort's chance level: each team's scenario's, weighted by what it could score."""
    weighted = [(p.chance, s.possible) for p, _, s in team_scores if p.chance is not None]
    total = sum(w for _, w in weighted)
    if not weighted or total == 0:
        return None
    return sum(c * w for c, w in weighted if c is not None) / total


def _scenarios(played_: Sequence[Played]) -> tuple[tuple[str, str, int, float | None], ...]:
    counts = Counter(p.scenario.id for p in played_)
    first = {p.scenario.id: p for p in reversed(played_)}
    return tuple(
        (sid, first[sid].scenario.title, n, first[sid].chance) for sid, n in sorted(counts.items())
    )


def _missed(team_scores: Sequence[tuple[Played, str, Score]], text: Names) -> tuple[Share, ...]:
    missed: Counter[str] = Counter()
    recommended: Counter[str] = Counter()
    for _, _, s in team_scores:
        for d in s.decisions:
            if d.choice is None:
                continue
            recommended.update(d.recommended)
            missed.update(d.missed)
    ranked = sorted(missed, key=lambda k: (-missed[k], -recommended[k], k))[:TOP]
    return tuple(Share(k, text(k), missed[k], recommended[k]) for k in ranked)


def _harmful(team_scores: Sequence[tuple[Played, str, Score]]) -> tuple[Share, ...]:
    taken: Counter[tuple[str, str, str]] = Counter()
    faced: Counter[tuple[str, str]] = Counter()
    scenarios: dict[str, Scenario] = {}
    for p, _, s in team_scores:
        scenarios[p.scenario.id] = p.scenario
        for d in s.decisions:
            if d.choice is None:
                continue
            faced[(p.scenario.id, d.scene)] += 1
            if d.harmful:
                taken[(p.scenario.id, d.scene, d.choice)] += 1
    ranked = sorted(taken, key=lambda k: (-taken[k], k))[:TOP]
    out = []
    for sid, scene_id, choice_id in ranked:
        scene = scenarios[sid].scenes[scene_id]
        choice = scene.choice(choice_id)
        out.append(
            Share(
                f"{sid}/{scene_id}/{choice_id}",
                choice.text if choice is not None else choice_id,
                taken[(sid, scene_id, choice_id)],
                faced[(sid, scene_id)],
                where=f"{scenarios[sid].title}: {scene.title}",
            )
        )
    return tuple(out)


def buckets(alignments: Iterable[float | None]) -> tuple[int, ...]:
    """How many alignments fall in 0-10 %, 10-20 %, ..., 90-100 % (100 % in the last)."""
    counts = [0] * BUCKETS
    for a in alignments:
        if a is not None:
            counts[min(int(a // (100 / BUCKETS)), BUCKETS - 1)] += 1
    return tuple(counts)


@dataclass(frozen=True)
class Comparison:
    """Two cohorts side by side (e.g. two courses' labels)."""

    a: Cohort
    b: Cohort

    def rows(self, which: str) -> list[tuple[str, str, Group | None, Group | None]]:
        """(id, name, A's group, B's group) for every area or practice either has."""
        mine = {g.key: g for g in getattr(self.a, which)}
        theirs = {g.key: g for g in getattr(self.b, which)}
        order = practice_order if which == "by_practice" else area_order
        keys = sorted(set(mine) | set(theirs), key=order)
        return [(k, (mine.get(k) or theirs[k]).name, mine.get(k), theirs.get(k)) for k in keys]

    def to_json(self) -> ComparisonJSON:
        def delta(a: Group | None, b: Group | None) -> float | None:
            if a is None or b is None or a.alignment is None or b.alignment is None:
                return None
            return json_alignment(b.alignment - a.alignment)

        return {
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "by_area": [
                {"id": k, "name": n, "delta": delta(a, b)} for k, n, a, b in self.rows("by_area")
            ],
            "by_practice": [
                {"id": k, "name": n, "delta": delta(a, b)}
                for k, n, a, b in self.rows("by_practice")
            ],
        }
