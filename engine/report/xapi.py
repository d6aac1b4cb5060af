"""A session as xAPI 1.0.3 statements, for learning record stores (LRS).

- `answered`, one per vote: each team's recorded choice at each decision the room took (and each
  participant's, where participants voted), on a `cmi.interaction` activity of interaction type
  `choice` that lists the offered choices with their texts; `result.response` is the choice id,
  `result.score.scaled` that decision's points / possible (omitted for unscored decisions).
- `completed`, one per team (and per participant) when the room reached an ending: the exercise
  activity, with the alignment as `result.score.scaled` and the outcome as `result.success`.
- `context.registration` is one UUID per session (uuid5 of the session id and start time), so an
  LRS groups a session's statements; statement ids are uuid5 too, so exporting again yields the
  same statements (an LRS keeps one copy).
- Actors carry opaque account ids only (no names, no e-mail): a team is an identified xAPI Group,
  a participant an Agent whose team is `context.team`.
Pure: the caller passes the session, its events and the scores.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Final

from engine.core.model import Scenario
from engine.play import events as ev
from engine.play.events import Event
from engine.play.scoring import Score, score_decision
from engine.play.session import Session
from engine.report.xapi_types import (
    Activity,
    ActivityDefinition,
    Actor,
    Context,
    LanguageMap,
    Result,
    Statement,
    Verb,
)

XAPI_VERSION: Final = "1.0.3"
HOME: Final = "https://nexus-ttx.invalid"  # reserved TLD: an identifier space, not a website
NAMESPACE: Final = uuid.uuid5(uuid.NAMESPACE_URL, HOME)
ANSWERED: Final[Verb] = {
    "id": "http://adlnet.gov/expapi/verbs/answered",
    "display": {"en-US": "answered", "fr-FR": "a répondu"},
}
COMPLETED: Final[Verb] = {
    "id": "http://adlnet.gov/expapi/verbs/completed",
    "display": {"en-US": "completed", "fr-FR": "a terminé"},
}
INTERACTION: Final = "http://adlnet.gov/expapi/activities/cmi.interaction"
SIMULATION: Final = "http://adlnet.gov/expapi/activities/simulation"
EXT: Final = f"{HOME}/xapi/extensions"


def registration(session: Session) -> str:
    """The session's UUID: the same for every export of the same session."""
    return str(uuid.uuid5(NAMESPACE, f"session:{session.id}:{session.started_at}"))


def _opaque(reg: str, kind: str, name: str) -> str:
    return f"{kind}-{uuid.uuid5(uuid.UUID(reg), f'{kind}:{name}')}"


def team_group(reg: str, team: str) -> Actor:
    return {
        "objectType": "Group",
        "account": {"homePage": HOME, "name": _opaque(reg, "team", team)},
    }


def participant_agent(reg: str, participant: str) -> Actor:
    return {
        "objectType": "Agent",
        "account": {"homePage": HOME, "name": _opaque(reg, "participant", participant)},
    }


def _lang(scenario: Scenario, text: str) -> LanguageMap:
    return {scenario.language or "en": text}


def exercise_activity(scenario: Scenario) -> Activity:
    return {
        "objectType": "Activity",
        "id": f"{HOME}/xapi/scenarios/{scenario.id}",
        "definition": {
            "type": SIMULATION,
            "name": _lang(scenario, scenario.title),
            "description": _lang(scenario, scenario.summary or scenario.title),
        },
    }


def decision_activity(scenario: Scenario, scene_id: str) -> Activity:
    scene = scenario.scenes[scene_id]
    definition: ActivityDefinition = {
        "type": INTERACTION,
        "name": _lang(scenario, scene.title),
        "interactionType": "choice",
        "choices": [{"id": c.id, "description": _lang(scenario, c.text)} for c in scene.choices],
    }
    if scene.is_scored:
        points = {c.id: score_decision(scenario, scene_id, c.id).points for c in scene.choices}
        best = max(points.values())
        if best > 0:
            definition["correctResponsesPattern"] = [c for c, p in points.items() if p == best]
    return {
        "objectType": "Activity",
        "id": f"{HOME}/xapi/scenarios/{scenario.id}/decisions/{scene_id}",
        "definition": definition,
    }


