"""The after-action report as Markdown (for e-mail, wikis and `report --format md`)."""

from __future__ import annotations

from collections.abc import Callable

from engine.core.formats import percent
from engine.core.i18n import N_, _, ngettext
from engine.core.safe_text import deep_map, for_markdown
from engine.play.scoring import format_alignment
from engine.report.document_types import (
    CorrectionPart,
    DecisionRow,
    KeyActionInfo,
    Report,
    TallyKey,
    TeamSummary,
)
from engine.report.layers import identification_text
from engine.report.words import (
    MODE_WORDS,
    how_words,
    joined,
    labelled,
    moment_words,
    outcome_words,
    words,
)

STATUS_WORDS = {
    "active": N_("active"),
    "ended": N_("ended"),
    "abandoned": N_("abandoned"),
    "in progress": N_("in progress"),
}


def cell(text: object) -> str:
    """A table cell: one line, pipes escaped."""
    return " ".join(str(text if text is not None else "").split()).replace("|", "\\|")


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]()#+-.!|~"})


def plain(text: object) -> str:
    """Text typed by a participant (a pseudonym), shown as itself: one line, Markdown markup
    escaped (raw HTML is already made inert for every text by `render_md`)."""
    return " ".join(str(text or "").split()).translate(_MD_SPECIAL)


def fraction(points: int, possible: int) -> str:
    if possible == 0:
        return _("n/a")
    return f"{points}/{possible} ({percent(100 * points / possible, 2)})"


def room_choice_scored(d: DecisionRow) -> bool:
    """Whether a decision shows the room's own choice scored: with several teams (alone, the
    team's row already says it), when the room's path was scored."""
    return len(d["teams"]) > 1 and d["followed"].get("possible") is not None


def team_alignment(team: TeamSummary) -> str:
    return format_alignment(team["alignment"])


def chance_note(report: Report) -> str:
    """ " (chance level 34.31%)": what random play scores on average, beside an alignment."""
    chance = report.get("chance_alignment")
    if chance is None:
        return ""
    return " " + _("(chance level {chance})").format(chance=format_alignment(chance))


def report_chance(report: Report) -> str:
    return format_alignment(report.get("chance_alignment"))


def options_line(d: DecisionRow) -> str:
    """The choices as the room saw them: "1. Raid · 2. Task force"."""
    return " · ".join(f"{o['number']}. {o['text']}" for o in d.get("options", []))


def _ka_line(ka: KeyActionInfo) -> str:
    return labelled(f"**{ka['id']}** ({ka['practice']} {ka['practice_title']})", cell(ka["text"]))


def _practices(report: Report) -> list[str]:
    """Key actors and standards, once per practice (after the decisions)."""
    out: list[str] = []
    for p in report.get("practices", []):
        if not (p["key_actors"] or p["standards"]):
            continue
        out += [f"### {p['id']} {cell(p['title'])}", ""]
        if p["key_actors"]:
            out += ["*" + _("Key actors:") + "* " + cell(", ".join(p["key_actors"])) + ".", ""]
        if p["standards"]:
            out += ["*" + _("Standards:") + "*", ""] + [f"- {cell(s)}" for s in p["standards"]]
            out.append("")
    return (
        ["## " + _("Who acts, and the standards behind it:").rstrip(":"), "", *out] if out else []
    )


def _ka_short(report: Report, ka_id: str) -> str:
    ka = report["key_actions"].get(ka_id)
    if ka is None:
        return f"**{ka_id}**"
    return labelled(f"**{ka_id}** ({ka['practice']} {ka['practice_title']})", cell(ka["text"]))


