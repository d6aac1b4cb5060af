"""The after-action report as Markdown (for e-mail, wikis and `report --format md`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from engine.core.safe_text import deep_map, for_markdown
from engine.play.scoring import format_alignment


def cell(text: Any) -> str:
    """A table cell: one line, pipes escaped."""
    return " ".join(str(text if text is not None else "").split()).replace("|", "\\|")


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|~"})


def plain(text: Any) -> str:
    """Text typed by a participant (a pseudonym), shown as itself: one line, Markdown markup
    escaped (raw HTML is already made inert for every text by `render_md`)."""
    return " ".join(str(text or "").split()).translate(_MD_SPECIAL)


def fraction(points: int, possible: int) -> str:
    if possible == 0:
        return "n/a"
    return f"{points}/{possible} ({100 * points / possible:.2f}%)"


def room_choice_scored(d: Mapping[str, Any]) -> bool:
    """Whether a decision shows the room's own choice scored: with several teams (alone, the
    team's row already says it), when the room's path was scored."""
    return len(d["teams"]) > 1 and d["followed"].get("possible") is not None


def team_alignment(team: Mapping[str, Any]) -> str:
    return format_alignment(team["alignment"])


def chance_note(report: Mapping[str, Any]) -> str:
    """ " (chance level 34.31%)": what random play scores on average, beside an alignment."""
    chance = report.get("chance_alignment")
    return "" if chance is None else f" (chance level {format_alignment(chance)})"


def report_chance(report: Mapping[str, Any]) -> str:
    return format_alignment(report.get("chance_alignment"))


def options_line(d: Mapping[str, Any]) -> str:
    """The choices as the room saw them: "1. Raid · 2. Task force"."""
    return " · ".join(f"{o['number']}. {o['text']}" for o in d.get("options", []))


def _ka_line(ka: Mapping[str, Any]) -> str:
    line = f"**{ka['id']}** ({ka['practice']} {ka['practice_title']}): {cell(ka['text'])}"
    if ka["key_actors"]:
        line += f" *Key actors:* {cell(', '.join(ka['key_actors']))}."
    if ka["standards"]:
        line += f" *Standards:* {cell('; '.join(ka['standards']))}."
    return line


def _ka_short(report: Mapping[str, Any], ka_id: str) -> str:
    ka = report["key_actions"].get(ka_id)
    if ka is None:
        return f"**{ka_id}**"
    return f"**{ka_id}** ({ka['practice']} {ka['practice_title']}): {cell(ka['text'])}"


def _overview(report: Mapping[str, Any]) -> list[str]:
    sc, se = report["scenario"], report["session"]
    names = lambda items: ", ".join(f"{i['name']} (`{i['id']}`)" for i in items)  # noqa: E731
    region = sc["region"] + (f" ({', '.join(sc['countries'])})" if sc["countries"] else "")
    version = f", version {sc['version']}" if sc["version"] else ""
    rows = [
        ("Scenario", f"{sc['title']} (`{sc['id']}`{version})"),
        ("Environment", sc["environment"]["name"]),
        ("Region", region),
        ("Manifestations", names(sc["manifestations"])),
        ("Watch points", names(sc["watch_points"])),
        ("Practices exercised", names(sc["good_practices"])),
        ("Date", f"{se['started']} to {se['updated']}"),
        ("Mode", se["mode"]),
        ("Teams", ", ".join(se["teams"])),
        ("Session", f"`{se['id']}` ({se['status']})"),
    ]
    out = ["## Exercise overview", "", "| | |", "|---|---|"]
    out += [f"| {k} | {cell(v)} |" for k, v in rows]
    if sc["summary"]:
        out += ["", sc["summary"].strip()]
    return out + [""]


def _summary(report: Mapping[str, Any]) -> list[str]:
    out = ["## Executive summary", ""]
    ending = report["ending"]
    if ending:
        out += [f"The exercise ended at **{ending['title']}** ({ending['outcome']}).", ""]
    else:
        out += ["The exercise has not reached an ending.", ""]
    for team in report["teams"]:
        out += [
            f"### {team['team']}: alignment {team_alignment(team)}{chance_note(report)}",
            "",
            f"{team['points']} of {team['possible']} recommended key actions taken; "
            f"{team['harmful']} harmful choice(s).",
            "",
        ]
        out += ["**Strengths** (key actions taken)", ""]
        out += [f"- {_ka_short(report, k)}" for k in team["strengths"]] or ["- none"]
        out += ["", "**Areas for improvement** (key actions missed)", ""]
        out += [f"- {_ka_short(report, k)}" for k in team["improvements"]] or ["- none"]
        if team["harmful_choices"]:
            out += ["", "**Harmful choices**", ""]
            out += [f"- {cell(h['text'])} (at `{h['scene']}`)" for h in team["harmful_choices"]]
        out.append("")
    return out


def _decision(report: Mapping[str, Any], d: Mapping[str, Any]) -> list[str]:
    out = [f"### {d['number']}. {d['title']} (`{d['scene']}`)", ""]
    if d["text"].strip():
        out += ["> " + line for line in d["text"].strip().splitlines()] + [""]
    f = d["followed"]
    if d.get("options"):
        out += [f"Choices as shown: {cell(options_line(d))}", ""]
    out += [f"The room followed **{cell(f['text'])}** ({f['how']})."]
    if d.get("reason"):
        out += [f"Reason given: {cell(d['reason'])}"]
    if room_choice_scored(d):
        harm = " (**harmful**)" if f["harmful"] else ""
        out += [f"The room's choice: {fraction(f['points'], f['possible'])}{harm}."]
    if d.get("heads"):
        out += ["Votes from devices: " + ", ".join(f"{c} {n}" for c, n in d["heads"].items()) + "."]
    if f["effects"]:
        out += [f"Effects: {', '.join(f['effects'])}."]
    out += [
        "",
        "| Team | Choice | Points | Taken | Missed | Also enacted | Harmful |",
        "|---|---|---|---|---|---|---|",
    ]
    for t in d["teams"]:
        choice = t["text"] if t["choice"] else "(no choice recorded)"
        if t.get("number"):
            choice = f"{t['number']}. {choice}"
        points = f"{t['points']}/{t['possible']}" if t["possible"] else "unscored"
        out.append(
            f"| {cell(t['team'])} | {cell(choice)} | {points} | "
            f"{', '.join(t['taken']) or '-'} | {', '.join(t['missed']) or '-'} | "
            f"{', '.join(t['also']) or '-'} | {'**HARMFUL**' if t['harmful'] else '-'} |"
        )
    out.append("")
    if d["recommended"]:
        out += ["Recommended key actions:", ""]
        out += [f"- {_ka_line(report['key_actions'][k])}" for k in d["recommended"]]
        out.append("")
    feedback: dict[str, tuple[str, str, list[str]]] = {}
    for t in d["teams"]:
        if t["feedback"]:
            feedback.setdefault(t["choice"], (t["text"], t["feedback"], []))[2].append(t["team"])
    if f.get("feedback") and f["choice"] not in feedback:  # no team chose it: an override
        feedback[f["choice"]] = (f["text"], f["feedback"], ["the room"])
    if feedback:
        out += ["Feedback:", ""]
        for text, fb, teams in feedback.values():
            out.append(f"- *{cell(text)}* ({', '.join(teams)}): {cell(fb)}")
        out.append("")
    if d["notes"]:
        out += ["Facilitator notes:", ""] + [f"- {cell(n)}" for n in d["notes"]] + [""]
    return out


def _scores(report: Mapping[str, Any]) -> list[str]:
    teams = report["teams"]
    out = ["## Scores by area and practice", ""]
    for key, label in (("by_area", "Area"), ("by_practice", "Good practice")):
        names: dict[str, str] = {}
        for t in teams:
            names.update({row["id"]: row["name"] for row in t[key]})
        if not names:
            continue
        out += [
            f"| {label} | " + " | ".join(cell(t["team"]) for t in teams) + " |",
            "|---|" + "---|" * len(teams),
        ]
        for item_id, name in names.items():
            cells = []
            for t in teams:
                row = next((r for r in t[key] if r["id"] == item_id), None)
                cells.append(fraction(row["points"], row["possible"]) if row else "-")
            title = name if name == item_id else f"{name} ({item_id})"
            out.append(f"| {cell(title)} | " + " | ".join(cells) + " |")
        out.append("")
    out += [
        "| Overall | " + " | ".join(cell(t["team"]) for t in teams) + " |",
        "|---|" + "---|" * len(teams),
        "| Alignment | " + " | ".join(team_alignment(t) for t in teams) + " |",
        *(
            ["| Chance level | " + " | ".join(report_chance(report) for _ in teams) + " |"]
            if report.get("chance_alignment") is not None
            else []
        ),
        "| Points | " + " | ".join(f"{t['points']}/{t['possible']}" for t in teams) + " |",
        "| Harmful choices | " + " | ".join(str(t["harmful"]) for t in teams) + " |",
        "",
    ]
    return out


def render_md(report: Mapping[str, Any]) -> str:
    """The report as Markdown. Every text in it comes from scenarios, the catalog and the
    session store, so each is made inert first (safe_text.for_markdown): no raw HTML, no link
    but http(s)/mailto, whatever a renderer with HTML on would do with it."""
    report = deep_map(report, for_markdown)
    out = [f"# After-action report: {report['scenario']['title']}", ""]
    out += _overview(report)
    out += _summary(report)
    out += ["## Decisions", ""]
    if not report["decisions"]:
        out += ["No decision was made in this session.", ""]
    for d in report["decisions"]:
        out += _decision(report, d)
    out += _scores(report)
    out += [
        "## Path and ending",
        "",
        " → ".join(f"{p['title']} (`{p['scene']}`)" for p in report["path"]),
        "",
    ]
    ending = report["ending"]
    out += [
        f"Ending: **{ending['title']}** ({ending['outcome']})."
        if ending
        else f"Not ended ({report['session']['status']}).",
        "",
    ]
    out += _live(report)
    out += ["## Facilitator notes", ""]
    notes = report["notes"]
    out += [
        f"- {n['at']}"
        + (f" at *{cell(n['scene_title'])}*" if n["scene_title"] else "")
        + f": {cell(n['text'])}"
        for n in notes
    ] or ["None."]
    return "\n".join(out).rstrip() + "\n"


def _live(report: Mapping[str, Any]) -> list[str]:
    """The room's own path, every participant, and the corrections."""
    out: list[str] = []
    room = report.get("room")
    if room:
        out += [
            "## The room",
            "",
            f"The path the room followed: {fraction(room['points'], room['possible'])}; "
            f"{room['harmful']} harmful choice(s).",
            "",
        ]
    people = report.get("participants") or []
    if people:
        out += [
            "## Participants",
            "",
            "| Pseudonym | Team | Points | Alignment | Harmful | Votes |",
            "|---|---|---|---|---|---|",
        ]
        for p in people:
            votes = ", ".join(v["choice"] or "-" for v in p["votes"]) or "-"
            out.append(
                f"| {plain(p['name'])} | {cell(p['team'])} | {p['points']}/{p['possible']} | "
                f"{format_alignment(p['alignment'])} | {p['harmful']} | {votes} |"
            )
        out.append("")
    fixes = report.get("corrections") or []
    if fixes:
        out += ["## Corrections", ""]
        for c in fixes:
            out.append(f"- {correction_text(c, plain)}")
        out.append("")
    return out


def correction_text(c: Mapping[str, Any], name: Any) -> str:
    """One correction in words (`name` escapes the voter's name for the output)."""
    where = f"decision {c['decision']} ({c['scene_title']})"
    if c["kind"] == "group_followed":
        text = f"the room's move to '{c['before']}' at {where} was undone"
    else:
        voter = name(c["who"])
        change = f"changed from '{c['before']}' to '{c['after']}'" if c["after"] else "undone"
        text = f"the vote of {voter} at {where} was {change}"
    why = f": {' '.join(str(c['text']).split())}" if c["text"] else ""
    return f"event {c['seq']}: {text}{why}"
