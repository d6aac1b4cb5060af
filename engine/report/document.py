"""The after-action report's data: one plain dict built from a session, rendered four ways.

`build_report` gathers everything the report says (overview, executive summary per team,
a table per decision, scores by area and practice, path, ending, facilitator notes) from the
folded session, its scores and the toolkit catalog. It is deterministic: the same events give
the same dict (dates come from the events, never from the clock). `render` turns it into
Markdown, HTML, JSON or CSV; the `run` debrief is `report_text`.

Strengths are the key actions a team was credited with (taken by a choice that is not harmful);
areas for improvement are the recommended key actions it missed, or took only by a harmful
choice, and was not credited with anywhere else in the session.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Literal, TypeVar

from engine.analysis.guessability import chance_alignment
from engine.core.lookup import find
from engine.core.model import Choice, Scenario, Scene
from engine.core.safe_text import for_csv_cell
from engine.exercise.exercise import Exercise
from engine.play.events import status_of, thaw
from engine.play.order import displayed
from engine.play.scoring import (
    DecisionScore,
    IdentificationJSON,
    Score,
    Tally,
    json_alignment,
    percent,
)
from engine.play.session import Note, Session
from engine.report.document_types import (
    DecisionRow,
    EndingPart,
    FollowedScore,
    HarmfulChoice,
    KeyActionInfo,
    Named,
    OptionRow,
    PracticeConcerned,
    Report,
    ScenarioPart,
    SessionPart,
    TallyRow,
    TeamDecision,
    TeamSummary,
)
from engine.report.layers import layer_parts, team_identification
from engine.report.room import decision_extras, live_parts

if TYPE_CHECKING:
    from engine.store.sqlite import SessionInfo
    from engine.toolkit.catalog import Catalog

ReportFormat = Literal["md", "html", "json", "csv"]
FORMATS: tuple[ReportFormat, ...] = ("md", "html", "json", "csv")
Cell = str | int | float | None  # a CSV cell
REPORT_FORMAT = "nexus-ttx-report/1"


def _catalog() -> Catalog | None:
    try:
        from engine.core.i18n import current_language
        from engine.toolkit.catalog import load_catalog

        return load_catalog(lang=current_language())  # the report's language
    except Exception:  # the report still works (ids only) without a readable catalog
        return None


T = TypeVar("T")


def key_action_info(catalog: Catalog | None, ka_id: str) -> KeyActionInfo:
    """A key action's text, practice, area, key actors and standards (from the catalog)."""
    ka = find(None if catalog is None else catalog.key_action, ka_id)
    practice_id = ka.practice if ka is not None else ka_id.split(".", 1)[0]
    gp = find(None if catalog is None else catalog.practice, practice_id)
    area = find(None if catalog is None else catalog.area, gp.area) if gp is not None else None
    return {
        "id": ka_id,
        "text": ka.text if ka is not None else "(not in the toolkit catalog)",
        "practice": practice_id,
        "practice_title": gp.short_title if gp is not None else practice_id,
        "area": gp.area if gp is not None else None,
        "area_name": area.name if area is not None else None,
        "key_actors": list(gp.key_actors) if gp is not None else [],
        "standards": list(gp.standards) if gp is not None else [],
    }


def practices_concerned(
    decisions: list[DecisionRow], key_actions: Mapping[str, KeyActionInfo]
) -> list[PracticeConcerned]:
    """Each good practice the decisions recommend, once, in order of first mention, with its
    key actors and standards: the catalog keeps those per practice, so a report lists them
    once per practice, not under every decision (one rule for every report and the debrief)."""
    out: dict[str, PracticeConcerned] = {}
    for d in decisions:
        for k in d["recommended"]:
            info = key_actions.get(k)
            gp = info["practice"] if info is not None else k.split(".")[0]
            if gp not in out:
                out[gp] = {
                    "id": gp,
                    "title": info["practice_title"] if info is not None else gp,
                    "key_actors": list(info["key_actors"]) if info is not None else [],
                    "standards": list(info["standards"]) if info is not None else [],
                    "decisions": [],
                }
            if d["number"] not in out[gp]["decisions"]:
                out[gp]["decisions"].append(d["number"])
    return list(out.values())


def effects_of(scenario: Scenario, choice: Choice) -> list[str]:
    """A choice's effects in words: "Community trust -5", "Raided set to 1"."""
    out = []
    for name, delta in choice.effects:
        label = scenario.variable(name).label if name in scenario.variable_index else name
        out.append(f"{label} {delta:+d}")
    for name, value in choice.set:
        label = scenario.variable(name).label if name in scenario.variable_index else name
        out.append(f"{label} set to {value}")
    return out


