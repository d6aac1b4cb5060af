"""The after-action report as one self-contained HTML page (inline CSS, prints cleanly).

Everything from the scenario or the session is escaped; scene texts are Markdown rendered with
markdown-it-py in CommonMark mode with raw HTML disabled, so a scenario cannot inject markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from engine.core.i18n import _, current_language, ngettext
from engine.play.scoring import format_alignment
from engine.report.document_types import DecisionRow, Named, Report, TallyKey
from engine.report.layers import identification_text
from engine.report.markdown import (
    MODE_WORDS,
    STATUS_WORDS,
    chance_note,
    correction_text,
    fraction,
    options_line,
    room_choice_scored,
    team_alignment,
)
from engine.report.words import how_words, moment_words, outcome_words, words

CSS = """
:root { --ink: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b5394;
        --bad: #a40e26; --good: #1a7f37; }
* { box-sizing: border-box; }
body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink);
       max-width: 60rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.7rem; border-bottom: 3px solid var(--accent); padding-bottom: .3rem; }
h2 { font-size: 1.3rem; color: var(--accent); margin-top: 2rem;
     border-bottom: 1px solid var(--line); }
h3 { font-size: 1.1rem; margin-bottom: .3rem; }
table { border-collapse: collapse; width: 100%; margin: .6rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left;
         vertical-align: top; }
