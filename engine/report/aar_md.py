"""The after-action report as Markdown (same sections as the printable HTML, charts as tables).

Content text is made inert for Markdown: one line, emphasis, code and table pipes
backslash-escaped here, then the shared output layer (`engine.core.safe_text.for_markdown`):
no raw HTML, no link but http(s)/mailto ones.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from engine.core.formats import number
from engine.core.i18n import _, ngettext
from engine.core.safe_text import for_markdown
from engine.report.aar_html import SECTIONS, identification_table, pct
from engine.report.aar_types import AAR, ObservationRow
from engine.report.words import (
    DELIVERY_WORDS,
    STATUS_WORDS,
    how_words,
    joined,
    labelled,
    outcome_words,
    quoted,
    words,
)

_SPECIAL = re.compile(r"([\\`*_|~])")
_BLOCK_START = re.compile(r"^[#+=>-]")
_ORDERED = re.compile(r"^(\d+)([.)])")


def md(text: object) -> str:
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
    return "## " + _(dict(SECTIONS)[key])


def _cover(aar: AAR) -> list[str]:
    c = aar["cover"]
    out = [f"**{md(c['handling'])}**", ""] if c["handling"] else []
    kind = _("After-action report and improvement plan")
    out += [f"# {md(c['title'])}", "", f"*{kind}*", ""]
    minutes = c["duration_minutes"]
    facts = [
        (_("Scenario"), f"{c['scenario']} ({c['region']})"),
        (_("Dates"), _("{start} to {end}").format(start=c["start"], end=c["end"])),
        (_("Duration"), ngettext("{n} minute", "{n} minutes", minutes).format(n=minutes)),
        (_("Location"), c["location"]),
        (_("Format"), words(DELIVERY_WORDS, c["format"])),
        (_("Teams"), ", ".join(c["teams"])),
        (_("Participants"), c["participants"] or None),
        (_("Sponsor"), c["sponsor"]),
        (_("Session"), f"{c['session']} ({words(STATUS_WORDS, c['status'])})"),
    ]
    out += table(["", ""], [[k, md(v)] for k, v in facts if v])
    out += ["**" + _("Contents") + "**", ""]
    out += [f"{n}. " + _(title) for n, (_key, title) in enumerate(SECTIONS, start=1)] + [""]
    return out


def _summary(aar: AAR) -> list[str]:
    s = aar["summary"]
    ending = (
        _("The room reached the ending **{ending}** ({outcome}).").format(
            ending=md(s["ending"]), outcome=md(outcome_words(s["outcome"]))
        )
        if s["ending"]
        else _("The room did not reach an ending.")
    )
    ratings = " / ".join(str(s["ratings"][r]) for r in "PSMU")
    out = [_title("summary"), "", md(aar["scenario"]["summary"]), "", ending, ""]
    counts = ", ".join(
        (
            ngettext("{n} observation", "{n} observations", s["observations"]).format(
                n=s["observations"]
            ),
            ngettext("{n} feedback form", "{n} feedback forms", s["feedback"]).format(
                n=s["feedback"]
            ),
            ngettext("{n} plan item", "{n} plan items", s["plan_items"]).format(n=s["plan_items"]),
        )
    )
    out += [
        _("Room alignment **{alignment}**; objectives P/S/M/U {ratings}; {counts}.").format(
            alignment=pct(s["room_alignment"]), ratings=ratings, counts=counts
        ),
        "",
    ]
    out += [f"- **{o['rating'] or '–'}** {md(o['text'])}" for o in aar["objectives"]] + [""]
    strong = ", ".join(md(x) for x in s["strengths"]) or _("none identified")
    weak = ", ".join(md(x) for x in s["improvements"]) or _("none identified")
    return out + [
        "**" + _("Main strengths:") + f"** {strong}.",
        "",
        "**" + _("Main areas for improvement:") + f"** {weak}.",
        "",
    ]


def _quotes(items: Sequence[ObservationRow]) -> list[str]:
    out = []
    for o in items:
        who = ", ".join(md(x) for x in (o["rating"], o["team"], o["by"]) if x)
        said = quoted(md(o["text"]))
        out.append(f"> {said} ({who})" if who else f"> {said}")
        out.append("")
    return out


def _objectives(aar: AAR) -> list[str]:
    out = [_title("objectives"), ""]
    if not aar["objectives"]:
        return out + [_("The scenario declares no objectives."), ""]
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
        mean = "–" if o["feedback_mean"] is None else f"{number(o['feedback_mean'], 1)} / 5"
        rows.append(
            [
                md(o["text"]),
                md(joined(o["practices"])),
                f"**{o['rating'] or '–'}** {md(o['rating_text'])}",
                md(basis),
                mean,
            ]
        )
    head = [_("Objective"), _("Practices"), _("Rating"), _("Evidence"), _("Participants")]
    return out + table(head, rows)


def _findings(aar: AAR) -> list[str]:
    out = [_title("findings"), ""]
    for label, items in ((_("Strengths"), aar["strengths"]), (_("Areas for improvement"),
                                                              aar["improvements"])):  # fmt: skip
        out += [f"### {label}", ""]
        if not items:
            out += [_("None identified."), ""]
        for f in items:
            took = ngettext(
                "{points} of {possible} recommended key actions ({alignment}) at decision "
                "{decisions}.",
                "{points} of {possible} recommended key actions ({alignment}) at decisions "
                "{decisions}.",
                len(f["decisions"]),
            ).format(
                points=f["points"],
                possible=f["possible"],
                alignment=pct(f["alignment"]),
                decisions=", ".join(map(str, f["decisions"])),
            )
            out += [labelled(f"**{md(f['practice'])}**", took), ""]
            out += [_("- not taken: {action}").format(action=md(k)) for k in f["missed"]]
            out += [""] if f["missed"] else []
            out += _quotes(f["observations"])
    return out


def _results(aar: AAR) -> list[str]:
    r = aar["results"]
    groups = [r["room"], *r["teams"], *r["participants"]]
    areas = list(dict.fromkeys(a["area"] for g in groups for a in g["by_area"]))
    rows = []
    for g in groups:
        by = {a["area"]: pct(a["alignment"]) for a in g["by_area"]}
        rows.append([md(g["name"]), pct(g["alignment"]), str(g["harmful"])] +
                    [by.get(a, "–") for a in areas])  # fmt: skip
    out = [_title("results"), ""]
    out += table(["", _("Alignment"), _("Harmful choices"), *(md(a) for a in areas)], rows)
    if r["chance"] is not None:
        out += [_("Chance level (random play): {chance}.").format(chance=pct(r["chance"])), ""]
    if r.get("identification"):
        out += [_("Identification drills (precision and recall; not part of alignment):"), ""]
        out += table(*identification_table(r["identification"], md))
    return out


def _timeline(aar: AAR) -> list[str]:
    rows = []
    nobody = _("no team")
    for d in aar["timeline"]:
        choices = joined(
            f"{'**' if c['followed'] else ''}{md(c['text'])}"
            f"{' (' + how_words(d['how']) + ')**' if c['followed'] else ''} — "
            f"{md(', '.join(c['teams']) or nobody)}"
            for c in d["choices"]
        )
        notes = joined(labelled(md(n["label"]), md(n["text"])) for n in d["notes"])
        rows.append([str(d["number"]), f"{md(d['decision'])} ({d['time']})", choices, notes])
    head = ["#", _("Decision"), _("Choices (followed in bold)"), _("Notes")]
    return [_title("timeline"), ""] + table(head, rows)


def _feedback(aar: AAR) -> list[str]:
    f = aar["feedback"]
    out = [_title("feedback"), ""]
    if not f["responses"]:
        return out + [_("No participant feedback was recorded."), ""]
    responses = ngettext(
        "{n} response, anonymous unless a team is shown.",
        "{n} responses, anonymous unless a team is shown.",
        f["responses"],
    ).format(n=f["responses"])
    out += [responses, ""]
    rows = [
        [md(o["objective"]), "–" if o["mean"] is None else f"{number(o['mean'], 1)} / 5",
         str(o["responses"])]
        for o in f["objectives"]
    ]  # fmt: skip
    out += table([_("Objective"), _("Mean"), _("Responses")], rows) if rows else []
    for label, items in ((_("What worked"), f["worked"]), (_("What to change"), f["change"])):
        if items:
            out += [f"### {label}", ""]
            out += [f"- {md(i['text'])}" + (f" ({md(i['team'])})" if i["team"] else "")
                    for i in items] + [""]  # fmt: skip
    return out


def _plan(aar: AAR) -> list[str]:
    out = [_title("plan"), ""]
    if not aar["plan"]:
        return out + [_("No improvement-plan items were recorded."), ""]
    rows = [
        [p["item"], md(p["issue"]), md(p["action"]),
         md(joined(x for x in (p["practice"], p["objective"]) if x)),
         md(", ".join(x for x in (p["organisation"], p["contact"]) if x)),
         p["start"] or "–", p["completion"] or "–"]
        for p in aar["plan"]
    ]  # fmt: skip
    head = ["#", _("Issue / area for improvement"), _("Corrective action"),
            _("Practice / objective"), _("Responsible (contact)"), _("Start"),
            _("Completion")]  # fmt: skip
    return out + table(head, rows)


def _practices(aar: AAR) -> list[str]:
    out = [_title("practices"), ""]
    for p in aar["practices"]:
        out += [f"**{md(p['title'])}** ({md(p['area'])}): *{md(p['full_title'])}*", ""]
        if p["key_actors"]:
            out += ["- " + _("Key actors:") + " " + md(", ".join(p["key_actors"]))]
        if p["standards"]:
            out += ["- " + _("Standards:") + " " + md(joined(p["standards"]))]
        out += [""]
    return out


def render_aar_md(aar: AAR) -> str:
    parts = (_cover, _summary, _objectives, _findings, _results, _timeline, _feedback, _plan,
             _practices)  # fmt: skip
    lines: list[str] = []
    for part in parts:
        lines += part(aar)
    return "\n".join(lines).rstrip() + "\n"
