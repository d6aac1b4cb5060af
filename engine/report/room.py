"""The report's live-room parts: the room's own path scored, each participant (by pseudonym)
scored on their own votes, each decision's head count and the facilitator's reason, and every
correction — plain data for `build_report`."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from engine.core.model import Scenario
from engine.play.room import Correction, Participant
from engine.play.scoring import Score, json_alignment
from engine.play.session import RoomDecision, Session
from engine.report.document_types import (
    CorrectionPart,
    DecisionExtras,
    LiveParts,
    ParticipantPart,
    RoomPart,
    ScoreSummary,
)


def score_summary(score: Score) -> ScoreSummary:
    return {
        "points": score.points,
        "possible": score.possible,
        "alignment": json_alignment(score.alignment),
        "harmful": score.harmful,
    }


def room_part(scenario: Scenario, session: Session, score: Score) -> RoomPart:
    """The path the room followed, scored like a team's."""
    return {
        **score_summary(score),
        "choices": [
            {"scene": d.scene, "choice": d.choice, "how": d.how, "points": s.points}
            for d, s in zip(session.decisions, score.decisions, strict=True)
        ],
    }


def participant_part(scenario: Scenario, participant: Participant, score: Score) -> ParticipantPart:
    return {
        "id": participant.id,
        "name": participant.name,
        "team": participant.team,
        **score_summary(score),
        "votes": [{"scene": d.scene, "choice": d.choice} for d in score.decisions],
    }


def decision_extras(room: RoomDecision) -> DecisionExtras:
    """A decision's live-room facts: heads per choice and the facilitator's reason."""
    heads = Counter(choice for _, choice in room.heads)
    return {"reason": room.reason, "heads": dict(sorted(heads.items()))}


def correction_part(scenario: Scenario, session: Session, fixed: Correction) -> CorrectionPart:
    """A correction, with the voter's pseudonym when it was a participant's vote."""
    who = fixed.voter
    if fixed.target_kind == "participant_voted" and fixed.voter is not None:
        found = session.participant(fixed.voter)
        who = found.name if found is not None else fixed.voter
    title = scenario.scenes[fixed.scene].title if fixed.scene in scenario.scenes else fixed.scene
    return {
        "seq": fixed.seq,
        "target": fixed.target,
        "kind": fixed.target_kind,
        "action": fixed.action,
        "decision": fixed.decision,
        "scene": fixed.scene,
        "scene_title": title,
        "who": who,
        "before": fixed.before,
        "after": fixed.after,
        "text": fixed.text,
        "at": fixed.at,
    }


def live_parts(
    scenario: Scenario,
    session: Session,
    participant_scores: Mapping[str, Score] | None,
    room_score: Score | None,
) -> LiveParts:
    """The report keys for the live room (empty lists when nobody joined from a device)."""
    scores = participant_scores or {}
    return {
        "room": room_part(scenario, session, room_score) if room_score is not None else None,
        "participants": [
            participant_part(scenario, p, scores[p.id])
            for p in session.participants
            if p.id in scores
        ],
        "corrections": [correction_part(scenario, session, c) for c in session.corrections],
    }