def _named(
    getter: Callable[[str], T] | None, ids: tuple[str, ...], name: Callable[[T], str]
) -> list[Named]:
    result: list[Named] = []
    for item_id in ids:
        item = find(getter, item_id)
        result.append({"id": item_id, "name": name(item) if item is not None else item_id})
    return result


def _overview(
    scenario: Scenario, session: Session, info: SessionInfo | None, catalog: Catalog | None
) -> tuple[ScenarioPart, SessionPart]:
    env = find(None if catalog is None else catalog.environment, scenario.environment)
    scenario_part: ScenarioPart = {
        "id": scenario.id,
        "title": scenario.title,
        "summary": scenario.summary,
        "region": scenario.region,
        "countries": list(scenario.countries),
        "environment": {
            "id": scenario.environment,
            "name": env.name if env is not None else scenario.environment,
        },
        "manifestations": _named(
            None if catalog is None else catalog.manifestation,
            scenario.manifestations,
            lambda m: m.name,
        ),
        "watch_points": _named(
            None if catalog is None else catalog.watch_point,
            scenario.watch_points,
            lambda w: w.name,
        ),
        "good_practices": _named(
            None if catalog is None else catalog.practice,
            scenario.good_practices,
            lambda p: p.short_title,
        ),
        "version": scenario.version,
        "content_hash": scenario.content_hash,
        "path": info.scenario_path if info is not None else None,
    }
    session_part: SessionPart = {
        "id": session.id,
        "mode": session.mode,
        "teams": list(session.teams),
        "status": status_of(session.ended),
        "started": session.started_at,
        "updated": session.updated_at,
        "options": {k: thaw(v) for k, v in session.options.items()},  # plain JSON again
    }
    return scenario_part, session_part


def _team_summary(
    team: str,
    score: Score,
    scenario: Scenario,
    catalog: Catalog | None,
    identification: IdentificationJSON | None,
) -> TeamSummary:
    credited = list(dict.fromkeys(k for d in score.decisions for k in d.credited))
    lacking = dict.fromkeys(
        k for d in score.decisions for k in (d.missed + (d.taken if d.harmful else ()))
    )
    improvements = [k for k in lacking if k not in credited]

    def tallies(items: Mapping[str, Tally], name: Callable[[str], str]) -> list[TallyRow]:
        return [
            {
                "id": k,
                "name": name(k),
                "points": t.points,
                "possible": t.possible,
                "alignment": json_alignment(percent(t.points, t.possible)),
            }
            for k, t in items.items()
        ]

    def area_name(area_id: str) -> str:
        area = find(None if catalog is None else catalog.area, area_id)
        return area.name if area is not None else area_id

    def practice_name(gp_id: str) -> str:
        gp = find(None if catalog is None else catalog.practice, gp_id)
        return gp.short_title if gp is not None else gp_id

    harmful: list[HarmfulChoice] = []
    for scene_id, choice_id in score.harmful_choices:
        choice = scenario.scenes[scene_id].choice(choice_id)
        harmful.append(
            {"scene": scene_id, "choice": choice_id, "text": choice.text if choice else choice_id}
        )
    return {
        "team": team,
        "points": score.points,
        "possible": score.possible,
        "alignment": json_alignment(score.alignment),
        "harmful": score.harmful,
        "harmful_choices": harmful,
        "strengths": credited,
        "improvements": improvements,
        "by_area": tallies(score.by_area, area_name),
        "by_practice": tallies(score.by_practice, practice_name),
        "score": score.to_json(),
        "identification": identification,
    }