th { background: #f6f8fa; }
code { font-size: .9em; background: #f6f8fa; padding: 0 .2em; border-radius: 3px; }
.muted { color: var(--muted); }
.harmful { color: var(--bad); font-weight: 600; }
.good { color: var(--good); }
.scene-text { border-left: 3px solid var(--line); padding-left: .8rem; color: var(--muted); }
.decision { break-inside: avoid; page-break-inside: avoid; }
.kpi { font-size: 1.15rem; font-weight: 600; }
@media print {
  body { margin: 0; max-width: none; font-size: 11pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  table, .decision, .team { break-inside: avoid; page-break-inside: avoid; }
  a { color: inherit; text-decoration: none; }
}
"""


def markdown_html(text: str) -> str:
    """Scenario Markdown as HTML, raw HTML in it escaped (CommonMark with `html` off; its link
    check refuses javascript:, vbscript:, file: and data: links)."""
    from markdown_it import MarkdownIt

    rendered: str = MarkdownIt("commonmark", {"html": False}).render(
        text or ""
    )  # markdown-it-py: untyped
    return rendered


def e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A table whose cells are already-escaped HTML."""
    h = "".join(f"<th>{c}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def _ka(report: Report, ka_id: str) -> str:
    ka = report["key_actions"].get(ka_id)
    if ka is None:
        return f"<code>{e(ka_id)}</code>"
    return (
        f"<code>{e(ka_id)}</code> <span class=muted>({e(ka['practice'])} "
        f"{e(ka['practice_title'])})</span> {e(ka['text'])}"
    )


def _practices(report: Report) -> str:
    """Key actors and standards, once per practice (after the decisions)."""
    out = []
    for p in report.get("practices", []):
        if not (p["key_actors"] or p["standards"]):
            continue
        body = f"<h3>{e(p['id'])} {e(p['title'])}</h3>"
        if p["key_actors"]:
            body += "<p><b>{}</b> {}</p>".format(e(_("Key actors:")), e(", ".join(p["key_actors"])))
        if p["standards"]:
            body += "<p><b>{}</b></p>".format(e(_("Standards:")))
            body += _list([e(x) for x in p["standards"]])
        out.append(body)
    if not out:
        return ""
    heading = _("Who acts, and the standards behind it:").rstrip(":")
    return f"<h2>{e(heading)}</h2>" + "".join(out)


def _list(items: list[str]) -> str:
    return (
        "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
        if items
        else "<p>" + e(_("None.")) + "</p>"
    )


def _overview(report: Report) -> str:
    sc, se = report["scenario"], report["session"]

    def names(items: list[Named]) -> str:
        return ", ".join(f"{e(i['name'])} <code>{e(i['id'])}</code>" for i in items)

    region = e(sc["region"]) + (f" ({e(', '.join(sc['countries']))})" if sc["countries"] else "")
    version = e(_(", version {version}").format(version=sc["version"])) if sc["version"] else ""
    rows = [
        (_("Scenario"), f"{e(sc['title'])} <code>{e(sc['id'])}</code>{version}"),
        (_("Environment"), e(sc["environment"]["name"])),
        (_("Region"), region),
        (_("Manifestations"), names(sc["manifestations"])),
        (_("Watch points"), names(sc["watch_points"])),
        (_("Practices exercised"), names(sc["good_practices"])),
        (
            _("Date"),
            e(
                _("{start} to {end}").format(
                    start=moment_words(se["started"]), end=moment_words(se["updated"])
                )
            ),
        ),
        (_("Mode"), e(words(MODE_WORDS, se["mode"]))),
        (_("Teams"), e(", ".join(se["teams"]))),
        (_("Session"), f"<code>{e(se['id'])}</code> ({e(words(STATUS_WORDS, se['status']))})"),
    ]
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    summary = f"<p>{e(sc['summary'])}</p>" if sc["summary"] else ""
    heading = e(_("Exercise overview"))
    return f"<h2>{heading}</h2><table><tbody>{body}</tbody></table>{summary}"


def _summary(report: Report) -> str:
    ending = report["ending"]
    out = ["<h2>" + e(_("Executive summary")) + "</h2>"]
    out.append(
        "<p>"
        + _("The exercise ended at <b>{title}</b> ({outcome}).").format(
            title=e(ending["title"]), outcome=e(outcome_words(ending["outcome"]))
        )
        + "</p>"
        if ending
        else "<p>" + e(_("The exercise has not reached an ending.")) + "</p>"
    )
    words_ = {
        "alignment": e(_("Alignment")),
        "strengths": e(_("Strengths")),
        "improvements": e(_("Areas for improvement")),
    }
    for t in report["teams"]:
        taken = ngettext(
            "{points} of {possible} recommended key action taken",
            "{points} of {possible} recommended key actions taken",
            t["possible"],
        ).format(points=t["points"], possible=t["possible"])
        harmful = ngettext("{n} harmful choice", "{n} harmful choices", t["harmful"]).format(
            n=t["harmful"]
        )
        out.append(
            f"<section class=team><h3>{e(t['team'])}</h3>"
            f"<p class=kpi>{words_['alignment']} {e(team_alignment(t))}"
            f"<span class=muted>{e(chance_note(report))}</span></p>"
            f"<p>{e(taken)}; "
            f'<span class="{"harmful" if t["harmful"] else ""}">{e(harmful)}</span>.</p>'
            + (
                "<p>"
                + e(
                    _("Identification: {text}.").format(
                        text=identification_text(t["identification"])
                    )
                )
                + "</p>"
                if t.get("identification")
                else ""
            )
            + f"<h4 class=good>{words_['strengths']}</h4>"
            f"{_list([_ka(report, k) for k in t['strengths']])}"
            f"<h4>{words_['improvements']}</h4>"
            f"{_list([_ka(report, k) for k in t['improvements']])}"
        )
        if t["harmful_choices"]:
            items = [
                f"{e(h['text'])} <span class=muted>"
                + _("(at {scene})").format(scene=f"<code>{e(h['scene'])}</code>")
                + "</span>"
                for h in t["harmful_choices"]
            ]
            out.append("<h4 class=harmful>" + e(_("Harmful choices")) + f"</h4>{_list(items)}")
        out.append("</section>")
    return "".join(out)


def _harmful_flag() -> str:
    return "<span class=harmful>" + e(_("HARMFUL")) + "</span>"


def _team_rows(d: DecisionRow) -> list[list[str]]:
    """One row per team at a decision: its choice, points and key actions."""
    rows = []
    for t in d["teams"]:
        choice = e(t["text"]) if t["choice"] else "<i>" + e(_("(no choice recorded)")) + "</i>"
        if t.get("number"):
            choice = f"{t['number']}. {choice}"
        rows.append(
            [
                e(t["team"]),
                choice,
                f"{t['points']}/{t['possible']}" if t["possible"] else e(_("unscored")),
                e(", ".join(t["taken"])) or "-",
                e(", ".join(t["missed"])) or "-",
                e(", ".join(t["also"])) or "-",
                _harmful_flag() if t["harmful"] else "-",
            ]
        )
    return rows


def _decision(report: Report, d: DecisionRow) -> str:
    f = d["followed"]
    effects = (
        " " + e(_("Effects: {effects}.").format(effects=", ".join(f["effects"])))
        if f["effects"]
        else ""
    )
    harmful_flag = _harmful_flag()
    rows = _team_rows(d)
    out = [
        f"<section class=decision><h3>{d['number']}. {e(d['title'])} "
        f"<code>{e(d['scene'])}</code></h3>",
        f"<div class=scene-text>{markdown_html(d['text'])}</div>",
        "<p class=muted>"
        + e(_("Choices as shown: {choices}").format(choices=options_line(d)))
        + "</p>"
        if d.get("options")
        else "",
        "<p>"
        + _("The room followed <b>{text}</b> ({how}).").format(
            text=e(f["text"]), how=e(how_words(f["how"]))
        )
        + f"{effects}</p>",
        "<p>" + e(_("Reason given: {text}").format(text=d["reason"])) + "</p>"
        if d.get("reason")
        else "",
        (
            "<p>"
            + e(_("The room's choice: {score}").format(score=fraction(f["points"], f["possible"])))
            + (" " + harmful_flag if f["harmful"] else "")
            + "</p>"
        )
        if room_choice_scored(d)
        else "",
        (
            "<p>"
            + e(
                _("Votes from devices: {votes}.").format(
                    votes=", ".join(f"{c} {n}" for c, n in d["heads"].items())
                )
            )
            + "</p>"
        )
        if d.get("heads")
        else "",
        _table(
            [
                _("Team"),
                _("Choice"),
                _("Points"),
                _("Taken"),
                _("Missed"),
                _("Also enacted"),
                _("Harmful"),
            ],
            rows,
        ),
    ]
    if d["recommended"]:
        out.append(
            "<h4>"
            + e(_("Recommended key actions"))
            + "</h4>"
            + _list([_ka(report, k) for k in d["recommended"]])
        )
    out.append(_feedback(d))
    if d["notes"]:
        heading = e(_("Facilitator notes"))
        out.append(f"<h4>{heading}</h4>" + _list([e(n) for n in d["notes"]]))
    return "".join(out) + "</section>"


def _feedback(d: DecisionRow) -> str:
    """Each choice's feedback once, with the teams (or the room) that took it."""
    f = d["followed"]
    feedback: dict[str, tuple[str | None, str, list[str]]] = {}
    for t in d["teams"]:
        if t["feedback"] and t["choice"] is not None:  # feedback is a recorded choice's
            feedback.setdefault(t["choice"], (t["text"], t["feedback"], []))[2].append(t["team"])
    room_feedback = f["feedback"]
    if room_feedback and f["choice"] not in feedback:  # no team chose it: an override
        feedback[f["choice"]] = (f["text"], room_feedback, [_("the room")])
    if not feedback:
        return ""
    items = [
        f"<i>{e(text)}</i> <span class=muted>({e(', '.join(teams))})</span>: {e(fb)}"
        for text, fb, teams in feedback.values()
    ]
    return "<h4>" + e(_("Feedback")) + "</h4>" + _list(items)


def _scores(report: Report) -> str:
    teams = report["teams"]
    out = ["<h2>" + e(_("Scores by area and practice")) + "</h2>"]
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
        rows = []
        for item_id, name in names.items():
            cells = [e(name if name == item_id else f"{name} ({item_id})")]
            for t in teams:
                row = next((r for r in t[key] if r["id"] == item_id), None)
                cells.append(e(fraction(row["points"], row["possible"])) if row else "-")
            rows.append(cells)
        out.append(_table([label] + [e(t["team"]) for t in teams], rows))
    overall = [
        [e(_("Alignment"))] + [e(team_alignment(t)) for t in teams],
        [e(_("Points"))] + [f"{t['points']}/{t['possible']}" for t in teams],
        [e(_("Harmful choices"))] + [str(t["harmful"]) for t in teams],
    ]
    out.append(_table([e(_("Overall"))] + [e(t["team"]) for t in teams], overall))
    return "".join(out)


def _drills(report: Report) -> str:
    """Identify drills: each option, the answer, and which teams selected it."""
    drills = report.get("drills") or []
    if not drills:
        return ""
    out = ["<h2>" + e(_("Identification drills")) + "</h2>"]
    for d in drills:
        teams = d["teams"]
        rows = [
            [e(o["text"]), e(_("correct") if o["correct"] else _("distractor"))]
            + ["&#10003;" if o["id"] in t["selected"] else "" for t in teams]
            for o in d["options"]
        ]
        rows.append(
            [e(_("Precision / recall")), ""]
            + [
                e(f"{format_alignment(t['precision'])} / {format_alignment(t['recall'])}")
                for t in teams
            ]
        )
        out.append(f"<h3>{d['number']}. {e(d['title'])} <code>{e(d['scene'])}</code></h3>")
        head = [e(_("Statement")), e(_("Answer"))] + [e(t["team"]) for t in teams]
        out.append(_table(head, rows))
    return "".join(out)


def _injects(report: Report) -> str:
    fired = report.get("injects_fired") or []
    if not fired:
        return ""
    items = [
        _("{at} at {scene}: {title} {id}").format(
            at=f"<span class=muted>{e(f['at'])}</span>",
            scene=f"<i>{e(f['scene_title'])}</i>",
            title=f"<b>{e(f['title'])}</b>",
            id=f"<code>{e(f['inject'])}</code>",
        )
        for f in fired
    ]
    return "<h2>" + e(_("On-demand injects fired")) + "</h2>" + _list(items)


def render_html(report: Report) -> str:
    title = _("After-action report: {title}").format(title=report["scenario"]["title"])
    decisions = "<h2>" + e(_("Decisions")) + "</h2>"
    parts = [f"<h1>{e(title)}</h1>", _overview(report), _summary(report), decisions]
    parts += [_decision(report, d) for d in report["decisions"]] or [
        "<p>" + e(_("No decision was made in this session.")) + "</p>"
    ]
    parts.append(_drills(report))
    parts.append(_practices(report))
    parts.append(_scores(report))
    parts.append(_injects(report))
    path = " &rarr; ".join(f"{e(p['title'])} <code>{e(p['scene'])}</code>" for p in report["path"])
    ending = report["ending"]
    heading = e(_("Path and ending"))
    parts.append(
        f"<h2>{heading}</h2><p>{path}</p>"
        + (
            "<p>"
            + _("Ending: <b>{title}</b> ({outcome}).").format(
                title=e(ending["title"]), outcome=e(outcome_words(ending["outcome"]))
            )
            + "</p>"
            if ending
            else "<p>"
            + e(
                _("Not ended ({status}).").format(
                    status=words(STATUS_WORDS, report["session"]["status"])
                )
            )
            + "</p>"
        )
    )
    notes = [
        f"<span class=muted>{e(n['at'])}</span>"
        + (
            " " + _("at <i>{scene}</i>").format(scene=e(n["scene_title"]))
            if n["scene_title"]
            else ""
        )
        + (", " + e(_("about {team}").format(team=n["team"])) if n.get("team") else "")
        + f": {e(n['text'])}"
        for n in report["notes"]
    ]
    parts.append(_live(report))
    parts.append("<h2>" + e(_("Facilitator notes")) + "</h2>" + _list(notes))
    return (
        f"<!DOCTYPE html>\n<html lang={e(current_language())}><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def _live(report: Report) -> str:
    """The room's own path, every participant (by pseudonym), and the corrections."""
    out = []
    room = report.get("room")
    if room:
        harmful = ngettext("{n} harmful choice", "{n} harmful choices", room["harmful"]).format(
            n=room["harmful"]
        )
        followed = _("The path the room followed: {score}; {harmful}.").format(
            score=fraction(room["points"], room["possible"]), harmful=harmful
        )
        out.append("<h2>" + e(_("The room")) + "</h2><p>" + e(followed) + "</p>")
    people = report.get("participants") or []
    if people:
        rows = [
            [
                e(p["name"]),
                e(p["team"]),
                f"{p['points']}/{p['possible']}",
                e(format_alignment(p["alignment"])),
                str(p["harmful"]),
                e(", ".join(v["choice"] or "-" for v in p["votes"])) or "-",
            ]
            for p in people
        ]
        out.append(
            "<h2>"
            + e(_("Participants"))
            + "</h2>"
            + _table(
                [_("Pseudonym"), _("Team"), _("Points"), _("Alignment"), _("Harmful"), _("Votes")],
                rows,
            )
        )
    fixes = report.get("corrections") or []
    if fixes:
        heading = e(_("Corrections"))
        out.append(f"<h2>{heading}</h2>" + _list([e(correction_text(c, str)) for c in fixes]))
    return "".join(out)
