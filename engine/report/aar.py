"""The HSEEP-style after-action report (AAR) with improvement plan, as plain data.

`build_aar` reads a folded session, its event log, the scores and the toolkit catalog and
returns one JSON-ready dict that `aar_html` and `aar_md` render. Deterministic: times come from
the events (shown in the time zone passed in, the reader's local one by default), never from
the clock. Titles are resolved here, so renderers never show a raw id.

Objective ratings (HSEEP's P/S/M/U): when evaluators rated observations about the objective (or
about one of its practices), the most frequent of their ratings, ties going to the worse one;
otherwise the room's alignment on the objective's practices at the decisions that recommend
them: >= 75 % P, >= 50 % S, >= 25 % M, else U, and never better than M when the room followed
a harmful choice at one of those decisions. An objective no decision on the path showed is
"not rated". Strengths are the practices of which the room took at least half the recommended
key actions, without a harmful choice and without an observation rated M or U about it; areas
for improvement are the others (an evaluator's M or U outweighs the score).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING

from engine.core.formats import long_datetime
from engine.core.i18n import _
from engine.core.jsontypes import int_in, text_in
from engine.core.lookup import find
from engine.core.model import Scenario
from engine.exercise.improvement import key_action_text, practice_title
from engine.play import events as ev
from engine.play.evaluation import RATINGS, Observation, Rating
from engine.play.events import Event
from engine.play.scoring import Score, json_alignment, percent, practice_of, practice_order
from engine.play.session import Session
from engine.report.aar_types import (
    AAR,
    AreaRow,
    Cover,
    CoverStatus,
    Delivery,
    FeedbackPart,
    Finding,
    GroupedChoice,
    ObjectiveFeedback,
    ObjectiveRow,
    ObservationRow,
    PlanRow,
    PracticeInfo,
    Result,
    Results,
    Summary,
    TimelineRow,
)
from engine.report.layers import team_identification
from engine.report.words import how_words

if TYPE_CHECKING:
    from engine.toolkit.catalog import Catalog, GoodPractice


AAR_FORMAT = "nexus-ttx-aar/1"
WORSE_FIRST: tuple[Rating, ...] = ("U", "M", "S", "P")
# Live-room kinds, named here by their stored names so the report reads logs that carry them.
ROOM_REASON = getattr(ev, "ROOM_REASON", "room_reason")
CORRECTION = getattr(ev, "CORRECTION", "correction")
PARTICIPANT_JOINED = getattr(ev, "PARTICIPANT_JOINED", "participant_joined")


def local_time(iso: str, tz: tzinfo | None = None) -> datetime:
    """An event time (ISO 8601 UTC) in `tz` (default: this machine's local zone)."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone(tz)


def show_date(moment: datetime) -> str:
    """e.g. "30 November 2026, 09:10 UTC" or "30 novembre 2026, 09:10 (CET)"."""
    return f"{long_datetime(moment)} ({moment:%Z})".replace("(UTC)", "UTC")


class Titles:
    """Ids to the words a reader sees (catalog titles; the id only when nothing better exists)."""

    def __init__(self, scenario: Scenario, catalog: Catalog | None) -> None:
        self.scenario = scenario
        self.catalog = catalog

    def _practice(self, gp: str) -> GoodPractice | None:
        return None if self.catalog is None else find(self.catalog.practice, gp)

    def practice(self, gp: str) -> str:
        return practice_title(self.catalog, gp)

    def key_action(self, ka: str) -> str:
        return key_action_text(self.catalog, ka)

    def area(self, area_id: str) -> str:
        found = None if self.catalog is None else find(self.catalog.area, area_id)
        return found.name if found is not None else area_id

    def indicator(self, ref: str) -> str:
        """An indicator's text (`corruption.3`), or a watch point's name (`corruption`)."""
        if self.catalog is None:
            return ref
        if "." in ref:
            indicator = find(self.catalog.indicator, ref)
            return (indicator.text if indicator is not None else None) or ref
        watch_point = find(self.catalog.watch_point, ref)
        return (watch_point.name if watch_point is not None else None) or ref

    def objective(self, oid: str | None) -> str | None:
        found = self.scenario.objective(oid) if oid else None
        return found.text if found is not None else oid

    def scene(self, sid: str | None) -> str | None:
        if sid is None or sid not in self.scenario.scenes:
            return sid
        return self.scenario.scenes[sid].title

    def choice(self, sid: str, cid: str | None) -> str | None:
        if cid is None or sid not in self.scenario.scenes:
            return cid
        found = self.scenario.scenes[sid].choice(cid)
        return found.text if found is not None else cid

    def practice_info(self, gp: str) -> PracticeInfo:
        found = self._practice(gp)
        area = self.area(found.area) if found is not None else None
        return {
            "id": gp,
            "title": self.practice(gp),
            "full_title": found.title if found is not None else gp,
            "area": area,
            "key_actors": list(found.key_actors) if found is not None else [],
            "standards": list(found.standards) if found is not None else [],
        }


def observation_json(o: Observation, t: Titles, tz: tzinfo | None) -> ObservationRow:
    return {
        "seq": o.seq,
        "text": o.text,
        "rating": o.rating,
        "rating_text": _(RATINGS[o.rating]) if o.rating else None,
        "team": o.team,
        "scene": t.scene(o.scene),
        "objective": t.objective(o.objective),
        "practice": t.practice(o.practice) if o.practice else None,
        "indicator": t.indicator(o.indicator) if o.indicator else None,
        "by": o.by,
        "time": f"{local_time(o.at, tz):%H:%M}" if o.at else None,
    }


def _rating_from(ratings: Sequence[Rating]) -> Rating | None:
    if not ratings:
        return None
    counts = Counter(ratings)
    top = max(counts.values())
    return next(r for r in WORSE_FIRST if counts.get(r) == top)


def _rating_from_alignment(alignment: float | None, harmful: bool) -> Rating | None:
    if alignment is None:
        return None
    rating: Rating = (
        "P" if alignment >= 75 else "S" if alignment >= 50 else "M" if alignment >= 25 else "U"
    )
    if harmful and rating in ("P", "S"):
        return "M"
    return rating


def _shows(room: Score, practices: Sequence[str]) -> list[int]:
    """Decision numbers (1-based) whose recommended key actions include one of `practices`."""
    return [
        i + 1
        for i, d in enumerate(room.decisions)
        if any(practice_of(k) in practices for k in d.recommended)
    ]


def _objectives(
    scenario: Scenario, session: Session, room: Score, t: Titles, tz: tzinfo | None
) -> list[ObjectiveRow]:
    out: list[ObjectiveRow] = []
    for o in scenario.objectives:
        numbers = _shows(room, o.practices)
        points = possible = 0
        harmful = False
        for n in numbers:
            d = room.decisions[n - 1]
            rec = [k for k in d.recommended if practice_of(k) in o.practices]
            possible += len(rec)
            points += sum(1 for k in d.credited if k in rec)
            harmful = harmful or d.harmful
        observed = [
            x
            for x in session.observations
            if x.objective == o.id or (x.practice is not None and x.practice in o.practices)
        ]
        rated = [x.rating for x in observed if x.rating]
        alignment = percent(points, possible)
        rating = _rating_from(rated) or _rating_from_alignment(alignment, harmful)
        scores = [v for f in session.feedback for k, v in f.ratings if k == o.id]
        out.append(
            {
                "id": o.id,
                "text": o.text,
                "practices": [t.practice(p) for p in o.practices],
                "rating": rating,
                "rating_text": _(RATINGS[rating]) if rating else _("Not rated (not exercised)"),
                "rated_by": "evaluators" if rated else "alignment" if rating else None,
                "points": points,
                "possible": possible,
                "alignment": json_alignment(alignment),
                "decisions": numbers,
                "observations": [observation_json(x, t, tz) for x in observed],
                "feedback_mean": round(sum(scores) / len(scores), 1) if scores else None,
            }
        )
    return out


def _findings(
    session: Session, room: Score, t: Titles, tz: tzinfo | None
) -> tuple[list[Finding], list[Finding]]:
    """Strengths and areas for improvement, one per practice on the room's path."""
    strengths: list[Finding] = []
    improvements: list[Finding] = []
    for gp, tally in room.by_practice.items():
        numbers = _shows(room, (gp,))
        taken: dict[str, None] = {}
        missed: dict[str, None] = {}
        harmful = []
        for n in numbers:
            d = room.decisions[n - 1]
            taken.update(dict.fromkeys(k for k in d.credited if practice_of(k) == gp))
            lacking = d.missed + (d.taken if d.harmful else ())
            missed.update(dict.fromkeys(k for k in lacking if practice_of(k) == gp))
            if d.harmful:
                harmful.append(n)
        missed = {k: None for k in missed if k not in taken}
        observed = [x for x in session.observations if x.practice == gp]
        flagged = any(x.rating in ("M", "U") for x in observed)
        strong = 2 * tally.points >= tally.possible > 0 and not harmful and not flagged
        wanted = ("P", "S") if strong else ("M", "U")
        finding: Finding = {
            "practice": t.practice(gp),
            "practice_id": gp,
            "points": tally.points,
            "possible": tally.possible,
            "alignment": json_alignment(percent(tally.points, tally.possible)),
            "taken": [t.key_action(k) for k in taken],
            "missed": [t.key_action(k) for k in missed],
            "decisions": numbers,
            "harmful_at": harmful,
            "observations": [observation_json(x, t, tz) for x in observed if x.rating in wanted],
        }
        (strengths if strong else improvements).append(finding)
    return strengths, improvements


def _area_rows(score: Score, t: Titles) -> list[AreaRow]:
    return [
        {
            "area": t.area(a),
            "points": x.points,
            "possible": x.possible,
            "alignment": json_alignment(percent(x.points, x.possible)),
        }
        for a, x in score.by_area.items()
    ]


def _result(name: str, score: Score, t: Titles) -> Result:
    return {
        "name": name,
        "points": score.points,
        "possible": score.possible,
        "alignment": json_alignment(score.alignment),
        "harmful": score.harmful,
        "by_area": _area_rows(score, t),
    }


def _clock(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def _vote_change(event: Event, kinds: Mapping[int, Event], t: Titles) -> str:
    """A correction in words: what it corrected and how."""
    data = event.data
    target = kinds.get(int_in(data, "target"))
    why = f" ({data['text']})" if data.get("text") else ""
    if target is None:
        return _("a recorded event was corrected{why}").format(why=why)
    who = target.data.get("team") or _("a participant")
    scene = str(target.data.get("scene") or "")
    if target.kind == ev.GROUP_FOLLOWED:
        choice = t.choice(scene, text_in(target.data, "choice"))
        return _("the room's move to '{choice}' was undone{why}").format(choice=choice, why=why)
    if data.get("action") == "replace":
        choice = t.choice(scene, text_in(data, "choice"))
        return _("{who}'s vote was corrected to '{choice}'{why}").format(
            who=who, choice=choice, why=why
        )
    return _("{who}'s vote was withdrawn{why}").format(who=who, why=why)


def _grouped(
    scenario: Scenario,
    scene: str,
    followed: str,
    votes: Sequence[tuple[str, str | None]],
    t: Titles,
) -> list[GroupedChoice]:
    """The choices anyone took (or the room followed), each once, with the teams behind it."""
    order = [c.id for c in scenario.scenes[scene].choices]
    teams: dict[str, list[str]] = {}
    for team, choice in votes:
        if choice is not None:
            teams.setdefault(choice, []).append(team)
    shown = [c for c in order if c in teams or c == followed]
    return [
        {"text": t.choice(scene, c), "teams": teams.get(c, []), "followed": c == followed}
        for c in shown
    ]


def _timeline(
    scenario: Scenario, session: Session, events: Sequence[Event], t: Titles, tz: tzinfo | None
) -> list[TimelineRow]:
    """One row per decision the room took: the choice, how, who chose what, and the reasons,
    corrections, timer expiries and notes recorded while it was open."""
    by_seq = {e.seq: e for e in events}
    closed: list[tuple[Event, list[tuple[str, str]]]] = []
    pending: list[tuple[str, str]] = []
    for e in events:
        if e.kind == ev.TIMER_EXPIRED:
            clock = _clock(int_in(e.data, "seconds"))
            pending.append((_("Timer"), _("time ran out ({clock})").format(clock=clock)))
        elif e.kind == ROOM_REASON:
            how = how_words(str(e.data.get("how", "override")))
            pending.append((_("Reason ({how})").format(how=how), str(e.data.get("text"))))
        elif e.kind == CORRECTION:
            target = by_seq.get(int_in(e.data, "target"))
            if target is not None and target.kind == ev.GROUP_FOLLOWED and closed:
                pending = closed.pop()[1] + pending
            pending.append((_("Correction"), _vote_change(e, by_seq, t)))
        elif e.kind == ev.INJECT_FIRED:
            inject = scenario.inject(str(e.data.get("inject")))
            pending.append((_("Inject"), inject.title if inject is not None else str(e.data)))
        elif e.kind == ev.NOTE_ADDED and e.data.get("scene") in scenario.scenes:
            team = e.data.get("team")
            label = _("Note ({team})").format(team=team) if team else _("Note")
            pending.append((label, str(e.data.get("text"))))
        elif e.kind == ev.GROUP_FOLLOWED:
            closed.append((e, pending))
            pending = []
    rows: list[TimelineRow] = []
    for index, (room, (event, notes)) in enumerate(zip(session.decisions, closed, strict=False)):
        rows.append(
            {
                "number": index + 1,
                "decision": t.scene(room.scene),
                "time": f"{local_time(event.at, tz):%H:%M}",
                "chosen": t.choice(room.scene, room.choice),
                "how": room.how,
                "votes": [
                    {"team": team, "choice": t.choice(room.scene, c) if c else None}
                    for team, c in room.votes
                ],
                "choices": _grouped(scenario, room.scene, room.choice, room.votes, t),
                "notes": [{"label": label, "text": text} for label, text in notes],
            }
        )
    return rows


def _feedback(scenario: Scenario, session: Session) -> FeedbackPart:
    per_objective: list[ObjectiveFeedback] = []
    for o in scenario.objectives:
        values = [v for f in session.feedback for k, v in f.ratings if k == o.id]
        per_objective.append(
            {
                "objective": o.text,
                "responses": len(values),
                "mean": round(sum(values) / len(values), 1) if values else None,
                "distribution": [values.count(n) for n in range(1, 6)],
            }
        )
    return {
        "responses": len(session.feedback),
        "objectives": per_objective,
        "worked": [{"team": f.team, "text": f.worked} for f in session.feedback if f.worked],
        "change": [{"team": f.team, "text": f.change} for f in session.feedback if f.change],
    }


def _plan(session: Session, t: Titles) -> list[PlanRow]:
    return [
        {
            "item": p.item,
            "issue": p.issue,
            "action": p.action,
            "practice": t.practice(p.practice) if p.practice else None,
            "objective": t.objective(p.objective),
            "organisation": p.organisation,
            "contact": p.contact,
            "start": p.start,
            "completion": p.completion,
        }
        for p in session.plan
    ]


def _cover(
    scenario: Scenario,
    session: Session,
    events: Sequence[Event],
    cover: Mapping[str, str | None],
    tz: tzinfo | None,
) -> Cover:
    start = local_time(session.started_at, tz)
    end_event = next((e for e in reversed(events) if e.kind == ev.SESSION_ENDED), None)
    last = end_event.at if end_event is not None else session.updated_at
    end = local_time(last, tz)
    participants = {e.data.get("participant") for e in events if e.kind == PARTICIPANT_JOINED}
    name = session.options.get("name")  # the session's own name, when it was given one
    played_as: Delivery = (
        "solo" if session.mode == "solo" else "hybrid" if participants else "facilitated"
    )
    delivery = cover.get("delivery") or played_as
    return {
        "title": cover.get("title") or (name if isinstance(name, str) else "") or scenario.title,
        "scenario": scenario.title,
        "region": scenario.region,
        "start": show_date(start),
        "end": show_date(end),
        "duration_minutes": max(0, round((end - start).total_seconds() / 60)),
        "location": cover.get("location"),
        "format": delivery,
        "sponsor": cover.get("sponsor"),
        "handling": cover.get("handling"),
        "teams": list(session.teams),
        "participants": len(participants),
        "session": session.id,
        "status": _cover_status(session.ended),
    }


def _cover_status(ended: str | None) -> CoverStatus:
    """The cover's words for a session's `session_ended` reason (None: not ended)."""
    if ended is None:
        return "in progress"
    return "completed" if ended == ev.EndReason.ENDING else "abandoned"


def _summary(
    scenario: Scenario,
    session: Session,
    objectives: Sequence[ObjectiveRow],
    room: Result,
    findings: tuple[Sequence[Finding], Sequence[Finding]],
) -> Summary:
    ending = session.ending(scenario)
    scene = scenario.scenes[ending] if ending else None
    ratings = Counter(o["rating"] for o in objectives if o["rating"])
    strengths, improvements = findings
    return {
        "ending": scene.title if scene else None,
        "outcome": scene.outcome if scene else None,
        "room_alignment": room["alignment"],
        "ratings": {r: ratings.get(r, 0) for r in RATINGS},
        "strengths": [s["practice"] for s in strengths[:3]],
        "improvements": [s["practice"] for s in improvements[:3]],
        "observations": len(session.observations),
        "feedback": len(session.feedback),
        "plan_items": len(session.plan),
    }


def build_aar(
    scenario: Scenario,
    session: Session,
    events: Sequence[Event],
    scores: Mapping[str, Score],
    room: Score,
    *,
    catalog: Catalog | None = None,
    cover: Mapping[str, str | None] | None = None,
    chance: float | None = None,
    participants: Mapping[str, Score] | None = None,
    tz: tzinfo | None = None,
) -> AAR:
    """Everything the after-action report says. `chance` is the expected alignment of random
    play (when the analysis provides it); `participants` maps a pseudonym to its score."""
    t = Titles(scenario, catalog)
    strengths, improvements = _findings(session, room, t, tz)
    objectives = _objectives(scenario, session, room, t, tz)
    results: Results = {
        "room": _result(_("Room"), room, t),
        "teams": [_result(team, scores[team], t) for team in session.teams]
        if len(session.teams) > 1
        else [],
        "participants": [_result(p, s, t) for p, s in (participants or {}).items()],
        "chance": json_alignment(chance),
        # identify drills: beside alignment, never inside it
        "identification": [
            {"name": team, **ident}
            for team in session.teams
            if (ident := team_identification(scenario, session, team)) is not None
        ],
    }
    used = dict.fromkeys(f["practice_id"] for f in strengths + improvements)
    for o in scenario.objectives:
        used.update(dict.fromkeys(o.practices))
    used.update(dict.fromkeys(p.practice for p in session.plan if p.practice))
    return {
        "format": AAR_FORMAT,
        "cover": _cover(scenario, session, events, cover or {}, tz),
        "scenario": {"title": scenario.title, "summary": scenario.summary},
        "objectives": objectives,
        "strengths": strengths,
        "improvements": improvements,
        "results": results,
        "timeline": _timeline(scenario, session, events, t, tz),
        "observations": [observation_json(o, t, tz) for o in session.observations],
        "feedback": _feedback(scenario, session),
        "plan": _plan(session, t),
        "summary": _summary(
            scenario, session, objectives, results["room"], (strengths, improvements)
        ),
        "practices": [t.practice_info(gp) for gp in sorted(used, key=practice_order)],
    }
