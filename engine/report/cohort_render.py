"""The cohort report as a self-contained HTML page (inline SVG charts) or CSV rows.

Every text that comes from a scenario, the catalog, a label or a team name is escaped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from html import escape

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
    step = 100 // BUCKETS
    return [f"{i * step}–{(i + 1) * step} %" for i in range(BUCKETS)]


def _distribution(counts: Sequence[int], title: str) -> str:
    total = sum(counts)
    items = [
        (name, (100 * c / total) if total else None)
        for name, c in zip(_bucket_names(), counts, strict=True)
    ]
    return bar_chart(items, title=title)


def _groups_table(groups: Sequence[Group], head: str) -> str:
    rows = "".join(
        f"<tr><td>{escape(g.key)}</td><td>{escape(g.name)}</td>"
        f"<td class=n>{g.points} / {g.possible}</td><td class=n>{_pct(g.alignment)}</td></tr>"
        for g in groups
    )
    return (
        f"<table><tr><th>{escape(head)}</th><th></th><th class=n>points</th>"
        f"<th class=n>alignment</th></tr>{rows}</table>"
    )


def _shares_table(shares: Sequence[Share], head: str, verb: str) -> str:
    if not shares:
        return f"<p class=small>No {escape(head.lower())}.</p>"
    rows = "".join(
        f"<tr><td>{escape(s.key)}</td><td>{escape(s.text)}"
        + (f"<br><span class=small>{escape(s.where)}</span>" if s.where else "")
        + f"</td><td class=n>{s.count} of {s.out_of}</td></tr>"
        for s in shares
    )
    return (
        f"<table><tr><th>{escape(head)}</th><th></th><th class=n>{escape(verb)}</th></tr>"
        f"{rows}</table>"
    )


def _summary(c: Cohort) -> str:
    scenarios = "".join(
        f"<li>{escape(title)} ({escape(sid)}): {n} session{'s' if n != 1 else ''}, chance "
        f"level {_pct(chance)}</li>"
        for sid, title, n, chance in c.scenarios
    )
    skipped = "".join(f"<li>{escape(sid)}: {escape(reason)}</li>" for sid, reason in c.skipped)
    return (
        f"<p><b>{c.sessions}</b> sessions, <b>{len(c.teams)}</b> teams, <b>{c.participants}"
        f"</b> participants voting from devices. Alignment <b>{_pct(c.alignment)}</b> "
        f"({c.points} of {c.possible} points); chance level {_pct(c.chance)}.</p>"
        f"<ul>{scenarios}</ul>"
        + (f"<p class=small>Not included:</p><ul class=small>{skipped}</ul>" if skipped else "")
    )


def _cohort_body(c: Cohort) -> str:
    charts = [
        bar_chart(
            [(g.name, g.alignment) for g in c.by_area], title="Alignment by area", chance=c.chance
        ),
        bar_chart(
            [(g.key, g.alignment) for g in c.by_practice],
            title="Alignment by good practice",
            chance=c.chance,
        ),
        _distribution(c.team_buckets, "Teams by alignment (% of teams)"),
    ]
    if c.participants:
        charts.append(_distribution(c.participant_buckets, "Participants by alignment"))
    team_rows = "".join(
        f"<tr><td>{escape(r.session)}</td><td>{escape(r.label)}</td><td>{escape(r.scenario)}"
        f"</td><td>{escape(r.team)}</td><td class=n>{_pct(r.alignment)}</td>"
        f"<td class=n>{r.harmful}</td></tr>"
        for r in c.teams
    )
    return (
        _summary(c)
        + f"<div class=charts>{''.join(charts)}</div>"
        + "<h2>By area</h2>"
        + _groups_table(c.by_area, "area")
        + "<h2>By good practice</h2>"
        + _groups_table(c.by_practice, "practice")
        + "<h2>Key actions most often missed</h2>"
        + _shares_table(c.missed, "Key action", "missed")
        + "<h2>Harmful choices most often taken</h2>"
        + _shares_table(c.harmful, "Choice", "taken")
        + "<h2>Teams</h2><table><tr><th>session</th><th>label</th><th>scenario</th>"
        f"<th>team</th><th class=n>alignment</th><th class=n>harmful</th></tr>{team_rows}</table>"
    )


def _page(title: str, body: str) -> str:
    return (
        "<!doctype html><html lang=en><head><meta charset=utf-8>"
        '<meta name=viewport content="width=device-width,initial-scale=1">'
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>"
        f"<h1>{escape(title)}</h1>{body}</body></html>\n"
    )


def _comparison_body(cmp: Comparison) -> str:
    a, b = cmp.a, cmp.b
    charts = []
    for which, title in (("by_area", "Alignment by area"), ("by_practice", "By practice")):
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
        title = f"Cohorts compared: {report.a.title} / {report.b.title}"
        return _page(title, _comparison_body(report))
    return _page(f"Cohort: {report.title}", _cohort_body(report))


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