def _overview(report: Report) -> list[str]:
    sc, se = report["scenario"], report["session"]
    names = lambda items: ", ".join(f"{i['name']} (`{i['id']}`)" for i in items)  # noqa: E731
    region = sc["region"] + (f" ({', '.join(sc['countries'])})" if sc["countries"] else "")
    version = _(", version {version}").format(version=sc["version"]) if sc["version"] else ""
    rows = [
        (_("Scenario"), f"{sc['title']} (`{sc['id']}`{version})"),
        (_("Environment"), sc["environment"]["name"]),
        (_("Region"), region),
        (_("Manifestations"), names(sc["manifestations"])),
        (_("Watch points"), names(sc["watch_points"])),
        (_("Practices exercised"), names(sc["good_practices"])),
        (
            _("Date"),
            _("{start} to {end}").format(
                start=moment_words(se["started"]), end=moment_words(se["updated"])
            ),
        ),
        (_("Mode"), words(MODE_WORDS, se["mode"])),
        (_("Teams"), ", ".join(se["teams"])),
        (_("Session"), f"`{se['id']}` ({words(STATUS_WORDS, se['status'])})"),
    ]
    out = ["## " + _("Exercise overview"), "", "| | |", "|---|---|"]
    out += [f"| {k} | {cell(v)} |" for k, v in rows]
    if sc["summary"]:
        out += ["", sc["summary"].strip()]
    return out + [""]


def _summary(report: Report) -> list[str]:
    out = ["## " + _("Executive summary"), ""]
    ending = report["ending"]
    if ending:
        out += [
            _("The exercise ended at **{title}** ({outcome}).").format(
                title=ending["title"], outcome=outcome_words(ending["outcome"])
            ),
            "",
        ]
    else:
        out += [_("The exercise has not reached an ending."), ""]
    none = "- " + _("none")
    for team in report["teams"]:
        taken = ngettext(
            "{points} of {possible} recommended key action taken",
            "{points} of {possible} recommended key actions taken",
            team["possible"],
        ).format(points=team["points"], possible=team["possible"])
        harmful = ngettext("{n} harmful choice", "{n} harmful choices", team["harmful"]).format(
            n=team["harmful"]
        )
        out += [
            "### "
            + _("{team}: alignment {alignment}").format(
                team=team["team"], alignment=team_alignment(team)
            )
            + chance_note(report),
            "",
            joined((taken, harmful)) + ".",
            "",
        ]
        if team.get("identification"):
            ident = identification_text(team["identification"])
            out += [_("Identification: {text}.").format(text=ident), ""]
        out += ["**" + _("Strengths") + "** " + _("(key actions taken)"), ""]
        out += [f"- {_ka_short(report, k)}" for k in team["strengths"]] or [none]
        out += ["", "**" + _("Areas for improvement") + "** " + _("(key actions missed)"), ""]
        out += [f"- {_ka_short(report, k)}" for k in team["improvements"]] or [none]
        if team["harmful_choices"]:
            out += ["", "**" + _("Harmful choices") + "**", ""]
            out += [
                "- " + _("{text} (at `{scene}`)").format(text=cell(h["text"]), scene=h["scene"])
                for h in team["harmful_choices"]
            ]
        out.append("")
    return out


