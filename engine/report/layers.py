"""The report's parts for identify drills and on-demand injects, and their plain lines.

Identification (precision and recall at the drills) is reported beside alignment, never inside
it: the team summaries carry it as `identification`, and `drills` lists each drill with every
team's selection against the answer (revealed here, after play). `injects_fired` lists the
on-demand injects in the order the facilitator fired them.
"""

from __future__ import annotations

from engine.core.i18n import _
from engine.core.model import Scenario
from engine.play import drills
from engine.play.scoring import (
    IdentificationJSON,
    drill_score,
    format_alignment,
    identification,
)
from engine.play.session import Session
from engine.report.document_types import DrillRow, DrillTeam, FiredRow, LayerParts, Report


def team_identification(
    scenario: Scenario, session: Session, team: str
) -> IdentificationJSON | None:
    """A team's identification (None when the scenario has no drills)."""
    if not scenario.drills:
        return None
    return identification(scenario, drills.drill_selections(session, team, scenario)).to_json()


def drill_rows(scenario: Scenario, session: Session) -> list[DrillRow]:
    """Every drill the room faced: the options with the answer, and each team's selection."""
    rows: list[DrillRow] = []
    faced: dict[str, dict[str, tuple[str, ...]]] = {}
    for team in session.teams:
        for scene_id, selected in drills.drill_selections(session, team, scenario):
            faced.setdefault(scene_id, {})[team] = selected
    for number, (scene_id, by_team) in enumerate(faced.items(), start=1):
        scene = scenario.scenes[scene_id]
        correct = scene.correct_options
        teams: list[DrillTeam] = []
        for team in session.teams:
            score = drill_score(scene, by_team.get(team, ()))
            teams.append({"team": team, **score.to_json()})
        rows.append(
            {
                "number": number,
                "scene": scene.id,
                "title": scene.title,
                "text": scene.text,
                "watch_points": list(scene.watch_points),
                "manifestations": list(scene.manifestations),
                "options": [
                    {"id": o.id, "text": o.text, "tags": list(o.tags), "correct": o.id in correct}
                    for o in scene.options
                ],
                "teams": teams,
            }
        )
    return rows


def fired_rows(scenario: Scenario, session: Session) -> list[FiredRow]:
    out: list[FiredRow] = []
    for f in session.fired:
        inject = scenario.inject(f.inject)
        out.append(
            {
                "seq": f.seq,
                "inject": f.inject,
                "title": inject.title if inject is not None else f.inject,
                "text": inject.text if inject is not None else "",
                "scene": f.scene,
                "scene_title": scenario.scenes[f.scene].title,
                "at": f.at,
            }
        )
    return out


def layer_parts(scenario: Scenario, session: Session) -> LayerParts:
    """The report keys for drills and injects (empty lists when the session had none)."""
    return {"drills": drill_rows(scenario, session), "injects_fired": fired_rows(scenario, session)}


def identification_text(ident: IdentificationJSON | None) -> str:
    """`precision 66.67%, recall 100.00% (2 of 3 selected correct, 2 of 2 found)`."""
    if not ident or not ident["drills"]:
        return _("n/a")
    return _(
        "precision {precision}, recall {recall} ({hits} of {selected} selected correct, "
        "{hits} of {correct} found)"
    ).format(
        precision=format_alignment(ident["precision"]),
        recall=format_alignment(ident["recall"]),
        hits=ident["hits"],
        selected=ident["selected"],
        correct=ident["correct"],
    )


def drill_lines(report: Report, team: str) -> list[str]:
    """Plain lines (text and Markdown bodies) for `team`'s drills: each option marked
    [x] selected / [ ] not, with the answer."""
    out: list[str] = []
    for d in report.get("drills") or ():
        t = next(x for x in d["teams"] if x["team"] == team)
        out.append(
            _("Drill {n}. {title} [{id}]").format(n=d["number"], title=d["title"], id=d["scene"])
        )
        for o in d["options"]:
            mark = "x" if o["id"] in t["selected"] else " "
            verdict = _("correct") if o["correct"] else _("distractor")
            out.append(f"   [{mark}] {o['text']} ({verdict})")
        out.append(
            "   "
            + _("Precision {precision}, recall {recall}").format(
                precision=format_alignment(t["precision"]), recall=format_alignment(t["recall"])
            )
        )
    return out
