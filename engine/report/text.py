"""The plain-text debrief `nexus-ttx run` prints: one team's decisions, scores, path and ending."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

from engine.report.markdown import chance_note, fraction, team_alignment

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


def _ka(report: Mapping[str, Any], ka_id: str, bullet: str) -> list[str]:
    ka = report["key_actions"][ka_id]
    return _wrap(
        f"{ka_id} ({ka['practice']} {ka['practice_title']}): {ka['text']}", f"     {bullet} "
    )


def _actors(report: Mapping[str, Any], ka_ids: list[str]) -> list[str]:
    """Key actors and standards, once per practice (the catalog keeps them per practice)."""
    out: list[str] = []
    seen: set[str] = set()
    for ka_id in ka_ids:
        ka = report["key_actions"][ka_id]
        if ka["practice"] in seen or not (ka["key_actors"] or ka["standards"]):
            continue
        seen.add(ka["practice"])
        out.append(f"     {ka['practice']} {ka['practice_title']}")
        if ka["key_actors"]:
            out += _wrap(f"Key actors: {', '.join(ka['key_actors'])}", "       ")
        if ka["standards"]:
            out += _wrap(f"Standards: {'; '.join(ka['standards'])}", "       ")
    return ["   Who acts, and the standards behind it:"] + out if out else []


def render_text(report: Mapping[str, Any], team: str | None = None) -> str:
    """The debrief for `team` (default: the first team)."""
    summary = next(t for t in report["teams"] if team is None or t["team"] == team)
    name = summary["team"]
    sc = report["scenario"]
    out = [f"Debrief: {sc['title']} ({sc['id']})", f"Player: {name}", ""]
    for d in report["decisions"]:
        t = next(x for x in d["teams"] if x["team"] == name)
        out.append(f"{d['number']}. {d['title']} [{d['scene']}]")
        flag = "  ** HARMFUL **" if t["harmful"] else ""
        out += _wrap(
            f"Choice: {t['text'] or '(none recorded)'} [{t['choice'] or '-'}]{flag}", "   "
        )
        if t["possible"]:
            out.append(
                f"   Points: {t['points']} of {t['possible']}"
                + (" (harmful choices score nothing)" if t["harmful"] else "")
            )
        else:
            out.append("   Unscored decision")
        if t["taken"]:
            out.append(
                "   Recommended key actions taken"
                + (" (not credited: harmful choice):" if t["harmful"] else ":")
            )
            for k in t["taken"]:
                out += _ka(report, k, "+")
        if t["missed"]:
            out.append("   Recommended key actions missed:")
            for k in t["missed"]:
                out += _ka(report, k, "-")
        if t["also"]:
            out.append("   Also enacted (no points):")
            for k in t["also"]:
                out += _ka(report, k, "*")
        out += _actors(report, t["taken"] + t["missed"])
        if t["feedback"]:
            out += _wrap(f"Feedback: {t['feedback']}", "   ")
        if t["effects"]:
            out.append(f"   Effects: {', '.join(t['effects'])}")
        out.append("")
    out.append(
        f"Alignment: {team_alignment(summary)} ({summary['points']} of "
        f"{summary['possible']} points){chance_note(report)}"
    )
    for key, label in (("by_area", "By area"), ("by_practice", "By practice")):
        if summary[key]:
            out.append(f"{label}:")
            out += [
                f"  {row['name']} ({row['id']}): {fraction(row['points'], row['possible'])}"
                if row["name"] != row["id"]
                else f"  {row['id']}: {fraction(row['points'], row['possible'])}"
                for row in summary[key]
            ]
    out.append(f"Harmful choices: {summary['harmful']}")
    for h in summary["harmful_choices"]:
        out += _wrap(f"{h['text']} [{h['scene']}/{h['choice']}]", "  ! ")
    out.append("Path: " + " -> ".join(p["scene"] for p in report["path"]))
    ending = report["ending"]
    out.append(
        f"Ending: {ending['title']} ({ending['outcome']})" if ending else "Ending: not reached"
    )
    out.append(f"Session: {report['session']['id']}")
    return "\n".join(out) + "\n"