def _decision(report: Report, d: DecisionRow) -> list[str]:
    out = [f"### {d['number']}. {d['title']} (`{d['scene']}`)", ""]
    if d["text"].strip():
        out += ["> " + line for line in d["text"].strip().splitlines()] + [""]
    f = d["followed"]
    if d.get("options"):
        out += [_("Choices as shown: {choices}").format(choices=cell(options_line(d))), ""]
    out += [
        _("The room followed **{text}** ({how}).").format(
            text=cell(f["text"]), how=how_words(f["how"])
        )
    ]
    if d.get("reason"):
        out += [_("Reason given: {text}").format(text=cell(d["reason"]))]
    if room_choice_scored(d):
        harm = " (**" + _("harmful") + "**)" if f["harmful"] else ""
        out += [
            _("The room's choice: {score}").format(score=fraction(f["points"], f["possible"]))
            + harm
            + "."
        ]
    if d.get("heads"):
        heads = ", ".join(f"{c} {n}" for c, n in d["heads"].items())
        out += [_("Votes from devices: {votes}.").format(votes=heads)]
    if f["effects"]:
        out += [_("Effects: {effects}.").format(effects=", ".join(f["effects"]))]
    head = [_("Team"), _("Choice"), _("Points"), _("Taken"), _("Missed"), _("Also enacted")]
    out += ["", "| " + " | ".join([*head, _("Harmful")]) + " |", "|---|---|---|---|---|---|---|"]
    flag = "**" + _("HARMFUL") + "**"
    for t in d["teams"]:
        choice = t["text"] if t["choice"] else _("(no choice recorded)")
        if t.get("number"):
            choice = f"{t['number']}. {choice}"
        points = f"{t['points']}/{t['possible']}" if t["possible"] else _("unscored")
        out.append(
            f"| {cell(t['team'])} | {cell(choice)} | {points} | "
            f"{', '.join(t['taken']) or '-'} | {', '.join(t['missed']) or '-'} | "
            f"{', '.join(t['also']) or '-'} | {flag if t['harmful'] else '-'} |"
        )
    out.append("")
    if d["recommended"]:
        out += [_("Recommended key actions:"), ""]
        out += [f"- {_ka_line(report['key_actions'][k])}" for k in d["recommended"]]
        out.append("")
    feedback: dict[str, tuple[str | None, str, list[str]]] = {}
    for t in d["teams"]:
        if t["feedback"] and t["choice"] is not None:  # feedback is a recorded choice's
            feedback.setdefault(t["choice"], (t["text"], t["feedback"], []))[2].append(t["team"])
    room_feedback = f["feedback"]
    if room_feedback and f["choice"] not in feedback:  # no team chose it: an override
        feedback[f["choice"]] = (f["text"], room_feedback, [_("the room")])
    if feedback:
        out += [_("Feedback:"), ""]
        for text, fb, teams in feedback.values():
            out.append(f"- *{cell(text)}* ({', '.join(teams)}): {cell(fb)}")
        out.append("")
    if d["notes"]:
        out += [_("Facilitator notes:"), ""] + [f"- {cell(n)}" for n in d["notes"]] + [""]
    return out


def _scores(report: Report) -> list[str]:
    teams = report["teams"]
    out = ["## " + _("Scores by area and practice"), ""]
    tables: tuple[tuple[TallyKey, str], ...] = (
        ("by_area", _("Area")),
        ("by_practice", _("Good practice")),
    )
    for key, label in tables:
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
        "| " + _("Overall") + " | " + " | ".join(cell(t["team"]) for t in teams) + " |",
        "|---|" + "---|" * len(teams),
        "| " + _("Alignment") + " | " + " | ".join(team_alignment(t) for t in teams) + " |",
        *(
            [
                "| "
                + _("Chance level")
                + " | "
                + " | ".join(report_chance(report) for _t in teams)
                + " |"
            ]
            if report.get("chance_alignment") is not None
            else []
        ),
        "| "
        + _("Points")
        + " | "
        + " | ".join(f"{t['points']}/{t['possible']}" for t in teams)
        + " |",
        "| " + _("Harmful choices") + " | " + " | ".join(str(t["harmful"]) for t in teams) + " |",
        "",
    ]
    return out


def _drills(report: Report) -> list[str]:
    """Identify drills: each option, whether it was correct, and which teams selected it."""
    drills = report.get("drills") or []
    if not drills:
        return []
    out = ["## " + _("Identification drills"), ""]
    for d in drills:
        teams = d["teams"]
        out += [
            f"### {d['number']}. {cell(d['title'])} (`{d['scene']}`)",
            "",
            "| "
            + _("Statement")
            + " | "
            + _("Answer")
            + " | "
            + " | ".join(cell(t["team"]) for t in teams)
            + " |",
            "|---|---|" + "---|" * len(teams),
        ]
        for o in d["options"]:
            marks = ["✓" if o["id"] in t["selected"] else "" for t in teams]
            answer = _("correct") if o["correct"] else _("distractor")
            out.append(f"| {cell(o['text'])} | {answer} | " + " | ".join(marks) + " |")
        out.append(
            "| "
            + _("Precision / recall")
            + " | | "
            + " | ".join(
                f"{format_alignment(t['precision'])} / {format_alignment(t['recall'])}"
                for t in teams
            )
            + " |"
        )
        out.append("")
    return out