def _decisions(
    scenario: Scenario, session: Session, scores: Mapping[str, Score]
) -> list[DecisionRow]:
    rows: list[DecisionRow] = []
    for index, room in enumerate(session.decisions):
        scene = scenario.scenes[room.scene]
        followed = scene.choice(room.choice)
        shown = list(room.shown) or [c.id for c in displayed(session.seed, scene)]
        teams: list[TeamDecision] = []
        for team in session.teams:
            d = scores[team].decisions[index]
            choice = scene.choice(d.choice) if d.choice is not None else None
            teams.append(
                {
                    "team": team,
                    "choice": d.choice,
                    "number": shown.index(d.choice) + 1 if d.choice in shown else None,
                    "text": choice.text if choice is not None else None,
                    "harmful": d.harmful,
                    "points": d.points,
                    "possible": d.possible,
                    "taken": list(d.taken),
                    "missed": list(d.missed),
                    "also": list(d.also),
                    "feedback": choice.feedback if choice is not None else None,
                    "effects": effects_of(scenario, choice) if choice is not None else [],
                }
            )
        rows.append(
            {
                "number": index + 1,
                "scene": scene.id,
                "title": scene.title,
                "text": scene.text,
                "recommended": list(scene.recommended),
                "options": _options(scene, shown),
                "followed": {
                    "choice": room.choice,
                    "how": room.how,
                    "text": followed.text if followed is not None else room.choice,
                    "effects": effects_of(scenario, followed) if followed else [],
                    "feedback": followed.feedback if followed is not None else None,
                },
                "teams": teams,
                "notes": [note_text(n) for n in session.notes if n.scene == scene.id],
                **decision_extras(room),
            }
        )
    return rows


def note_text(note: Note) -> str:
    """A note as a decision lists it: the team it is about first, if any."""
    return f"{note.team}: {note.text}" if note.team else note.text


def followed_score(d: DecisionScore) -> FollowedScore:
    """What the room's choice at one decision earned (its path's score, not a team's)."""
    return {
        "points": d.points,
        "possible": d.possible,
        "harmful": d.harmful,
        "taken": list(d.taken),
        "missed": list(d.missed),
    }


def _options(scene: Scene, shown: list[str]) -> list[OptionRow]:
    """The choices as the room saw them: numbered in the session's display order."""
    out: list[OptionRow] = []
    for i, cid in enumerate(shown, start=1):
        c = scene.choice(cid)
        out.append({"number": i, "choice": cid, "text": c.text if c is not None else cid})
    return out


def _chance(scenario: Scenario) -> float | None:
    """Chance level: the expected alignment of random play, shown beside every team's."""
    try:
        return json_alignment(chance_alignment(scenario))
    except Exception:  # the report still works without it (a scenario too large, say)
        return None


def build_report(
    scenario: Scenario,
    session: Session,
    scores: Mapping[str, Score],
    *,
    info: SessionInfo | None = None,
    catalog: Catalog | None = None,
    participant_scores: Mapping[str, Score] | None = None,
    room_score: Score | None = None,
) -> Report:
    """Everything the after-action report says, as plain JSON-ready data (with the live room's
    parts: the room's path, each participant and every correction, when given)."""
    catalog = _catalog() if catalog is None else catalog
    scenario_part, session_part = _overview(scenario, session, info, catalog)
    ending_id = session.ending(scenario)
    ending: EndingPart | None = None
    if ending_id is not None:
        scene = scenario.scenes[ending_id]
        ending = {
            "scene": scene.id,
            "title": scene.title,
            "outcome": scene.outcome,
            "text": scene.text,
        }
    decisions = _decisions(scenario, session, scores)
    if room_score is not None:  # the room's own choice scored, like a team's (overrides too)
        for row, scored in zip(decisions, room_score.decisions, strict=True):
            row["followed"].update(followed_score(scored))
    mentioned = dict.fromkeys(k for d in decisions for k in d["recommended"])
    for d in decisions:
        for t in d["teams"]:
            mentioned.update(dict.fromkeys(t["also"]))
    key_actions = {k: key_action_info(catalog, k) for k in mentioned}
    return {
        "format": REPORT_FORMAT,
        "session": session_part,
        "scenario": scenario_part,
        "chance_alignment": _chance(scenario),
        "teams": [
            _team_summary(
                t, scores[t], scenario, catalog, team_identification(scenario, session, t)
            )
            for t in session.teams
        ],
        "decisions": decisions,
        "path": [
            {"scene": s, "title": scenario.scenes[s].title, "kind": scenario.scenes[s].kind}
            for s in session.path
        ],
        "ending": ending,
        "notes": [
            {
                "seq": n.seq,
                "scene": n.scene,
                "scene_title": scenario.scenes[n.scene].title if n.scene else None,
                "text": n.text,
                "team": n.team,
                "at": n.at,
            }
            for n in session.notes
        ],
        "key_actions": key_actions,
        "practices": practices_concerned(decisions, key_actions),
        **live_parts(scenario, session, participant_scores, room_score),
        **layer_parts(scenario, session),
    }


