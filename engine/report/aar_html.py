"""The after-action report as one self-contained HTML page made to be printed (A4).

Built with the standard library (`html.escape` on every piece of content, attribute values
quoted) like the other reports, so the engine stays free of template engines and the headless
`report` command starts fast. Charts are inline SVG (no scripts, no external requests). Print
rules: `@page` A4 with margins, the cover on its own page, the executive summary on one page,
sections never split inside a table row, headings kept with what follows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from html import escape

from engine.core.formats import number, percent
from engine.core.i18n import N_, _, current_language, ngettext
from engine.report.aar_types import (
    AAR,
    Finding,
    NamedIdentification,
    ObservationRow,
    Said,
    TimelineRow,
)
from engine.report.charts import bar_chart, grouped_bars
from engine.report.words import (
    DELIVERY_WORDS,
    STATUS_WORDS,
    how_words,
    introducing,
    joined,
    outcome_words,
    quoted,
    words,
)

CSS = """
@page { size: A4; margin: 16mm 15mm 16mm 15mm; }
:root { --ink: #1b1f24; --muted: #57606a; --line: #c9d1d9; --accent: #0b5394; }
* { box-sizing: border-box; }
body { font: 10pt/1.4 "DejaVu Sans", "Liberation Sans", Arial, sans-serif; color: var(--ink);
       max-width: 52rem; margin: 1.5rem auto; padding: 0 1rem; }
h1 { font-size: 20pt; color: var(--accent); margin: 0 0 .3rem; }
h2 { font-size: 13pt; color: var(--accent); border-bottom: 1.5px solid var(--accent);
     margin: 1.1rem 0 .4rem; padding-bottom: .1rem; break-after: avoid; }
h3 { font-size: 10.5pt; margin: .7rem 0 .2rem; break-after: avoid; }
p { margin: .25rem 0; }
table { border-collapse: collapse; width: 100%; margin: .3rem 0 .6rem; font-size: 9pt; }
th, td { border: 1px solid var(--line); padding: .18rem .35rem; text-align: left;
         vertical-align: top; }
th { background: #eef2f6; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
ul { margin: .15rem 0 .3rem 1.1rem; padding: 0; }
li { margin: .05rem 0; }
.muted, .small { color: var(--muted); }
.small { font-size: 8.5pt; }
.handling { text-align: center; font-weight: 700; letter-spacing: .08em; color: #a40e26; }
.cover { min-height: 24cm; display: flex; flex-direction: column; }
.cover .kind { font-size: 12pt; color: var(--muted); text-transform: uppercase;
               letter-spacing: .1em; margin-top: 3cm; }
.cover table { width: auto; min-width: 60%; font-size: 10pt; margin-top: 1cm; }
.cover th { width: 9rem; }
.toc { margin-top: 1cm; }
.toc ol { margin: .2rem 0 0 1.2rem; padding: 0; }
.page { break-before: page; }
.summary { break-inside: avoid; }
.kpis { display: flex; gap: .6rem; flex-wrap: wrap; margin: .4rem 0; }
.kpi { border: 1px solid var(--line); border-radius: 4px; padding: .25rem .5rem; }
.kpi b { display: block; font-size: 13pt; color: var(--accent); }
.rating { display: inline-block; min-width: 1.5em; text-align: center; font-weight: 700;
          border-radius: 3px; padding: 0 .25em; color: #fff; }
.r-P { background: #1a7f37; } .r-S { background: #4d7c0f; } .r-M { background: #b45309; }
.r-U { background: #a40e26; } .r-none { background: #8c959f; }
.finding { break-inside: avoid; border-left: 3px solid var(--line); padding-left: .5rem;
           margin: .35rem 0; }
.finding.good { border-color: #1a7f37; } .finding.bad { border-color: #b45309; }
blockquote { margin: .15rem 0 .15rem .5rem; color: var(--muted); font-style: italic; }
.charts { display: flex; flex-wrap: wrap; gap: .8rem; break-inside: avoid; }
svg { max-width: 100%; height: auto; }
.practices { columns: 2; column-gap: 1.2rem; font-size: 8pt; line-height: 1.3; }
table.timeline ul { list-style: none; margin: 0; }
table.plan { font-size: 8.5pt; table-layout: fixed; }
table.plan th:nth-child(1) { width: 4%; } table.plan th:nth-child(2) { width: 19%; }
table.plan th:nth-child(3) { width: 25%; } table.plan th:nth-child(4) { width: 15%; }
table.plan th:nth-child(5) { width: 15%; } table.plan th:nth-child(6) { width: 11%; }
table.plan th:nth-child(7) { width: 11%; }
table.plan td { overflow-wrap: anywhere; hyphens: auto; }
table.plan th { font-size: 8pt; }
.nowrap { white-space: nowrap; font-size: 8pt; }
table.timeline td:first-child { width: 1.5rem; }
table.timeline td:nth-child(2) { width: 9rem; }
table.timeline td:last-child { width: 11rem; }
.practices div { break-inside: avoid; margin-bottom: .4rem; }
@media print {
  body { max-width: none; margin: 0; padding: 0; }
  a { color: inherit; text-decoration: none; }
}
"""

SECTIONS = (  # titles translated where shown
    ("summary", N_("Executive summary")),
    ("objectives", N_("Objectives and ratings")),
    ("findings", N_("Strengths and areas for improvement")),
    ("results", N_("Results")),
    ("timeline", N_("Decision timeline")),
    ("feedback", N_("Participant feedback")),
    ("plan", N_("Appendix A: Improvement plan")),
    ("practices", N_("Appendix B: Good practices, key actors and standards")),
)


def e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def pct(value: float | None) -> str:
    return _("n/a") if value is None else percent(value)


def table(head: Sequence[str], rows: Iterable[Sequence[str]], cls: str = "") -> str:
    """A table whose cells are already-escaped HTML."""
    h = "".join(f"<th>{c}</th>" for c in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    attr = f' class="{cls}"' if cls else ""
    return f"<table{attr}><thead><tr>{h}</tr></thead><tbody>{body}</tbody></table>"


def para(text: str) -> str:
    """A paragraph of plain text."""
    return f"<p>{e(text)}</p>"


def identification_table(
    drills: Sequence[NamedIdentification], name: Callable[[str], str]
) -> tuple[list[str], list[list[str]]]:
    """The identification drills' table (head, rows) for both renderings; `name` makes a
    drill's name safe for the output (HTML or Markdown)."""
    head = ["", _("Precision"), _("Recall"), _("Correct selected"), _("Correct found")]
    rows = [
        [
            name(i["name"]),
            pct(i["precision"]),
            pct(i["recall"]),
            f"{i['hits']}/{i['selected']}",
            f"{i['hits']}/{i['correct']}",
        ]
        for i in drills
    ]
    return head, rows


def badge(rating: str | None, title: str = "") -> str:
    label = rating or "–"
    return f'<span class="rating r-{e(rating or "none")}" title="{e(title)}">{e(label)}</span>'


def section(key: str, body: str, page: bool = False) -> str:
    title = _(dict(SECTIONS)[key])
    cls = ' class="page"' if page else ""
    return f'<section id="{key}"{cls}><h2>{e(title)}</h2>{body}</section>'


def _cover(aar: AAR) -> str:
    c = aar["cover"]
    marking = f'<p class="handling">{e(c["handling"])}</p>' if c["handling"] else ""
    minutes = c["duration_minutes"]
    rows = [
        (_("Scenario"), f"{e(c['scenario'])} <span class=muted>({e(c['region'])})</span>"),
        (_("Dates"), _("{start}<br>to {end}").format(start=e(c["start"]), end=e(c["end"]))),
        (_("Duration"), ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)),
        (_("Location"), e(c["location"]) if c["location"] else None),
        (_("Format"), e(words(DELIVERY_WORDS, c["format"]))),
        (_("Teams"), e(", ".join(c["teams"]))),
        (_("Participants"), str(c["participants"]) if c["participants"] else None),
        (_("Sponsor"), e(c["sponsor"]) if c["sponsor"] else None),
        (_("Session"), f"{e(c['session'])} ({e(words(STATUS_WORDS, c['status']))})"),
    ]
    body = "".join(f"<tr><th>{k}</th><td>{v}</td></tr>" for k, v in rows if v)
    titles = [(key, e(_(title))) for key, title in SECTIONS]
    toc = "".join(f'<li><a href="#{k}">{t}</a></li>' for k, t in titles)
    kind = e(_("After-action report and improvement plan"))
    contents = e(_("Contents"))
    return (
        f'<section class="cover">{marking}<p class="kind">{kind}'
        f"</p><h1>{e(c['title'])}</h1><table><tbody>{body}</tbody></table>"
        f'<nav class="toc"><h3>{contents}</h3><ol>{toc}</ol></nav>{marking}</section>'
    )


def _summary(aar: AAR) -> str:
    s = aar["summary"]
    ending = (
        _("The room reached the ending <b>{ending}</b> ({outcome}).").format(
            ending=e(s["ending"]), outcome=e(outcome_words(s["outcome"]))
        )
        if s["ending"]
        else e(_("The room did not reach an ending."))
    )
    kpis = [
        (_("Room alignment"), pct(s["room_alignment"])),
        (_("Objectives P/S/M/U"), " / ".join(str(s["ratings"][r]) for r in "PSMU")),
        (_("Observations"), str(s["observations"])),
        (_("Feedback forms"), str(s["feedback"])),
        (_("Plan items"), str(s["plan_items"])),
    ]
    kpi = "".join(f'<div class="kpi"><b>{e(v)}</b>{e(k)}</div>' for k, v in kpis)
    objectives = "".join(
        f"<li>{badge(o['rating'], o['rating_text'])} {e(o['text'])}</li>" for o in aar["objectives"]
    )
    strong = ", ".join(e(x) for x in s["strengths"]) or e(_("none identified"))
    weak = ", ".join(e(x) for x in s["improvements"]) or e(_("none identified"))
    summary = e(aar["scenario"]["summary"])
    heads = e(_("Objectives")), e(_("Main strengths:")), e(_("Main areas for improvement:"))
    return section(
        "summary",
        f'<div class="summary"><p>{summary}</p><p>{ending}</p><div class="kpis">{kpi}</div>'
        + (f"<h3>{heads[0]}</h3><ul>{objectives}</ul>" if objectives else "")
        + f"<p><b>{heads[1]}</b> {strong}.</p>"
        f"<p><b>{heads[2]}</b> {weak}.</p></div>",
        page=True,
    )


def _observations(items: Sequence[ObservationRow]) -> str:
    quotes = []
    for o in items:
        who = ", ".join(e(x) for x in (o["team"], o["by"]) if x)
        tag = f" {badge(o['rating'], o['rating_text'] or '')}" if o["rating"] else ""
        said = e(quoted(o["text"]))
        quotes.append(f"<blockquote>{said}{tag} <span class=small>{who}</span></blockquote>")
    return "".join(quotes)


def _objectives(aar: AAR) -> str:
    if not aar["objectives"]:
        return section("objectives", para(_("The scenario declares no objectives.")))
    rows = []
    for o in aar["objectives"]:
        basis = (
            ngettext(
                "{points} of {possible} key actions ({alignment}) at decision {decisions}",
                "{points} of {possible} key actions ({alignment}) at decisions {decisions}",
                len(o["decisions"]),
            ).format(
                points=o["points"],
                possible=o["possible"],
                alignment=pct(o["alignment"]),
                decisions=", ".join(map(str, o["decisions"])),
            )
            if o["possible"]
            else _("not exercised on this path")
        )
        if o["rated_by"] == "evaluators":
            n = len(o["observations"])
            basis += ngettext(
                "; rated from {n} observation", "; rated from {n} observations", n
            ).format(n=n)
        mean = "–" if o["feedback_mean"] is None else f"{number(o['feedback_mean'], 1)} / 5"
        rows.append(
            [
                f"<b>{e(o['text'])}</b><br><span class=small>{e(joined(o['practices']))}"
                f"</span>{_observations(o['observations'][:2])}",
                f"{badge(o['rating'], o['rating_text'])}<br><span class=small>"
                f"{e(o['rating_text'])}</span>",
                e(basis),
                e(mean),
            ]
        )
    legend = "<p class=small>{}</p>".format(
        e(
            _(
                "P performed without challenges; S performed with some challenges; "
                "M performed with major challenges; U unable to be performed."
            )
        )
    )
    head = [_("Objective"), _("Rating"), _("Evidence"), _("Participants' rating")]
    return section("objectives", table(head, rows) + legend)


def _numbered(n: int, decision: str | None) -> str:
    """A decision named in a sentence: its number and its quoted title (its own ? or ! then
    never meets the sentence's full stop)."""
    return f"{n}. {e(quoted(decision))}" if decision else str(n)


def _finding(f: Finding, good: bool, timeline: Sequence[TimelineRow]) -> str:
    decisions = joined(
        _numbered(n, timeline[n - 1]["decision"]) for n in f["decisions"] if n <= len(timeline)
    )
    missed = "".join(f"<li>{e(k)}</li>" for k in f["missed"])
    harmful = (
        " "
        + ngettext(
            "<b>Harmful choice</b> at decision {decisions}.",
            "<b>Harmful choices</b> at decisions {decisions}.",
            len(f["harmful_at"]),
        ).format(decisions=", ".join(map(str, f["harmful_at"])))
        if f["harmful_at"]
        else ""
    )
    label = e(_("Recommended key actions not taken") if not good else _("Also not taken"))
    took = ngettext(
        "The room took {points} of {possible} recommended key action ({alignment}) at {decisions}.",
        "The room took {points} of {possible} recommended key actions ({alignment}) at "
        "{decisions}.",
        f["possible"],
    ).format(
        points=f["points"],
        possible=f["possible"],
        alignment=pct(f["alignment"]),
        decisions=decisions,
    )
    return (
        f'<div class="finding {"good" if good else "bad"}"><h3>{e(f["practice"])}</h3>'
        f"<p class=small>{took}{harmful}</p>"
        + (
            f"<p class=small><b>{introducing(label)}</b></p><ul class=small>{missed}</ul>"
            if missed
            else ""
        )
        + _observations(f["observations"])
        + "</div>"
    )


def _findings(aar: AAR) -> str:
    tl = aar["timeline"]
    good = "".join(_finding(f, True, tl) for f in aar["strengths"]) or "<p>{}</p>".format(
        e(_("None identified."))
    )
    bad = "".join(_finding(f, False, tl) for f in aar["improvements"]) or "<p>{}</p>".format(
        e(_("None."))
    )
    return section(
        "findings",
        "<h3>{}</h3>{}<h3>{}</h3>{}".format(
            e(_("Strengths")), good, e(_("Areas for improvement")), bad
        ),
    )


def _results(aar: AAR) -> str:
    r = aar["results"]
    groups = [r["room"], *r["teams"]] if r["teams"] else [r["room"]]
    overall = bar_chart(
        [(g["name"], g["alignment"]) for g in groups + r["participants"]],
        title=_("Alignment with the toolkit's recommended key actions"),
        chance=r["chance"],
    )
    areas = list(dict.fromkeys(a["area"] for g in groups for a in g["by_area"]))
    by_area = grouped_bars(
        areas,
        [(g["name"], {a["area"]: a["alignment"] for a in g["by_area"]}) for g in groups],
        title=_("Alignment by area of the toolkit"),
        chance=r["chance"],
    )
    rows = [
        [e(g["name"]), f"{g['points']}/{g['possible']}", pct(g["alignment"]), str(g["harmful"])]
        for g in groups + r["participants"]
    ]
    note = (
        "<p class=small>{}</p>".format(
            e(
                _(
                    "The dashed line is the chance level: the alignment expected from "
                    "choosing at random ({chance})."
                ).format(chance=pct(r["chance"]))
            )
        )
        if r["chance"] is not None
        else ""
    )
    head = ["", _("Key actions"), _("Alignment"), _("Harmful choices")]
    ident = ""
    if r.get("identification"):
        ident = (
            "<p class=small>"
            + e(_("Identification drills (not part of alignment):"))
            + "</p>"
            + table(*identification_table(r["identification"], e))
        )
    return section(
        "results",
        f'<div class="charts">{overall}{by_area}</div>{note}' + table(head, rows) + ident,
    )


def _timeline(aar: AAR) -> str:
    rows = []
    nobody = _("no team")
    for d in aar["timeline"]:
        choices = "".join(
            f"<li>{'<b>' if c['followed'] else ''}{e(c['text'])}"
            f"{' ✔ (' + e(how_words(d['how'])) + ')</b>' if c['followed'] else ''}"
            f" <span class=small>{e(', '.join(c['teams']) or nobody)}</span></li>"
            for c in d["choices"]
        )
        notes = "<br>".join(
            "<b>{}</b> {}".format(e(_("{label}:").format(label=n["label"])), e(n["text"]))
            for n in d["notes"]
        )
        rows.append(
            [
                f"{d['number']}",
                f"<b>{e(d['decision'])}</b><br><span class=small>{e(d['time'])}</span>",
                f"<ul>{choices}</ul>",
                f"<span class=small>{notes}</span>",
            ]
        )
    head = [
        "#",
        _("Decision"),
        _("Choices, who chose them, what the room followed (✔)"),
        _("Notes"),
    ]
    legend = "<p class=small>{}</p>".format(
        e(
            _(
                "Majority: most teams chose it; tie-break: the facilitator picked among "
                "tied choices; override: the facilitator moved the room against the majority."
            )
        )
    )
    nothing = "<p>{}</p>".format(e(_("No decision was taken.")))
    body = table(head, rows, "timeline") + legend if rows else nothing
    return section("timeline", body)


def _feedback(aar: AAR) -> str:
    f = aar["feedback"]
    if not f["responses"]:
        return section(
            "feedback", "<p>{}</p>".format(e(_("No participant feedback was recorded.")))
        )
    rows = [
        [
            e(o["objective"]),
            "–" if o["mean"] is None else f"{number(o['mean'], 1)} / 5",
            str(o["responses"]),
            e(" · ".join(f"{n + 1}: {c}" for n, c in enumerate(o["distribution"]))),
        ]
        for o in f["objectives"]
    ]

    def said(items: Sequence[Said]) -> str:
        return "".join(
            f"<li>{e(i['text'])}"
            + (f" <span class=small>({e(i['team'])})</span>" if i["team"] else "")
            + "</li>"
            for i in items
        )

    responses = ngettext(
        "{n} response, anonymous unless a team is shown.",
        "{n} responses, anonymous unless a team is shown.",
        f["responses"],
    ).format(n=f["responses"])
    body = f"<p>{e(responses)}</p>"
    if rows:
        body += table([_("Objective"), _("Mean"), _("Responses"), _("Ratings 1–5")], rows)
    if f["worked"]:
        body += "<h3>{}</h3><ul>{}</ul>".format(e(_("What worked")), said(f["worked"]))
    if f["change"]:
        body += "<h3>{}</h3><ul>{}</ul>".format(e(_("What to change")), said(f["change"]))
    return section("feedback", body)


def _plan(aar: AAR) -> str:
    rows = [
        [
            e(p["item"]),
            e(p["issue"]),
            e(p["action"]),
            e(p["practice"] or "")
            + (f"<br><span class=small>{e(p['objective'])}</span>" if p["objective"] else ""),
            e(p["organisation"]) + (f"<br>{e(p['contact'])}" if p["contact"] else ""),
            f'<span class="nowrap">{e(p["start"] or "–")}</span>',
            f'<span class="nowrap">{e(p["completion"] or "–")}</span>',
        ]
        for p in aar["plan"]
    ]
    head = [
        "#",
        _("Issue / area for improvement"),
        _("Corrective action"),
        _("Practice / objective"),
        _("Responsible (contact)"),
        _("Start"),
        _("Completion"),
    ]
    nothing = "<p>{}</p>".format(e(_("No improvement-plan items were recorded.")))
    body = table(head, rows, "plan") if rows else nothing
    return section("plan", body)


def _practices(aar: AAR) -> str:
    blocks = []
    actors_label, standards_label = e(_("Key actors:")), e(_("Standards:"))
    for p in aar["practices"]:
        actors = e(", ".join(p["key_actors"])) or "–"
        standards = joined(e(s) for s in p["standards"])
        blocks.append(
            f"<div><b>{e(p['title'])}</b> <span class=muted>({e(p['area'])})</span><br>"
            f"<i>{e(p['full_title'])}</i><br><b>{actors_label}</b> {actors}"
            + (f"<br><b>{standards_label}</b> {standards}" if standards else "")
            + "</div>"
        )
    return section("practices", f'<div class="practices">{"".join(blocks)}</div>')


def render_aar_html(aar: AAR) -> str:
    """The whole document."""
    parts = [
        _cover(aar),
        _summary(aar),
        _objectives(aar),
        _findings(aar),
        _results(aar),
        _timeline(aar),
        _feedback(aar),
        _plan(aar),
        _practices(aar),
    ]
    title = _("After-action report: {title}").format(title=aar["cover"]["title"])
    return (
        f'<!DOCTYPE html>\n<html lang="{e(current_language())}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{e(title)}</title><style>{CSS}</style></head><body>"
        + "".join(parts)
        + "</body></html>\n"
    )