def _injects(report: Report) -> list[str]:
    fired = report.get("injects_fired") or []
    if not fired:
        return []
    out = ["## " + _("On-demand injects fired"), ""]
    out += [
        "- "
        + _("{at} at *{scene}*: **{title}** (`{id}`)").format(
            at=f["at"], scene=cell(f["scene_title"]), title=cell(f["title"]), id=f["inject"]
        )
        for f in fired
    ]
    return out + [""]


def render_md(report: Report) -> str:
    """The report as Markdown. Every text in it comes from scenarios, the catalog and the
    session store, so each is made inert first (safe_text.for_markdown): no raw HTML, no link
    but http(s)/mailto, whatever a renderer with HTML on would do with it."""
    report = deep_map(report, for_markdown)
    out = ["# " + _("After-action report: {title}").format(title=report["scenario"]["title"]), ""]
    out += _overview(report)
    out += _summary(report)
    out += ["## " + _("Decisions"), ""]
    if not report["decisions"]:
        out += [_("No decision was made in this session."), ""]
    for d in report["decisions"]:
        out += _decision(report, d)
    out += _drills(report)
    out += _practices(report)
    out += _scores(report)
    out += _injects(report)
    out += [
        "## " + _("Path and ending"),
        "",
        " → ".join(f"{p['title']} (`{p['scene']}`)" for p in report["path"]),
        "",
    ]
    ending = report["ending"]
    out += [
        _("Ending: **{title}** ({outcome}).").format(
            title=ending["title"], outcome=outcome_words(ending["outcome"])
        )
        if ending
        else _("Not ended ({status}).").format(
            status=words(STATUS_WORDS, report["session"]["status"])
        ),
        "",
    ]
    out += _live(report)
    out += ["## " + _("Facilitator notes"), ""]
    notes = report["notes"]
    out += [
        f"- {n['at']}"
        + (" " + _("at *{scene}*").format(scene=cell(n["scene_title"])) if n["scene_title"] else "")
        + (", " + _("about {team}").format(team=cell(n["team"])) if n.get("team") else "")
        + f": {cell(n['text'])}"
        for n in notes
    ] or [_("None.")]
    return "\n".join(out).rstrip() + "\n"


def _live(report: Report) -> list[str]:
    """The room's own path, every participant, and the corrections."""
    out: list[str] = []
    room = report.get("room")
    if room:
        harmful = ngettext("{n} harmful choice", "{n} harmful choices", room["harmful"]).format(
            n=room["harmful"]
        )
        out += [
            "## " + _("The room"),
            "",
            _("The path the room followed: {score}; {harmful}.").format(
                score=fraction(room["points"], room["possible"]), harmful=harmful
            ),
            "",
        ]
    people = report.get("participants") or []
    if people:
        head = [_("Pseudonym"), _("Team"), _("Points"), _("Alignment"), _("Harmful"), _("Votes")]
        out += [
            "## " + _("Participants"),
            "",
            "| " + " | ".join(head) + " |",
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
        out += ["## " + _("Corrections"), ""]
        for c in fixes:
            out.append(f"- {correction_text(c, plain)}")
        out.append("")
    return out


def correction_text(c: CorrectionPart, name: Callable[[str | None], str]) -> str:
    """One correction in words (`name` escapes the voter's name for the output)."""
    where = _("decision {number} ({title})").format(number=c["decision"], title=c["scene_title"])
    if c["kind"] == "group_followed":
        text = _("the room's move to '{choice}' at {where} was undone").format(
            choice=c["before"], where=where
        )
    elif c["after"]:
        text = _("the vote of {voter} at {where} was changed from '{before}' to '{after}'").format(
            voter=name(c["who"]), where=where, before=c["before"], after=c["after"]
        )
    else:
        text = _("the vote of {voter} at {where} was undone").format(
            voter=name(c["who"]), where=where
        )
    why = f": {' '.join(str(c['text']).split())}" if c["text"] else ""
    return _("event {seq}: {text}").format(seq=c["seq"], text=text) + why
