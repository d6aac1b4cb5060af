"""The plain-text debrief `nexus-ttx run` prints: one team's decisions, scores, path and ending."""

from __future__ import annotations

import textwrap

from engine.core.i18n import _, ngettext
from engine.report.document_types import DecisionRow, Report, TallyKey, TeamDecision
from engine.report.layers import drill_lines, identification_text
from engine.report.markdown import chance_note, fraction, team_alignment
from engine.report.words import joined, labelled, outcome_words

WIDTH = 88


def _wrap(text: str, indent: str, rest: str | None = None) -> list[str]:
    rest = " " * len(indent) + "  " if rest is None else rest
    return textwrap.wrap(
        " ".join(text.split()),
        WIDTH,
        initial_indent=indent,
        subsequent_indent=rest,
        break_on_hyphens=False,
    ) or [indent]


def _ka(report: Report, ka_id: str, bullet: str) -> list[str]:
    ka = report["key_actions"][ka_id]
    return _wrap(
        labelled(f"{ka_id} ({ka['practice']} {ka['practice_title']})", ka["text"]),
        f"     {bullet} ",
    )


def _practices(report: Report) -> list[str]:
    """Key actors and standards, once per practice (the catalog keeps them per practice),
    after the decisions."""
    out: list[str] = []
    for p in report.get("practices", []):
        if not (p["key_actors"] or p["standards"]):
            continue
        out.append(f"  {p['id']} {p['title']}")
        if p["key_actors"]:
            out += _wrap(_("Key actors:") + " " + ", ".join(p["key_actors"]), "    ")
        if p["standards"]:
            out += _wrap(_("Standards:") + " " + joined(p["standards"]), "    ")
    return [_("Who acts, and the standards behind it:"), *out, ""] if out else []


def render_text(report: Report, team: str | None = None) -> str:
    """The debrief for `team` (default: the first team)."""
    summary = next(t for t in report["teams"] if team is None or t["team"] == team)
    name = summary["team"]
    sc = report["scenario"]
    out = [
        _("Debrief: {title} ({id})").format(title=sc["title"], id=sc["id"]),
        _("Player: {name}").format(name=name),
        "",
    ]
    if report.get("drills"):
        out += drill_lines(report, name) + [""]
    for d in report["decisions"]:
        out += _decision(report, d, next(x for x in d["teams"] if x["team"] == name))
    out += _practices(report)
    points = ngettext(
        "{points} of {possible} point", "{points} of {possible} points", summary["possible"]
    ).format(points=summary["points"], possible=summary["possible"])
    out.append(
        _("Alignment: {alignment} ({points})").format(
            alignment=team_alignment(summary), points=points
        )
        + chance_note(report)
    )
    tables: tuple[tuple[TallyKey, str], ...] = (
        ("by_area", _("By area")),
        ("by_practice", _("By practice")),
    )
    for key, label in tables:
        if summary[key]:
            out.append(labelled(label, "").rstrip())
            out += [
                "  "
                + labelled(f"{row['name']} ({row['id']})", fraction(row["points"], row["possible"]))
                if row["name"] != row["id"]
                else "  " + labelled(row["id"], fraction(row["points"], row["possible"]))
                for row in summary[key]
            ]
    if summary.get("identification"):
        out.append(
            _("Identification: {text}").format(text=identification_text(summary["identification"]))
        )
    out.append(_("Harmful choices: {n}").format(n=summary["harmful"]))
    for h in summary["harmful_choices"]:
        out += _wrap(f"{h['text']} [{h['scene']}/{h['choice']}]", "  ! ")
    for f in report.get("injects_fired") or ():
        line = _("Inject fired at {scene}: {title} [{id}]").format(
            scene=f["scene_title"], title=f["title"], id=f["inject"]
        )
        out += _wrap(line, "  > ")
    out.append(_("Path: {path}").format(path=" -> ".join(p["scene"] for p in report["path"])))
    ending = report["ending"]
    out.append(
        _("Ending: {title} ({outcome})").format(
            title=ending["title"], outcome=outcome_words(ending["outcome"])
        )
        if ending
        else _("Ending: not reached")
    )
    out.append(_("Session: {id}").format(id=report["session"]["id"]))
    return "\n".join(out) + "\n"


def _decision(report: Report, d: DecisionRow, t: TeamDecision) -> list[str]:
    """One decision of the debrief: the choice, its points, the key actions and feedback."""
    out = [f"{d['number']}. {d['title']} [{d['scene']}]"]
    flag = "  ** " + _("HARMFUL") + " **" if t["harmful"] else ""
    text = t["text"] or _("(none recorded)")
    out += _wrap(_("Choice: {text}").format(text=text) + f" [{t['choice'] or '-'}]{flag}", "   ")
    if t["possible"]:
        out.append(
            "   "
            + _("Points: {points} of {possible}").format(points=t["points"], possible=t["possible"])
            + (" " + _("(harmful choices score nothing)") if t["harmful"] else "")
        )
    else:
        out.append("   " + _("Unscored decision"))
    if t["taken"]:
        out.append(
            "   "
            + (
                _("Recommended key actions taken (not credited: harmful choice):")
                if t["harmful"]
                else _("Recommended key actions taken:")
            )
        )
        for k in t["taken"]:
            out += _ka(report, k, "+")
    if t["missed"]:
        out.append("   " + _("Recommended key actions missed:"))
        for k in t["missed"]:
            out += _ka(report, k, "-")
    if t["also"]:
        out.append("   " + _("Also enacted (no points):"))
        for k in t["also"]:
            out += _ka(report, k, "*")
    if t["feedback"]:
        out += _wrap(_("Feedback: {text}").format(text=t["feedback"]), "   ")
    if t["effects"]:
        out.append("   " + _("Effects: {effects}").format(effects=", ".join(t["effects"])))
    out.append("")
    return out
