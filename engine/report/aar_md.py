"""The after-action report as Markdown (same sections as the printable HTML, charts as tables).

Content text is made inert for Markdown: one line, emphasis, code and table pipes
backslash-escaped here, then the shared output layer (`engine.core.safe_text.for_markdown`):
no raw HTML, no link but http(s)/mailto ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from engine.core.safe_text import for_markdown
from engine.report.aar_html import SECTIONS, pct

_SPECIAL = re.compile(r"([\\`*_|~])")
_BLOCK_START = re.compile(r"^[#+=>-]")
_ORDERED = re.compile(r"^(\d+)([.)])")


def md(text: Any) -> str:
    """Inline text on one line with Markdown/HTML syntax characters escaped (and a line start
    that would open a heading, list or quote)."""
    flat = _SPECIAL.sub(r"\\\1", " ".join(str(text if text is not None else "").split()))
    flat = for_markdown(flat)  # no raw HTML, no link but http(s)/mailto ones
    flat = _ORDERED.sub(r"\1\\\2", flat)
    return "\\" + flat if _BLOCK_START.match(flat) else flat


def row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(cells) + " |"


def table(head: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [row(head), row(["---"] * len(head)), *(row(r) for r in rows), ""]


def _title(key: str) -> str:
    return f"## {dict(SECTIONS)[key]}"


def _cover(aar: Mapping[str, Any]) -> list[str]:
    c = aar["cover"]
    out = [f"**{md(c['handling'])}**", ""] if c["handling"] else []
    out += [f"# {md(c['title'])}", "", "*After-action report and improvement plan*", ""]
    facts = [
        ("Scenario", f"{c['scenario']} ({c['region']})"),
        ("Dates", f"{c['start']} to {c['end']}"),
        ("Duration", f"{c['duration_minutes']} minutes"),
        ("Location", c["location"]),
        ("Format", c["format"].capitalize()),
        ("Teams", ", ".join(c["teams"])),
        ("Participants", c["participants"] or None),
        ("Sponsor", c["sponsor"]),
        ("Session", f"{c['session']} ({c['status']})"),
    ]
    out += table(["", ""], [[k, md(v)] for k, v in facts if v])
    out += ["**Contents**", ""]
    out += [f"{n}. {title}" for n, (_, title) in enumerate(SECTIONS, start=1)] + [""]
    return out


def _summary(aar: Mapping[str, Any]) -> list[str]:
    s = aar["summary"]
    ending = (
        f"The room reached the ending **{md(s['ending'])}** ({md(s['outcome'])})."
        if s["ending"]
        else "The room did not reach an ending."
    )
    ratings = " / ".join(str(s["ratings"][r]) for r in "PSMU")
    out = [_title("summary"), "", md(aar["scenario"]["summary"]), "", ending, ""]
    out += [
        f"Room alignment **{pct(s['room_alignment'])}**; objectives P/S/M/U {ratings}; "
        f"{s['observations']} observation(s), {s['feedback']} feedback form(s), "
        f"{s['plan_items']} plan item(s).",
        "",
    ]
    out += [f"- **{o['rating'] or '–'}** {md(o['text'])}" for o in aar["objectives"]] + [""]
    strong = ", ".join(md(x) for x in s["strengths"]) or "none identified"
    weak = ", ".join(md(x) for x in s["improvements"]) or "none identified"
    return out + [
        f"**Main strengths:** {strong}.",
        "",
        f"**Main areas for improvement:** {weak}.",
        "",
    ]


def _quotes(items: Sequence[Mapping[str, Any]]) -> list[str]:
    out = []
    for o in items:
        who = ", ".join(md(x) for x in (o["rating"], o["team"], o["by"]) if x)
        out.append(f"> “{md(o['text'])}” ({who})" if who else f"> “{md(o['text'])}”")
        out.append("")
    return out


def _objectives(aar: Mapping[str, Any]) -> list[str]:
    out = [_title("objectives"), ""]
    if not aar["objectives"]:
        return out + ["The scenario declares no objectives.", ""]
    rows = []
    for o in aar["objectives"]:
        basis = (
            f"{o['points']}/{o['possible']} key actions ({pct(o['alignment'])}) at decision(s) "
            + ", ".join(map(str, o["decisions"]))
            if o["possible"]
            else "not exercised on this path"
        )
        mean = "–" if o["feedback_mean"] is None else f"{o['feedback_mean']} / 5"
        rows.append(
            [
                md(o["text"]),
                md("; ".join(o["practices"])),
                f"**{o['rating'] or '–'}** {md(o['rating_text'])}",
                md(basis),
                mean,
            ]
        )
    head = ["Objective", "Practices", "Rating", "Evidence", "Participants"]
    return out + table(head, rows)


def _findings(aar: Mapping[str, Any]) -> list[str]:
    out = [_title("findings"), ""]
    for label, items in (("Strengths", aar["strengths"]), ("Areas for improvement",
                                                           aar["improvements"])):  # fmt: skip
        out += [f"### {label}", ""]
        if not items:
            out += ["None identified.", ""]
        for f in items:
            decisions = ", ".join(map(str, f["decisions"]))
            out += [
                f"**{md(f['practice'])}**: {f['points']} of {f['possible']} recommended key "
                f"actions ({pct(f['alignment'])}) at decision(s) {decisions}.",
                "",
            ]
            out += [f"- not taken: {md(k)}" for k in f["missed"]]
            out += [""] if f["missed"] else []
            out += _quotes(f["observations"])
    return out


def _results(aar: Mapping[str, Any]) -> list[str]:
    r = aar["results"]
    groups = [r["room"], *r["teams"], *r["participants"]]
    areas = list(dict.fromkeys(a["area"] for g in groups for a in g["by_area"]))
    rows = []
    for g in groups:
        by = {a["area"]: pct(a["alignment"]) for a in g["by_area"]}
        rows.append([md(g["name"]), pct(g["alignment"]), str(g["harmful"])] +
                    [by.get(a, "–") for a in areas])  # fmt: skip
    out = [_title("results"), ""]
    out += table(["", "Alignment", "Harmful", *(md(a) for a in areas)], rows)
    if r["chance"] is not None:
        out += [f"Chance level (random play): {pct(r['chance'])}.", ""]
    return out


def _timeline(aar: Mapping[str, Any]) -> list[str]:
    rows = []
    for d in aar["timeline"]:
        choices = "; ".join(
            f"{'**' if c['followed'] else ''}{md(c['text'])}"
            f"{' (' + d['how'] + ')**' if c['followed'] else ''} — "
            f"{md(', '.join(c['teams']) or 'no team')}"
            for c in d["choices"]
        )
        notes = "; ".join(f"{md(n['label'])}: {md(n['text'])}" for n in d["notes"])
        rows.append([str(d["number"]), f"{md(d['decision'])} ({d['time']})", choices, notes])
    return [_title("timeline"), ""] + table(["#", "Decision", "Choices (followed in bold)",
                                             "Notes"], rows)  # fmt: skip


def _feedback(aar: Mapping[str, Any]) -> list[str]:
    f = aar["feedback"]
    out = [_title("feedback"), ""]
    if not f["responses"]:
        return out + ["No participant feedback was recorded.", ""]
    out += [f"{f['responses']} response(s), anonymous unless a team is shown.", ""]
    rows = [
        [md(o["objective"]), "–" if o["mean"] is None else f"{o['mean']} / 5",
         str(o["responses"])]
        for o in f["objectives"]
    ]  # fmt: skip
    out += table(["Objective", "Mean", "Responses"], rows) if rows else []
    for label, items in (("What worked", f["worked"]), ("What to change", f["change"])):
        if items:
            out += [f"### {label}", ""]
            out += [f"- {md(i['text'])}" + (f" ({md(i['team'])})" if i["team"] else "")
                    for i in items] + [""]  # fmt: skip
    return out


def _plan(aar: Mapping[str, Any]) -> list[str]:
    out = [_title("plan"), ""]
    if not aar["plan"]:
        return out + ["No improvement-plan items were recorded.", ""]
    rows = [
        [p["item"], md(p["issue"]), md(p["action"]),
         md("; ".join(x for x in (p["practice"], p["objective"]) if x)),
         md(", ".join(x for x in (p["organisation"], p["contact"]) if x)),
         p["start"] or "–", p["completion"] or "–"]
        for p in aar["plan"]
    ]  # fmt: skip
    head = ["#", "Issue", "Corrective action", "Practice / objective", "Responsible", "Start",
            "Completion"]  # fmt: skip
    return out + table(head, rows)


def _practices(aar: Mapping[str, Any]) -> list[str]:
    out = [_title("practices"), ""]
    for p in aar["practices"]:
        out += [f"**{md(p['title'])}** ({md(p['area'])}): *{md(p['full_title'])}*", ""]
        if p["key_actors"]:
            out += [f"- Key actors: {md(', '.join(p['key_actors']))}"]
        if p["standards"]:
            out += [f"- Standards: {md('; '.join(p['standards']))}"]
        out += [""]
    return out


def render_aar_md(aar: Mapping[str, Any]) -> str:
    parts = (_cover, _summary, _objectives, _findings, _results, _timeline, _feedback, _plan,
             _practices)  # fmt: skip
    lines: list[str] = []
    for part in parts:
        lines += part(aar)
    return "\n".join(lines).rstrip() + "\n"
