"""The after-action report as one self-contained HTML page (inline CSS, prints cleanly).

Everything from the scenario or the session is escaped; scene texts are Markdown rendered with
markdown-it-py in CommonMark mode with raw HTML disabled, so a scenario cannot inject markup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from engine.core.i18n import _
from engine.play.scoring import format_alignment
from engine.report.layers import identification_text
from engine.report.markdown import (
    chance_note,
    correction_text,
    fraction,
    options_line,
    room_choice_scored,
    team_alignment,
)

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

    return MarkdownIt("commonmark", {"html": False}).render(text or "")


def e(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


def _table(head: Iterable[str], rows: Iterable[Iterable[str]]) -> str:
    """A table whose cells are already-escaped HTML."""
    h = "".join(f"<th>{c}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f"<table><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def _ka(report: Mapping[str, Any], ka_id: str, full: bool = False) -> str:
    ka = report["key_actions"].get(ka_id)
    if ka is None:
        return f"<code>{e(ka_id)}</code>"
    out = (
        f"<code>{e(ka_id)}</code> <span class=muted>({e(ka['practice'])} "
        f"{e(ka['practice_title'])})</span> {e(ka['text'])}"
    )
    if full and ka["key_actors"]:
        out += f"<br><small><b>Key actors:</b> {e(', '.join(ka['key_actors']))}</small>"
    if full and ka["standards"]:
        out += f"<br><small><b>Standards:</b> {e('; '.join(ka['standards']))}</small>"
    return out


def _list(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>" if items else "<p>None.</p>"


def _overview(report: Mapping[str, Any]) -> str:
    sc, se = report["scenario"], report["session"]

    def names(items: list[Mapping[str, str]]) -> str:
        return ", ".join(f"{e(i['name'])} <code>{e(i['id'])}</code>" for i in items)

    region = e(sc["region"]) + (f" ({e(', '.join(sc['countries']))})" if sc["countries"] else "")
    version = f", version {e(sc['version'])}" if sc["version"] else ""
    rows = [
        ("Scenario", f"{e(sc['title'])} <code>{e(sc['id'])}</code>{version}"),
        ("Environment", e(sc["environment"]["name"])),
        ("Region", region),
        ("Manifestations", names(sc["manifestations"])),
        ("Watch points", names(sc["watch_points"])),
        ("Practices exercised", names(sc["good_practices"])),
        ("Date", f"{e(se['started'])} to {e(se['updated'])}"),
        ("Mode", e(se["mode"])),
        ("Teams", e(", ".join(se["teams"]))),
        ("Session", f"<code>{e(se['id'])}</code> ({e(se['status'])})"),
    ]
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows)
    summary = f"<p>{e(sc['summary'])}</p>" if sc["summary"] else ""
    return f"<h2>Exercise overview</h2><table><tbody>{body}</tbody></table>{summary}"


def _summary(report: Mapping[str, Any]) -> str:
    ending = report["ending"]
    out = ["<h2>Executive summary</h2>"]
    out.append(
        f"<p>The exercise ended at <b>{e(ending['title'])}</b> ({e(ending['outcome'])}).</p>"
        if ending
        else "<p>The exercise has not reached an ending.</p>"
    )
    for t in report["teams"]:
        out.append(
            f"<section class=team><h3>{e(t['team'])}</h3>"
            f"<p class=kpi>Alignment {e(team_alignment(t))}"
            f"<span class=muted>{e(chance_note(report))}</span></p>"
            f"<p>{t['points']} of {t['possible']} recommended key actions taken; "
            f'<span class="{"harmful" if t["harmful"] else ""}">{t["harmful"]} harmful '
            f"choice(s)</span>.</p>"
            + (
                f"<p>Identification: {e(identification_text(t['identification']))}.</p>"
                if t.get("identification")
                else ""
            )
            + f"<h4 class=good>Strengths</h4>{_list([_ka(report, k) for k in t['strengths']])}"
            f"<h4>Areas for improvement</h4>"
            f"{_list([_ka(report, k) for k in t['improvements']])}"
        )
        if t["harmful_choices"]:
            items = [
                f"{e(h['text'])} <span class=muted>(at <code>{e(h['scene'])}</code>)</span>"
                for h in t["harmful_choices"]
            ]
            out.append(f"<h4 class=harmful>Harmful choices</h4>{_list(items)}")
        out.append("</section>")
    return "".join(out)


def _decision(report: Mapping[str, Any], d: Mapping[str, Any]) -> str:
    f = d["followed"]
    effects = f" Effects: {e(', '.join(f['effects']))}." if f["effects"] else ""
    rows = []
    for t in d["teams"]:
        choice = e(t["text"]) if t["choice"] else "<i>no choice recorded</i>"
        if t.get("number"):
            choice = f"{t['number']}. {choice}"
        rows.append(
            [
                e(t["team"]),
                choice,
                f"{t['points']}/{t['possible']}" if t["possible"] else "unscored",
                e(", ".join(t["taken"])) or "-",
                e(", ".join(t["missed"])) or "-",
                e(", ".join(t["also"])) or "-",
                "<span class=harmful>HARMFUL</span>" if t["harmful"] else "-",
            ]
        )
    out = [
        f"<section class=decision><h3>{d['number']}. {e(d['title'])} "
        f"<code>{e(d['scene'])}</code></h3>",
        f"<div class=scene-text>{markdown_html(d['text'])}</div>",
        f"<p class=muted>Choices as shown: {e(options_line(d))}</p>" if d.get("options") else "",
        f"<p>The room followed <b>{e(f['text'])}</b> ({e(f['how'])}).{effects}</p>",
        f"<p>Reason given: {e(d['reason'])}</p>" if d.get("reason") else "",
        (
            f"<p>The room's choice: {fraction(f['points'], f['possible'])}"
            + (" <span class=harmful>HARMFUL</span>" if f["harmful"] else "")
            + "</p>"
        )
        if room_choice_scored(d)
        else "",
        (
            "<p>Votes from devices: "
            + e(", ".join(f"{c} {n}" for c, n in d["heads"].items()))
            + "</p>"
        )
        if d.get("heads")
        else "",
        _table(["Team", "Choice", "Points", "Taken", "Missed", "Also enacted", "Harmful"], rows),
    ]
    if d["recommended"]:
        out.append(
            "<h4>Recommended key actions</h4>"
            + _list([_ka(report, k, full=True) for k in d["recommended"]])
        )
    feedback: dict[str, list[Any]] = {}
    for t in d["teams"]:
        if t["feedback"]:
            feedback.setdefault(t["choice"], [t["text"], t["feedback"], []])[2].append(t["team"])
    if f.get("feedback") and f["choice"] not in feedback:  # no team chose it: an override
        feedback[f["choice"]] = [f["text"], f["feedback"], ["the room"]]
    if feedback:
        out.append(
            "<h4>Feedback</h4>"
            + _list(
                [
                    f"<i>{e(text)}</i> <span class=muted>({e(', '.join(teams))})</span>: {e(fb)}"
                    for text, fb, teams in feedback.values()
                ]
            )
        )
    if d["notes"]:
        out.append("<h4>Facilitator notes</h4>" + _list([e(n) for n in d["notes"]]))
    return "".join(out) + "</section>"


def _scores(report: Mapping[str, Any]) -> str:
    teams = report["teams"]
    out = ["<h2>Scores by area and practice</h2>"]
    for key, label in (("by_area", "Area"), ("by_practice", "Good practice")):
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
        ["Alignment"] + [e(team_alignment(t)) for t in teams],
        ["Points"] + [f"{t['points']}/{t['possible']}" for t in teams],
        ["Harmful choices"] + [str(t["harmful"]) for t in teams],
    ]
    out.append(_table(["Overall"] + [e(t["team"]) for t in teams], overall))
    return "".join(out)


def _drills(report: Mapping[str, Any]) -> str:
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


def _injects(report: Mapping[str, Any]) -> str:
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


def render_html(report: Mapping[str, Any]) -> str:
    title = f"After-action report: {report['scenario']['title']}"
    parts = [f"<h1>{e(title)}</h1>", _overview(report), _summary(report), "<h2>Decisions</h2>"]
    parts += [_decision(report, d) for d in report["decisions"]] or [
        "<p>No decision was made in this session.</p>"
    ]
    parts.append(_drills(report))
    parts.append(_scores(report))
    parts.append(_injects(report))
    path = " &rarr; ".join(f"{e(p['title'])} <code>{e(p['scene'])}</code>" for p in report["path"])
    ending = report["ending"]
    parts.append(
        f"<h2>Path and ending</h2><p>{path}</p>"
        + (
            f"<p>Ending: <b>{e(ending['title'])}</b> ({e(ending['outcome'])}).</p>"
            if ending
            else f"<p>Not ended ({e(report['session']['status'])}).</p>"
        )
    )
    notes = [
        f"<span class=muted>{e(n['at'])}</span>"
        + (f" at <i>{e(n['scene_title'])}</i>" if n["scene_title"] else "")
        + (f", about {e(n['team'])}" if n.get("team") else "")
        + f": {e(n['text'])}"
        for n in report["notes"]
    ]
    parts.append(_live(report))
    parts.append("<h2>Facilitator notes</h2>" + _list(notes))
    return (
        "<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )


def _live(report: Mapping[str, Any]) -> str:
    """The room's own path, every participant (by pseudonym), and the corrections."""
    out = []
    room = report.get("room")
    if room:
        out.append(
            f"<h2>The room</h2><p>The path the room followed: "
            f"{e(fraction(room['points'], room['possible']))}; {room['harmful']} harmful "
            f"choice(s).</p>"
        )
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
            "<h2>Participants</h2>"
            + _table(["Pseudonym", "Team", "Points", "Alignment", "Harmful", "Votes"], rows)
        )
    fixes = report.get("corrections") or []
    if fixes:
        out.append("<h2>Corrections</h2>" + _list([e(correction_text(c, str)) for c in fixes]))
    return "".join(out)