def exercise_report(
    exercise: Exercise, *, info: SessionInfo | None = None, catalog: Catalog | None = None
) -> Report:
    """The report of a stored session with every score it has: each team, each participant
    and the room (what the report command, the debrief screen and `run` all print)."""
    return build_report(
        exercise.scenario,
        exercise.session,
        exercise.scores(),
        info=info,
        catalog=catalog,
        participant_scores=exercise.participant_scores(),
        room_score=exercise.room_score(),
    )


CSV_COLUMNS = (
    "session",
    "scenario",
    "team",
    "decision",
    "scene",
    "scene_title",
    "choice",
    "choice_text",
    "room_followed",
    "how",
    "harmful",
    "points",
    "possible",
    "taken",
    "missed",
    "also",
    "feedback",
    "who",  # team | participant | room
    "participant",  # the pseudonym, on a participant's rows
    "choice_number",
    "chance_alignment",
)


csv_safe = for_csv_cell  # one rule for every cell (engine/core/safe_text.py)


class _SafeRows:
    """A csv writer whose every cell goes through `for_csv_cell`: a text starting with
    = + - @ tab or CR is quoted with an apostrophe, so no cell runs as a formula."""

    def __init__(self, out: io.StringIO) -> None:
        self._writer = csv.writer(out, lineterminator="\n")

    def writerow(self, row: Sequence[Cell]) -> None:
        self._writer.writerow([for_csv_cell(v) for v in row])


def render_csv(report: Report) -> str:
    """One row per team per decision (key-action lists joined with '; '); in a live session,
    then one per participant's vote and one per room move."""
    out = io.StringIO()
    writer = _SafeRows(out)
    writer.writerow(CSV_COLUMNS)
    for d in report["decisions"]:
        for t in d["teams"]:
            writer.writerow(
                [
                    report["session"]["id"],
                    report["scenario"]["id"],
                    csv_safe(t["team"]),
                    d["number"],
                    d["scene"],
                    d["title"],
                    t["choice"] or "",
                    t["text"] or "",
                    d["followed"]["choice"],
                    d["followed"]["how"],
                    "yes" if t["harmful"] else "no",
                    t["points"],
                    t["possible"],
                    "; ".join(t["taken"]),
                    "; ".join(t["missed"]),
                    "; ".join(t["also"]),
                    t["feedback"] or "",
                    "team",
                    "",
                    t["number"] or "",
                    "" if report.get("chance_alignment") is None else report["chance_alignment"],
                ]
            )
    _live_rows(writer, report)
    return out.getvalue()


def _live_rows(writer: _SafeRows, report: Report) -> None:
    by_scene = {d["scene"]: d for d in report["decisions"]}
    base: list[Cell] = [report["session"]["id"], report["scenario"]["id"]]
    chance = report.get("chance_alignment")
    tail: list[Cell] = [] if chance is None else [chance]

    def shown_as(d: DecisionRow | None, choice: str | None) -> Cell:
        options = d["options"] if d is not None else []
        return next((o["number"] for o in options if o["choice"] == choice), "")

    for p in report.get("participants") or []:
        for vote in p["votes"]:
            d = by_scene.get(vote["scene"])
            decision: Cell = d["number"] if d is not None else ""
            title = d["title"] if d is not None else ""
            row = base + [p["team"], decision, vote["scene"], title]
            row += [vote["choice"] or "", "", d["followed"]["choice"] if d else "", ""]
            row += [""] * 7 + ["participant", p["name"], shown_as(d, vote["choice"])]
            writer.writerow([csv_safe(v) for v in row + (tail or [""])])
    room = report.get("room") if report.get("participants") else None  # live sessions only
    for number, move in enumerate(room["choices"] if room else [], start=1):
        d = by_scene.get(move["scene"])
        title = d["title"] if d is not None else ""
        row = base + ["", number, move["scene"], title, move["choice"], ""]
        row += [move["choice"], move["how"], "", move["points"], *[""] * 4, "room", ""]
        writer.writerow(row + [shown_as(d, move["choice"])] + (tail or [""]))


def render_json(report: Report) -> str:
    return json.dumps(report, indent=2, ensure_ascii=False) + "\n"


def render(report: Report, fmt: ReportFormat) -> str:
    """The report as `md`, `html`, `json` or `csv` text."""
    if fmt == "json":
        return render_json(report)
    if fmt == "csv":
        return render_csv(report)
    if fmt == "md":
        from engine.report.markdown import render_md

        return render_md(report)
    if fmt == "html":
        from engine.report.html import render_html

        return render_html(report)
    raise ValueError(f"unknown report format {fmt!r} (one of {', '.join(FORMATS)})")
