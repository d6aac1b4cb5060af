"""The cohort report as a self-contained HTML page (inline SVG charts) or CSV rows.

Every text that comes from a scenario, the catalog, a label or a team name is escaped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from html import escape

from engine.core.formats import percent
from engine.core.i18n import _, current_language, ngettext
from engine.play.scoring import format_alignment
from engine.report.charts import bar_chart, grouped_bars
from engine.report.cohort import BUCKETS, Cohort, Comparison, Group, Share

STYLE = """
body{font:14px/1.45 system-ui,sans-serif;color:#1b1f24;max-width:1100px;margin:1.5em auto;
padding:0 1em}h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em;border-bottom:1px solid
#ccd}table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{text-align:left;padding:
3px 6px;border-bottom:1px solid #e3e6ea;vertical-align:top}td.n,th.n{text-align:right}
.charts{display:flex;flex-wrap:wrap;gap:1.5em}.charts svg{max-width:100%;height:auto}
.cols{display:grid;grid-template-columns:1fr 1fr;gap:2em}.small{color:#555;font-size:.9em}
"""


def _pct(value: float | None) -> str:
    return format_alignment(value)


def _bucket_names() -> list[str]:
    """The buckets' ids in the CSV (data: the same in every language)."""
    step = 100 // BUCKETS
    return [f"{i * step}–{(i + 1) * step} %" for i in range(BUCKETS)]


def _bucket_labels() -> list[str]:
    """The buckets as a reader sees them on a chart, e.g. "0–20%" / "0–20 %"."""
    step = 100 // BUCKETS
    return [f"{i * step}–{percent((i + 1) * step)}" for i in range(BUCKETS)]


def _distribution(counts: Sequence[int], title: str) -> str:
    total = sum(counts)
    items = [
        (name, (100 * c / total) if total else None)
        for name, c in zip(_bucket_labels(), counts, strict=True)
    ]
    return bar_chart(items, title=title)


def _groups_table(groups: Sequence[Group], head: str) -> str:
    rows = "".join(
        f"<tr><td>{escape(g.key)}</td><td>{escape(g.name)}</td>"
        f"<td class=n>{g.points} / {g.possible}</td><td class=n>{_pct(g.alignment)}</td></tr>"
        for g in groups
    )
    points, alignment = escape(_("points")), escape(_("alignment"))
    return (
        f"<table><tr><th>{escape(head)}</th><th></th><th class=n>{points}</th>"
        f"<th class=n>{alignment}</th></tr>{rows}</table>"
    )


def _shares_table(shares: Sequence[Share], head: str, verb: str, empty: str) -> str:
    if not shares:
        return f"<p class=small>{escape(empty)}</p>"
    rows = "".join(
        f"<tr><td>{escape(s.key)}</td><td>{escape(s.text)}"
        + (f"<br><span class=small>{escape(s.where)}</span>" if s.where else "")
        + "</td><td class=n>"
        + escape(_("{count} of {out_of}").format(count=s.count, out_of=s.out_of))
        + "</td></tr>"
        for s in shares
    )
    return (
        f"<table><tr><th>{escape(head)}</th><th></th><th class=n>{escape(verb)}</th></tr>"
        f"{rows}</table>"
    )


def _summary(c: Cohort) -> str:
    scenarios = "".join(
        "<li>"
        + escape(
            ngettext(
                "{title} ({id}): {n} session, chance level {chance}",
                "{title} ({id}): {n} sessions, chance level {chance}",
                n,
            ).format(title=title, id=sid, n=n, chance=_pct(chance))
        )
        + "</li>"
        for sid, title, n, chance in c.scenarios
    )
    skipped = "".join(
        "<li>" + escape(_("{id}: {reason}").format(id=sid, reason=reason)) + "</li>"
        for sid, reason in c.skipped
    )
    counts = ", ".join(
        (
            ngettext("{n} session", "{n} sessions", c.sessions).format(n=c.sessions),
            ngettext("{n} team", "{n} teams", len(c.teams)).format(n=len(c.teams)),
            ngettext(
                "{n} participant voting from a device",
                "{n} participants voting from devices",
                c.participants,
            ).format(n=c.participants),
        )
    )
    overall = _("Alignment {alignment} ({points} of {possible} points); chance level {chance}.")
    return (
        f"<p>{escape(counts)}. "
        + escape(
            overall.format(
                alignment=_pct(c.alignment),
                points=c.points,
                possible=c.possible,
                chance=_pct(c.chance),
            )
        )
        + f"</p><ul>{scenarios}</ul>"
        + (
            "<p class=small>" + escape(_("Not included:")) + f"</p><ul class=small>{skipped}</ul>"
            if skipped
            else ""
        )
    )


def _cohort_body(c: Cohort) -> str:
    charts = [
        bar_chart(
            [(g.name, g.alignment) for g in c.by_area],
            title=_("Alignment by area"),
            chance=c.chance,
        ),
        bar_chart(
            [(g.key, g.alignment) for g in c.by_practice],
            title=_("Alignment by good practice"),
            chance=c.chance,
        ),
        _distribution(c.team_buckets, _("Teams by alignment (share of teams, %)")),
    ]
    if c.participants:
        charts.append(
            _distribution(
                c.participant_buckets, _("Participants by alignment (share of participants, %)")
            )
        )
    team_rows = "".join(
        f"<tr><td>{escape(r.session)}</td><td>{escape(r.label)}</td><td>{escape(r.scenario)}"
        f"</td><td>{escape(r.team)}</td><td class=n>{_pct(r.alignment)}</td>"
        f"<td class=n>{r.harmful}</td></tr>"
        for r in c.teams
    )
    heads = "".join(
        f"<th{' class=n' if n else ''}>{escape(h)}</th>"
        for h, n in (
            (_("session"), False),
            (_("label"), False),
            (_("scenario"), False),
            (_("team"), False),
            (_("alignment"), True),
            (_("harmful"), True),
        )
    )
    return (
        _summary(c)
        + f"<div class=charts>{''.join(charts)}</div>"
        + _h2(_("By area"))
        + _groups_table(c.by_area, _("area"))
        + _h2(_("By good practice"))
        + _groups_table(c.by_practice, _("practice"))
        + _h2(_("Key actions most often missed"))
        + _shares_table(c.missed, _("Key action"), _("missed"), _("No key action missed."))
        + _h2(_("Harmful choices most often taken"))
        + _shares_table(c.harmful, _("Choice"), _("taken"), _("No harmful choice taken."))
        + _h2(_("Teams"))
        + f"<table><tr>{heads}</tr>{team_rows}</table>"
    )


def _h2(text: str) -> str:
    return f"<h2>{escape(text)}</h2>"


def _page(title: str, body: str) -> str:
    return (
        f"<!doctype html><html lang={escape(current_language())}><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>{body}</body></html>\n"
    )


def _comparison_body(cmp: Comparison) -> str:
    a, b = cmp.a, cmp.b
    charts = []
    for which, title in (
        ("by_area", _("Alignment by area")),
        ("by_practice", _("Alignment by good practice")),
    ):
        rows = cmp.rows(which)
        names = [k if which == "by_practice" else n for k, n, _, _ in rows]
        series = [
            (
                side.title,
                {
                    name: (g.alignment if g else None)
                    for name, (_, _, g, _) in zip(names, rows, strict=True)
                },
            )
            for side in (a,)
        ] + [
            (
                b.title,
                {
                    name: (g.alignment if g else None)
                    for name, (_, _, _, g) in zip(names, rows, strict=True)
                },
            )
        ]
        charts.append(grouped_bars(names, series, title=title))
    table = "".join(
        f"<tr><td>{escape(k)}</td><td>{escape(n)}</td>"
        f"<td class=n>{_pct(ga.alignment if ga else None)}</td>"
        f"<td class=n>{_pct(gb.alignment if gb else None)}</td></tr>"
        for k, n, ga, gb in cmp.rows("by_area") + cmp.rows("by_practice")
    )
    return (
        f"<div class=charts>{''.join(charts)}</div>"
        f"<table><tr><th></th><th></th><th class=n>{escape(a.title)}</th>"
        f"<th class=n>{escape(b.title)}</th></tr>{table}</table>"
        f"<div class=cols><section><h2>{escape(a.title)}</h2>{_cohort_body(a)}</section>"
        f"<section><h2>{escape(b.title)}</h2>{_cohort_body(b)}</section></div>"
    )


def render_html(report: Cohort | Comparison) -> str:
    """One self-contained page: no scripts, no external requests."""
    if isinstance(report, Comparison):
        title = _("Cohorts compared: {a} / {b}").format(a=report.a.title, b=report.b.title)
        return _page(title, _comparison_body(report))
    return _page(_("Cohort: {title}").format(title=report.title), _cohort_body(report))


CSV_HEADER = ("cohort", "section", "id", "name", "points", "possible", "value")


def _csv_rows(c: Cohort) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [
        (c.title, "overall", "", "", c.points, c.possible, _num(c.alignment)),
        (c.title, "chance", "", "", "", "", _num(c.chance)),
    ]
    rows += [
        (c.title, "area", g.key, g.name, g.points, g.possible, _num(g.alignment)) for g in c.by_area
    ]
    rows += [
        (c.title, "practice", g.key, g.name, g.points, g.possible, _num(g.alignment))
        for g in c.by_practice
    ]
    rows += [(c.title, "missed", s.key, s.text, s.count, s.out_of, "") for s in c.missed]
    rows += [(c.title, "harmful", s.key, s.text, s.count, s.out_of, "") for s in c.harmful]
    rows += [
        (c.title, "team", f"{r.session}/{r.team}", r.label, "", "", _num(r.alignment))
        for r in c.teams
    ]
    names = _bucket_names()
    rows += [
        (c.title, "team_bucket", names[i], "", n, "", "") for i, n in enumerate(c.team_buckets)
    ]
    rows += [
        (c.title, "participant_bucket", names[i], "", n, "", "")
        for i, n in enumerate(c.participant_buckets)
    ]
    return rows


def _num(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def render_csv(report: Cohort | Comparison) -> str:
    """Long format: one row per (cohort, section, id), so both sides of a comparison stack."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    cohorts = [report.a, report.b] if isinstance(report, Comparison) else [report]
    for c in cohorts:
        writer.writerows(_csv_rows(c))
    return out.getvalue()