def _context(scenario: Scenario, reg: str, team: Actor | None = None) -> Context:
    context: Context = {
        "registration": reg,
        "platform": "nexus-ttx",
        "language": scenario.language or "en",
        "contextActivities": {"parent": [exercise_activity(scenario)]},
    }
    if team is not None:
        context["team"] = team
    return context


def _answered(
    scenario: Scenario, reg: str, key: str, actor: Actor, scene: str, choice: str,
    at: str, team: Actor | None = None,
) -> Statement:  # fmt: skip
    result: Result = {"response": choice}
    scored = score_decision(scenario, scene, choice)
    if scored.possible:
        result["score"] = {
            "scaled": round(scored.points / scored.possible, 4),
            "raw": scored.points,
            "min": 0,
            "max": scored.possible,
        }
        result["success"] = scored.points == scored.possible and not scored.harmful
    result["extensions"] = {f"{EXT}/harmful": scored.harmful}
    return {
        "id": str(uuid.uuid5(uuid.UUID(reg), key)),
        "actor": actor,
        "verb": ANSWERED,
        "object": decision_activity(scenario, scene),
        "result": result,
        "context": _context(scenario, reg, team),
        "timestamp": at,
    }


def _completed(
    scenario: Scenario, reg: str, key: str, actor: Actor, score: Score, at: str,
    team: Actor | None = None,
) -> Statement:  # fmt: skip
    result: Result = {
        "completion": True,
        "success": score.outcome == "success",
        "extensions": {
            f"{EXT}/alignment": score.alignment,
            f"{EXT}/harmful": score.harmful,
            f"{EXT}/outcome": score.outcome,
        },
    }
    if score.possible:
        result["score"] = {
            "scaled": round(score.points / score.possible, 4),
            "raw": score.points,
            "min": 0,
            "max": score.possible,
        }
    return {
        "id": str(uuid.uuid5(uuid.UUID(reg), key)),
        "actor": actor,
        "verb": COMPLETED,
        "object": exercise_activity(scenario),
        "result": result,
        "context": _context(scenario, reg, team),
        "timestamp": at,
    }


def statements(
    scenario: Scenario,
    session: Session,
    events: Sequence[Event],
    scores: Mapping[str, Score],
    participants: Mapping[str, tuple[str, Score]] | None = None,
) -> list[Statement]:
    """Every statement of the session, in the order things happened.

    `participants` maps an opaque participant id to (team, score), where participants voted."""
    reg = registration(session)
    followed = [e for e in events if e.kind == ev.GROUP_FOLLOWED]
    out: list[Statement] = []
    for index, (room, event) in enumerate(zip(session.decisions, followed, strict=False)):
        for team, choice in room.votes:
            if choice is None:
                continue
            key = f"answered:{index}:team:{team}"
            actor = team_group(reg, team)
            out.append(_answered(scenario, reg, key, actor, room.scene, choice, event.at))
        for participant, choice in room.heads:
            known = (participants or {}).get(participant)
            group = team_group(reg, known[0]) if known is not None else None
            actor = participant_agent(reg, participant)
            key = f"answered:{index}:participant:{participant}"
            out.append(_answered(scenario, reg, key, actor, room.scene, choice, event.at, group))
    ended = next((e for e in events if e.kind == ev.SESSION_ENDED), None)
    if session.ended == "ending" and ended is not None:
        for team in session.teams:
            key = f"completed:team:{team}"
            actor = team_group(reg, team)
            out.append(_completed(scenario, reg, key, actor, scores[team], ended.at))
        for participant, (team, score) in (participants or {}).items():
            key = f"completed:participant:{participant}"
            actor = participant_agent(reg, participant)
            group = team_group(reg, team)
            out.append(_completed(scenario, reg, key, actor, score, ended.at, group))
    return out
